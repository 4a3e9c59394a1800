import type {
  AuthenticationMethod,
  DirectoryDevice,
  TemporaryAccessPassMethod,
  TenantPolicySnapshot,
  UserAuthSnapshot,
} from "../../graph/model.js";
import {
  MICROSOFT_AUTHENTICATOR_ANDROID_AAGUID,
  MICROSOFT_AUTHENTICATOR_IOS_AAGUID,
} from "../authenticators/authenticator.js";
import type { AuthenticatorCatalog } from "../authenticators/create-authenticator-catalog.js";
import type { InventoryUser } from "../inventory/inventory-user.js";
import type { Platform, TriageInput } from "../triage/engine/diagnosis.js";

/** The report's method names, as the method objects the triage's evaluators read (type is what they decide on). */
const METHOD_TYPE_BY_NAME: Record<string, string> = {
  microsoftAuthenticatorPush: "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
  microsoftAuthenticatorPasswordless: "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
  mobilePhone: "#microsoft.graph.phoneAuthenticationMethod",
  alternateMobilePhone: "#microsoft.graph.phoneAuthenticationMethod",
  officePhone: "#microsoft.graph.phoneAuthenticationMethod",
  softwareOneTimePasscode: "#microsoft.graph.softwareOathAuthenticationMethod",
  hardwareOneTimePasscode: "#microsoft.graph.hardwareOathAuthenticationMethod",
  windowsHelloForBusiness: "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod",
  macOsSecureEnclaveKey: "#microsoft.graph.platformCredentialAuthenticationMethod",
  temporaryAccessPass: "#microsoft.graph.temporaryAccessPassAuthenticationMethod",
  email: "#microsoft.graph.emailAuthenticationMethod",
  externalAuthMethod: "#microsoft.graph.externalAuthenticationMethod",
};

/** The platform a member will most likely register on: the OS of the device they signed in from most recently. */
export function predictPlatform(devices: readonly DirectoryDevice[]): Platform {
  const latest = [...devices]
    .filter((d) => /windows|ios|iphone|ipad|android/i.test(d.operatingSystem ?? ""))
    .sort((a, b) => (b.approximateLastSignInDateTime ?? "").localeCompare(a.approximateLastSignInDateTime ?? ""))[0];
  const os = latest?.operatingSystem ?? "";
  if (/windows/i.test(os)) return "windows";
  if (/ios|iphone|ipad/i.test(os)) return "ios";
  if (/android/i.test(os)) return "android";
  return "unknown";
}

/**
 * The member's methods as the triage reads them, rebuilt from the inventory: passkeys with their AAGUIDs (an
 * Authenticator passkey the report named only by family gets the AAGUID of the member's phone platform), the other
 * methods by type from the report's names.
 */
export function methodsOf(
  user: InventoryUser,
  platform: Platform,
  temporaryAccessPasses?: TemporaryAccessPassMethod[],
): AuthenticationMethod[] {
  const methods: AuthenticationMethod[] = [...(temporaryAccessPasses ?? [])];
  const seen = new Set<string>();
  for (const name of user.methodsRegistered) {
    if (name === "temporaryAccessPass" && temporaryAccessPasses) continue;
    const type = METHOD_TYPE_BY_NAME[name];
    if (!type || seen.has(name)) continue;
    seen.add(name);
    methods.push({
      "@odata.type": type,
      id: `${name}-from-report`,
      displayName: null,
      phoneAppVersion: null,
      deviceTag: null,
    });
  }
  user.passkeys.forEach((passkey, index) => {
    const aaGuid =
      passkey.aaGuid ??
      (passkey.family === "authenticator"
        ? platform === "android"
          ? MICROSOFT_AUTHENTICATOR_ANDROID_AAGUID
          : MICROSOFT_AUTHENTICATOR_IOS_AAGUID
        : null);
    methods.push({
      "@odata.type": "#microsoft.graph.fido2AuthenticationMethod",
      id: passkey.id ?? `passkey-${index}`,
      displayName: passkey.displayName,
      aaGuid,
      model: passkey.model,
      attestationCertificates: null,
      attestationLevel: passkey.attestationLevel,
      passkeyType: passkey.passkeyType,
      createdDateTime: passkey.createdDateTime,
    });
  });
  return methods;
}

/** What the ring readiness knows of one member, kept in the rollout snapshot so what-if needs no Graph call. */
export interface MemberFacts {
  user: InventoryUser;
  devices: DirectoryDevice[];
  /** The policy target groups (and ring groups) the member is a transitive member of. */
  memberOfGroupIds: string[];
  /**
   * The member's TAPs as Graph reports them (usable, expired, used), read only for members whose report lists a TAP:
   * whether it can still bootstrap them decides question 2.
   */
  temporaryAccessPasses?: TemporaryAccessPassMethod[];
}

/** What a member is predicted to try: where, and with which authenticator when that is already known. */
export interface PredictedAttempt {
  platform: Platform;
  aaGuid: string | null;
}

/**
 * A member who already registered a security key will use it again (platform securityKey, that AAGUID); everyone
 * else registers on the device they signed in from last, with what that platform implies (Windows Hello,
 * Authenticator) — the triage's own inference from the platform.
 */
export function predictAttempt(facts: MemberFacts, catalog: Pick<AuthenticatorCatalog, "lookup">): PredictedAttempt {
  const key = facts.user.passkeys.find((p) => p.aaGuid && catalog.lookup(p.aaGuid)?.kind === "securityKey");
  if (key?.aaGuid) return { platform: "securityKey", aaGuid: key.aaGuid };
  return { platform: predictPlatform(facts.devices), aaGuid: null };
}

/**
 * The triage's own input for a member, from inventory facts instead of live reads: the same evaluators then answer the
 * four questions for every member (one source of truth). Sign-ins are not read (a ring has no "last 5 minutes"); the
 * fresh-MFA question then says whether the member has a usable MFA method or needs a TAP, which is what a rollout
 * needs to know.
 */
export function memberTriageInput(
  facts: MemberFacts,
  policy: TenantPolicySnapshot,
  catalog: Pick<AuthenticatorCatalog, "lookup">,
  now: Date,
): TriageInput {
  const attempt = predictAttempt(facts, catalog);
  const platform = attempt.platform;
  const snapshot: UserAuthSnapshot = {
    user: {
      id: facts.user.id,
      userPrincipalName: facts.user.userPrincipalName,
      displayName: facts.user.displayName,
      mail: null,
      userType: facts.user.userType.toLowerCase() === "guest" ? "Guest" : "Member",
      accountEnabled: facts.user.accountEnabled,
    },
    memberOfGroupIds: { ok: true, value: facts.memberOfGroupIds },
    methods: { ok: true, value: methodsOf(facts.user, platform, facts.temporaryAccessPasses) },
    devices: { ok: true, value: facts.devices },
    signIns: { ok: false, problem: { kind: "notRequested" } },
    registrationAudits: { ok: false, problem: { kind: "notRequested" } },
    fetchedDateTime: now.toISOString(),
  };
  return {
    policy,
    snapshot,
    platform,
    ...(attempt.aaGuid ? { aaGuid: attempt.aaGuid } : {}),
    now,
    catalog,
    answers: {},
  };
}
