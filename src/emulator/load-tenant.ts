import { readFileSync } from "node:fs";
import { z } from "zod";
import { isGuid } from "../text/is-guid.js";
import type { TenantFile } from "./tenant-file.js";

/** ISO 8601 UTC as Graph writes it: no fraction when there is none. */
export function graphDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

/** A tenant file that does not satisfy the TenantFile contract; the message names every bad path. */
export class InvalidTenantFileError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`Tenant file ${source} is invalid: ${problems.join("; ")}`);
    this.name = "InvalidTenantFileError";
  }
}

/** The `Platform` values of src/capabilities/triage/engine/diagnosis.ts, restated so a tenant file is checked on its own. */
const PERSONA_PLATFORMS = ["windows", "ios", "android", "securityKey", "otherDeviceQr", "unknown"] as const;
/** Tenant files store AAGUIDs lower-case, as Graph returns them. */
const isLowerCaseGuid = (value: string) => isGuid(value) && value === value.toLowerCase();
/** Object ids: the one GUID check of the repository (zod's own uuid rule is a different one). */
const objectId = () => z.string().refine(isGuid, "must be a GUID");
const verdict = z.enum(["pass", "fail", "warn", "unknown"]);

const isoDateTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)), "Invalid ISO 8601 date-time");
const typedObject = z
  .object({ id: z.string().min(1), "@odata.type": z.string().startsWith("#microsoft.graph.") })
  .passthrough();

/**
 * The TAP configuration drives the emulator's own rules (lifetime bounds, one-time, code length, targeting), so its
 * members must have Graph's types and ranges; omitted ones take Graph's defaults (60 / 480 / 60 min, length 8).
 */
const lifetimeMinutes = z.number().int().min(10).max(43_200);
const methodTarget = z.object({ id: z.string().min(1) }).passthrough();
const temporaryAccessPassConfiguration = z
  .object({
    state: z.enum(["enabled", "disabled"]).optional(),
    defaultLifetimeInMinutes: lifetimeMinutes.optional(),
    minimumLifetimeInMinutes: lifetimeMinutes.optional(),
    maximumLifetimeInMinutes: lifetimeMinutes.optional(),
    isUsableOnce: z.boolean().optional(),
    defaultLength: z.number().int().min(8).max(48).optional(),
    includeTargets: z.array(methodTarget).optional(),
    excludeTargets: z.array(methodTarget).optional(),
  })
  .passthrough()
  .superRefine((configuration, context) => {
    const minimum = configuration.minimumLifetimeInMinutes ?? 60;
    const maximum = configuration.maximumLifetimeInMinutes ?? 480;
    const fallback = configuration.defaultLifetimeInMinutes ?? 60;
    if (minimum > maximum) {
      context.addIssue({ code: "custom", path: ["minimumLifetimeInMinutes"], message: `must not exceed ${maximum}` });
    }
    if (fallback < minimum || fallback > maximum) {
      context.addIssue({
        code: "custom",
        path: ["defaultLifetimeInMinutes"],
        message: `must lie between ${minimum} and ${maximum}`,
      });
    }
  });

const tenantFileSchema = z.object({
  formatVersion: z.literal(1),
  capturedDateTime: isoDateTime.optional(),
  rebaseTimes: z.boolean().optional(),
  organization: z
    .object({
      id: objectId(),
      displayName: z.string(),
      verifiedDomains: z.array(
        z.object({
          name: z.string(),
          isDefault: z.boolean(),
          isInitial: z.boolean().optional(),
          type: z.string().optional(),
        }),
      ),
    })
    .passthrough(),
  personas: z
    .array(
      z
        .object({
          key: z.string().regex(/^[a-z0-9-]+$/, "must be kebab-case"),
          userPrincipalName: z.string(),
          role: z.enum(["user", "agent", "manager", "admin"]),
          exercises: z.string(),
          scenario: z
            .object({
              platform: z.enum(PERSONA_PLATFORMS),
              aaGuid: z.string().refine(isLowerCaseGuid, "must be a lower-case hyphenated AAGUID").nullable(),
              isCrossDevice: z.boolean().optional(),
            })
            .strict()
            .optional(),
          expected: z
            .object({
              policyScope: verdict,
              freshMfa: verdict,
              platform: verdict,
              authenticator: verdict,
              firstBlocking: z.enum(["policyScope", "freshMfa", "platform", "authenticator"]).nullable(),
              needsTemporaryAccessPass: z.boolean(),
              agentPath: z
                .object({
                  policyScope: verdict,
                  freshMfa: verdict,
                  platform: verdict,
                  authenticator: verdict,
                  firstBlocking: z.enum(["policyScope", "freshMfa", "platform", "authenticator"]).nullable(),
                  needsTemporaryAccessPass: z.boolean(),
                })
                .partial()
                .strict()
                .optional(),
            })
            .strict()
            .optional(),
        })
        .strict(),
    )
    .optional(),
  users: z.array(
    z
      .object({
        id: objectId(),
        userPrincipalName: z.string().min(1),
        displayName: z.string(),
        accountEnabled: z.boolean().optional(),
        userType: z.enum(["Member", "Guest"]).optional(),
        creationType: z.string().nullable().optional(),
        managerId: z.string().nullable().optional(),
      })
      .passthrough(),
  ),
  groups: z.array(z.object({ id: objectId(), displayName: z.string(), memberIds: z.array(z.string()) }).passthrough()),
  devices: z
    .array(
      z
        .object({
          id: z.string(),
          deviceId: z.string(),
          displayName: z.string(),
          operatingSystem: z.string(),
          registeredOwnerIds: z.array(z.string()).optional(),
          registeredUserIds: z.array(z.string()).optional(),
        })
        .passthrough(),
    )
    .optional(),
  roleDefinitions: z
    .array(
      z
        .object({ id: z.string(), displayName: z.string(), templateId: z.string(), isBuiltIn: z.boolean() })
        .passthrough(),
    )
    .optional(),
  roleAssignments: z
    .array(
      z
        .object({ id: z.string(), principalId: z.string(), roleDefinitionId: z.string(), directoryScopeId: z.string() })
        .passthrough(),
    )
    .optional(),
  roleEligibilityScheduleInstances: z
    .array(
      z
        .object({ id: z.string(), principalId: z.string(), roleDefinitionId: z.string(), directoryScopeId: z.string() })
        .passthrough(),
    )
    .optional(),
  privilegedAccessGroupEligibilityScheduleInstances: z
    .array(
      z
        .object({
          id: z.string(),
          groupId: z.string(),
          principalId: z.string(),
          accessId: z.enum(["member", "owner"]),
        })
        .passthrough(),
    )
    .optional(),
  authenticationMethodsPolicy: z
    .object({ authenticationMethodConfigurations: z.array(typedObject) })
    .passthrough()
    .superRefine((policy, context) => {
      policy.authenticationMethodConfigurations.forEach((configuration, index) => {
        if (configuration.id.toLowerCase() !== "temporaryaccesspass") return;
        const result = temporaryAccessPassConfiguration.safeParse(configuration);
        for (const issue of result.success ? [] : result.error.issues) {
          context.addIssue({ ...issue, path: ["authenticationMethodConfigurations", index, ...issue.path] });
        }
      });
    })
    .refine(
      (policy) =>
        ["fido2", "temporaryaccesspass"].every((id) =>
          policy.authenticationMethodConfigurations.some((configuration) => configuration.id.toLowerCase() === id),
        ),
      "must contain the Fido2 and TemporaryAccessPass configurations",
    ),
  authenticationMethods: z.record(z.array(typedObject)),
  userRegistrationDetails: z.array(z.object({ id: z.string() }).passthrough()).optional(),
  conditionalAccessPolicies: z
    .array(
      z
        .object({
          id: objectId(),
          displayName: z.string(),
          state: z.enum(["enabled", "disabled", "enabledForReportingButNotEnforced"]),
        })
        .passthrough(),
    )
    .optional(),
  signIns: z
    .array(
      z
        .object({
          id: z.string(),
          createdDateTime: isoDateTime,
          userId: z.string(),
          // The bot reads beta sign-ins: only their authenticationDetails say whether and when MFA was performed.
          authenticationDetails: z.array(z.object({}).passthrough(), {
            required_error:
              "beta authenticationDetails are required (the bot decides fresh MFA from them; use [] for none)",
          }),
        })
        .passthrough(),
    )
    .optional(),
  directoryAudits: z
    .array(z.object({ id: z.string(), activityDateTime: isoDateTime, activityDisplayName: z.string() }).passthrough())
    .optional(),
  teamsAppInstallations: z
    .record(z.array(z.object({ id: z.string(), teamsAppId: z.string(), displayName: z.string().optional() })))
    .optional(),
  applications: z
    .array(
      z.object({
        appId: objectId(),
        displayName: z.string(),
        clientSecret: z.string().min(1),
        applicationPermissions: z.array(z.string()),
      }),
    )
    .min(1),
});

function formatPath(path: Array<string | number>): string {
  return path.reduce<string>(
    (text, segment) => (typeof segment === "number" ? `${text}[${segment}]` : text ? `${text}.${segment}` : segment),
    "",
  );
}

function checkReferences(tenant: TenantFile): string[] {
  const problems: string[] = [];
  const userIds = new Set(tenant.users.map((user) => user.id));
  const groupIds = new Set(tenant.groups.map((group) => group.id));
  const seenIds = new Set<string>();
  const seenUpns = new Set<string>();
  tenant.users.forEach((user, index) => {
    if (seenIds.has(user.id)) problems.push(`users[${index}].id: duplicate id ${user.id}`);
    seenIds.add(user.id);
    const upn = user.userPrincipalName.toLowerCase();
    if (seenUpns.has(upn)) problems.push(`users[${index}].userPrincipalName: duplicate ${user.userPrincipalName}`);
    seenUpns.add(upn);
    if (user.managerId && !userIds.has(user.managerId)) {
      problems.push(`users[${index}].managerId: no user with id ${user.managerId}`);
    }
  });
  tenant.groups.forEach((group, index) => {
    group.memberIds.forEach((memberId, memberIndex) => {
      if (!userIds.has(memberId) && !groupIds.has(memberId)) {
        problems.push(`groups[${index}].memberIds[${memberIndex}]: no user or group with id ${memberId}`);
      }
    });
  });
  (tenant.personas ?? []).forEach((persona, index) => {
    if (!seenUpns.has(persona.userPrincipalName.toLowerCase())) {
      problems.push(`personas[${index}].userPrincipalName: no user ${persona.userPrincipalName}`);
    }
  });
  for (const ownerId of Object.keys(tenant.authenticationMethods)) {
    if (!userIds.has(ownerId)) problems.push(`authenticationMethods.${ownerId}: no user with that id`);
  }
  for (const ownerId of Object.keys(tenant.teamsAppInstallations ?? {})) {
    if (!userIds.has(ownerId)) problems.push(`teamsAppInstallations.${ownerId}: no user with that id`);
  }
  (tenant.devices ?? []).forEach((device, index) => {
    for (const field of ["registeredOwnerIds", "registeredUserIds"] as const) {
      (device[field] ?? []).forEach((ownerId, ownerIndex) => {
        if (!userIds.has(ownerId))
          problems.push(`devices[${index}].${field}[${ownerIndex}]: no user with id ${ownerId}`);
      });
    }
  });
  const roleDefinitionIds = new Set((tenant.roleDefinitions ?? []).map((role) => role.id));
  for (const key of ["roleAssignments", "roleEligibilityScheduleInstances"] as const) {
    (tenant[key] ?? []).forEach((assignment, index) => {
      if (!userIds.has(assignment.principalId) && !groupIds.has(assignment.principalId)) {
        problems.push(`${key}[${index}].principalId: no user or group with id ${assignment.principalId}`);
      }
      if (!roleDefinitionIds.has(assignment.roleDefinitionId)) {
        problems.push(`${key}[${index}].roleDefinitionId: no role definition with id ${assignment.roleDefinitionId}`);
      }
      // Entra assigns a directory role to a group only when the group was created role-assignable.
      const group = tenant.groups.find((candidate) => candidate.id === assignment.principalId);
      if (group && group.isAssignableToRole !== true) {
        problems.push(`${key}[${index}].principalId: group ${group.id} must be isAssignableToRole to hold a role`);
      }
    });
  }
  (tenant.privilegedAccessGroupEligibilityScheduleInstances ?? []).forEach((eligibility, index) => {
    const where = `privilegedAccessGroupEligibilityScheduleInstances[${index}]`;
    if (!groupIds.has(eligibility.groupId)) problems.push(`${where}.groupId: no group with id ${eligibility.groupId}`);
    if (!userIds.has(eligibility.principalId) && !groupIds.has(eligibility.principalId)) {
      problems.push(`${where}.principalId: no user or group with id ${eligibility.principalId}`);
    }
  });
  (tenant.userRegistrationDetails ?? []).forEach((details, index) => {
    if (!userIds.has(details.id)) problems.push(`userRegistrationDetails[${index}].id: no user with id ${details.id}`);
  });
  return problems;
}

export const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Shifts every ISO timestamp in the value by `shiftMs` (used for rebasing; the output keeps Graph's `Z` form). */
function shiftTimes(value: unknown, shiftMs: number): unknown {
  if (typeof value === "string") {
    return isoTimestamp.test(value) ? graphDateTime(Date.parse(value) + shiftMs) : value;
  }
  if (Array.isArray(value)) return value.map((item) => shiftTimes(item, shiftMs));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, shiftTimes(item, shiftMs)]));
  }
  return value;
}

/**
 * Reads and validates a tenant file (object or path), checks its references, and rebases its times to `nowMs`
 * when it asks for it. Returns a deep copy the emulator may mutate.
 */
export function loadTenant(input: TenantFile | string, nowMs: number): TenantFile {
  const source = typeof input === "string" ? input : "(in-memory tenant)";
  let raw: unknown;
  if (typeof input === "string") {
    try {
      raw = JSON.parse(readFileSync(input, "utf8"));
    } catch (error) {
      throw new InvalidTenantFileError(source, [(error as Error).message]);
    }
  } else {
    raw = structuredClone(input);
  }
  const parsed = tenantFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InvalidTenantFileError(
      source,
      parsed.error.issues.map((issue) => `${formatPath(issue.path) || "(root)"}: ${issue.message}`),
    );
  }
  const tenant = raw as TenantFile;
  const problems = checkReferences(tenant);
  if (problems.length > 0) throw new InvalidTenantFileError(source, problems);
  if (tenant.rebaseTimes && tenant.capturedDateTime) {
    // Whole seconds keep rebased times as tidy as Graph's own.
    const shift = Math.round((nowMs - Date.parse(tenant.capturedDateTime)) / 1000) * 1000;
    const { capturedDateTime, ...rest } = tenant;
    return { ...(shiftTimes(rest, shift) as Omit<TenantFile, "capturedDateTime">), capturedDateTime };
  }
  return tenant;
}
