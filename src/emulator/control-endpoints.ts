import { randomUUID } from "node:crypto";
import { isGuid } from "../text/is-guid.js";
import type { EmulatorRequest } from "./start-emulator.js";
import type { TenantState } from "./tenant-state.js";

/**
 * Test-only endpoints under /_emulator/ (not Graph, no token): they stand in for what a person does outside the
 * bot — signing in with MFA, registering a passkey, deleting an account — and let tests inspect and reset the emulator.
 * docs/emulator.md.
 */
export interface ControlDependencies {
  state: TenantState;
  requestLog: EmulatorRequest[];
  resetThrottling(): void;
  advanceClock(ms: number): void;
  now(): number;
}

interface ControlResult {
  status: number;
  body?: unknown;
}

const problem = (status: number, message: string): ControlResult => ({
  status,
  body: { error: { code: "emulatorControl", message } },
});

function parseBody(text: string): Record<string, unknown> | null {
  if (text.trim() === "") return {};
  try {
    const value = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

export async function handleControlRequest(
  request: { method: string; path: string[]; body: string },
  dependencies: ControlDependencies,
): Promise<ControlResult> {
  const { state } = dependencies;
  const route = `${request.method} ${request.path.join("/")}`;
  const body = parseBody(request.body);
  if (!body) return problem(400, "The body must be a JSON object.");
  const userFrom = () => {
    const key = typeof body.user === "string" ? body.user : undefined;
    return key ? state.findUser(key) : undefined;
  };
  switch (route) {
    case "GET health":
      return {
        status: 200,
        body: { status: "ok", tenantId: state.tenantId, now: new Date(dependencies.now()).toISOString() },
      };
    case "GET request-log":
      return { status: 200, body: { value: dependencies.requestLog } };
    case "DELETE request-log":
      dependencies.requestLog.length = 0;
      return { status: 204 };
    case "POST throttling/reset":
      dependencies.resetThrottling();
      return { status: 204 };
    case "POST clock/advance": {
      const seconds = Number(body.seconds);
      if (!Number.isFinite(seconds) || seconds < 0) return problem(400, "'seconds' must be a non-negative number.");
      dependencies.advanceClock(seconds * 1000);
      return { status: 200, body: { now: new Date(dependencies.now()).toISOString() } };
    }
    case "POST sign-ins": {
      const user = userFrom();
      if (!user) return problem(404, "'user' must name an existing user by id or userPrincipalName.");
      const method = typeof body.method === "string" ? body.method : "Mobile app notification";
      const minutesAgo = Number(body.minutesAgo ?? 0);
      const when = new Date(dependencies.now() - minutesAgo * 60_000).toISOString();
      const signIn = {
        id: randomUUID(),
        createdDateTime: when,
        userDisplayName: user.displayName,
        userPrincipalName: user.userPrincipalName,
        userId: user.id,
        appId: "19db86c3-b2b9-44cc-b339-36da233a3be2",
        appDisplayName: "My Signins",
        ipAddress: "203.0.113.10",
        clientAppUsed: "Browser",
        correlationId: randomUUID(),
        conditionalAccessStatus: "notApplied",
        isInteractive: true,
        riskDetail: "none",
        riskLevelAggregated: "none",
        riskLevelDuringSignIn: "none",
        riskState: "none",
        riskEventTypes_v2: [],
        resourceDisplayName: "Microsoft Graph",
        resourceId: "00000003-0000-0000-c000-000000000000",
        status: { errorCode: 0, failureReason: "Other.", additionalDetails: "MFA completed in Azure AD" },
        deviceDetail: {
          deviceId: "",
          displayName: "",
          operatingSystem: "Windows10",
          browser: "Edge 130.0.0",
          isCompliant: false,
          isManaged: false,
          trustType: "",
        },
        location: { city: "Prague", state: "Prague", countryOrRegion: "CZ", geoCoordinates: null },
        appliedConditionalAccessPolicies: [],
        authenticationRequirement: "multiFactorAuthentication",
        signInEventTypes: ["interactiveUser"],
        authenticationDetails: [
          {
            authenticationStepDateTime: when,
            authenticationMethod: "Password",
            authenticationMethodDetail: "Password in the cloud",
            succeeded: true,
            authenticationStepResultDetail: "Correct password",
            authenticationStepRequirement: "Primary authentication",
          },
          {
            authenticationStepDateTime: when,
            authenticationMethod: method,
            authenticationMethodDetail: null,
            succeeded: true,
            authenticationStepResultDetail: "MFA successfully completed",
            authenticationStepRequirement: "Multifactor authentication",
          },
        ],
      };
      state.tenant.signIns ??= [];
      state.tenant.signIns.push(signIn);
      return { status: 201, body: signIn };
    }
    case "POST passkey-registrations": {
      const user = userFrom();
      if (!user) return problem(404, "'user' must name an existing user by id or userPrincipalName.");
      if (typeof body.aaGuid !== "string" || !isGuid(body.aaGuid)) {
        return problem(400, "'aaGuid' must be an AAGUID.");
      }
      const passkeyType = body.passkeyType === "synced" ? "synced" : "deviceBound";
      const method = {
        "@odata.type": "#microsoft.graph.fido2AuthenticationMethod",
        id: randomUUID(),
        displayName: typeof body.displayName === "string" ? body.displayName : "Passkey",
        createdDateTime: new Date(dependencies.now()).toISOString(),
        aaGuid: body.aaGuid.toLowerCase(),
        model: typeof body.model === "string" ? body.model : null,
        attestationCertificates: [],
        attestationLevel: body.attestationLevel === "attested" ? "attested" : "notAttested",
        passkeyType,
      };
      state.methodsOf(user.id).push(method);
      const explicit = state.tenant.userRegistrationDetails?.find((entry) => entry.id === user.id);
      const registered = passkeyType === "synced" ? "passKeySynced" : "passKeyDeviceBound";
      if (explicit && Array.isArray(explicit.methodsRegistered) && !explicit.methodsRegistered.includes(registered)) {
        explicit.methodsRegistered.push(registered);
        explicit.isPasswordlessCapable = true;
      }
      const initiatedBy = state.auditUser(user);
      const deviceAudit = state.appendAudit({
        activityDisplayName: passkeyType === "synced" ? "Add Passkey (synced)" : "Add Passkey (device-bound)",
        loggedByService: "Device Registration Service",
        resultReason: "",
        initiatedBy,
        targetResources: [state.auditTarget(user)],
        additionalDetails: [
          { key: "AAGuid", value: method.aaGuid },
          { key: "Credential Type", value: "Fido2" },
        ],
      });
      const securityInfoAudit = state.appendAudit({
        activityDisplayName: "User registered security info",
        loggedByService: "Authentication Methods",
        resultReason: "User registered Fido2 Authentication Method",
        initiatedBy,
        targetResources: [state.auditTarget(user)],
      });
      return { status: 201, body: { method, audits: [deviceAudit, securityInfoAudit] } };
    }
    case "POST user-deletions": {
      const user = userFrom();
      if (!user) return problem(404, "'user' must name an existing user by id or userPrincipalName.");
      const admin = typeof body.initiatedBy === "string" ? state.findUser(body.initiatedBy) : undefined;
      return { status: 201, body: { audit: state.deleteUser(user, admin) } };
    }
    case "POST temporary-access-pass-sign-ins": {
      const user = userFrom();
      if (!user) return problem(404, "'user' must name an existing user by id or userPrincipalName.");
      const tap = state
        .methodsOf(user.id)
        .find((method) => method["@odata.type"] === "#microsoft.graph.temporaryAccessPassAuthenticationMethod");
      if (!tap) return problem(409, "The user has no Temporary Access Pass.");
      tap["x-emulator-used"] = true;
      return { status: 204 };
    }
    default:
      return problem(404, `No emulator control endpoint ${route}.`);
  }
}
