import { randomInt, randomUUID } from "node:crypto";
import type { EmulatorClock } from "./emulator-clock.js";
import { graphDateTime } from "./load-tenant.js";
import type { TenantDevice, TenantFile, TenantUser } from "./tenant-file.js";

type GraphObject = Record<string, unknown> & { id: string };

const methodsRegisteredByType: Record<string, (method: Record<string, unknown>) => string | null> = {
  "#microsoft.graph.fido2AuthenticationMethod": (method) =>
    method.passkeyType === "synced" ? "passKeySynced" : "passKeyDeviceBound",
  "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod": () => "windowsHelloForBusiness",
  "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod": () => "microsoftAuthenticatorPush",
  "#microsoft.graph.phoneAuthenticationMethod": (method) =>
    ({ mobile: "mobilePhone", alternateMobile: "alternateMobilePhone", office: "officePhone" })[
      String(method.phoneType)
    ] ?? null,
  "#microsoft.graph.emailAuthenticationMethod": () => "email",
  "#microsoft.graph.softwareOathAuthenticationMethod": () => "softwareOneTimePasscode",
  "#microsoft.graph.temporaryAccessPassAuthenticationMethod": () => "temporaryAccessPass",
  "#microsoft.graph.platformCredentialAuthenticationMethod": () => "macOsSecureEnclaveKey",
};
const mfaMethods = new Set([
  "microsoftAuthenticatorPush",
  "mobilePhone",
  "alternateMobilePhone",
  "officePhone",
  "softwareOneTimePasscode",
  "passKeyDeviceBound",
  "passKeySynced",
  "windowsHelloForBusiness",
  "macOsSecureEnclaveKey",
]);
const passwordlessMethods = new Set([
  "passKeyDeviceBound",
  "passKeySynced",
  "windowsHelloForBusiness",
  "macOsSecureEnclaveKey",
]);

/** The mutable tenant one emulator process serves, with the derived views Graph computes (membership, reports). */
export function createTenantState(tenant: TenantFile, clock: EmulatorClock) {
  const users = tenant.users;
  const groups = tenant.groups;
  const nowIso = () => graphDateTime(clock.now());

  // An index, so a 100,000-user synthetic tenant answers per-user calls without scanning every user; rebuilt when the
  // user list grows, and checked on every hit so a renamed user is still found by the scan.
  let userIndex: { size: number; byKey: Map<string, TenantUser> } | null = null;
  const findUser = (idOrUpn: string): TenantUser | undefined => {
    const key = idOrUpn.toLowerCase();
    if (!userIndex || userIndex.size !== users.length) {
      const byKey = new Map<string, TenantUser>();
      for (const user of users) {
        byKey.set(user.id.toLowerCase(), user);
        byKey.set(user.userPrincipalName.toLowerCase(), user);
      }
      userIndex = { size: users.length, byKey };
    }
    const hit = userIndex.byKey.get(key);
    if (hit && (hit.id.toLowerCase() === key || hit.userPrincipalName.toLowerCase() === key)) return hit;
    return users.find((user) => user.id.toLowerCase() === key || user.userPrincipalName.toLowerCase() === key);
  };

  // Groups by direct member, so a TAP's usability (which asks the TAP policy's targets) does not scan every member of
  // every group: a 100,000-user ring made that the emulator's hottest code. Rebuilt when a group or its member list is
  // replaced or grows or shrinks (control endpoints and tests edit them in place).
  let memberIndex: { lists: unknown[]; sizes: number[]; byMember: Map<string, Array<(typeof groups)[number]>> } | null =
    null;
  const directGroupsOf = (objectId: string) => {
    const fresh =
      memberIndex?.lists.length === groups.length &&
      groups.every(
        (group, index) =>
          memberIndex?.lists[index] === group.memberIds && memberIndex.sizes[index] === group.memberIds.length,
      );
    if (!fresh || !memberIndex) {
      const byMember = new Map<string, Array<(typeof groups)[number]>>();
      for (const group of groups) {
        for (const memberId of group.memberIds) {
          const list = byMember.get(memberId) ?? [];
          if (list.at(-1) !== group) list.push(group);
          byMember.set(memberId, list);
        }
      }
      memberIndex = {
        lists: groups.map((group) => group.memberIds),
        sizes: groups.map((group) => group.memberIds.length),
        byMember,
      };
    }
    return memberIndex.byMember.get(objectId) ?? [];
  };

  const transitiveGroupsOf = (objectId: string) => {
    const found = new Map<string, (typeof groups)[number]>();
    const queue = [objectId];
    while (queue.length > 0) {
      const current = queue.shift() as string;
      for (const group of directGroupsOf(current)) {
        if (!found.has(group.id)) {
          found.set(group.id, group);
          queue.push(group.id);
        }
      }
    }
    return [...found.values()];
  };

  const transitiveMembersOf = (groupId: string) => {
    const found = new Map<string, string>();
    const queue = [groupId];
    while (queue.length > 0) {
      const groupId = queue.shift();
      const group = groups.find((candidate) => candidate.id === groupId);
      for (const memberId of group?.memberIds ?? []) {
        if (!found.has(memberId)) {
          found.set(memberId, memberId);
          if (groups.some((candidate) => candidate.id === memberId)) queue.push(memberId);
        }
      }
    }
    return [...found.keys()];
  };

  const methodsOf = (userId: string): GraphObject[] => {
    tenant.authenticationMethods[userId] ??= [];
    return tenant.authenticationMethods[userId] as GraphObject[];
  };

  const methodConfiguration = (id: string) =>
    tenant.authenticationMethodsPolicy.authenticationMethodConfigurations.find(
      (configuration) => configuration.id.toLowerCase() === id.toLowerCase(),
    );

  const isTargetedBy = (configuration: Record<string, unknown> | undefined, userId: string) => {
    if (configuration?.state !== "enabled") return false;
    const groupIds = new Set(transitiveGroupsOf(userId).map((group) => group.id));
    const targets = (key: string) => (configuration[key] as Array<{ id: string }> | undefined) ?? [];
    if (targets("excludeTargets").some((target) => groupIds.has(target.id) || target.id === userId)) return false;
    return targets("includeTargets").some(
      (target) => target.id === "all_users" || groupIds.has(target.id) || target.id === userId,
    );
  };

  const isAdmin = (userId: string) =>
    (tenant.roleAssignments ?? []).some((assignment) => assignment.principalId === userId);

  /** userRegistrationDetails as Entra's report would show it for a user with no explicit entry. */
  const deriveRegistrationDetails = (user: TenantUser): GraphObject => {
    const methodsRegistered = [
      ...new Set(
        methodsOf(user.id)
          .map((method) => methodsRegisteredByType[String(method["@odata.type"])]?.(method) ?? null)
          .filter((value): value is string => value !== null),
      ),
    ];
    const isMfaRegistered = methodsRegistered.some((method) => mfaMethods.has(method));
    const isPasswordlessCapable = methodsRegistered.some((method) => passwordlessMethods.has(method));
    const systemPreferred = methodsRegistered.includes("microsoftAuthenticatorPush")
      ? "push"
      : methodsRegistered.includes("mobilePhone")
        ? "sms"
        : null;
    return {
      id: user.id,
      userPrincipalName: user.userPrincipalName,
      userDisplayName: user.displayName,
      userType: user.userType === "Guest" ? "guest" : "member",
      isAdmin: isAdmin(user.id),
      isSsprRegistered: isMfaRegistered,
      isSsprEnabled: user.accountEnabled !== false,
      isSsprCapable: isMfaRegistered && user.accountEnabled !== false,
      isMfaRegistered,
      isMfaCapable: isMfaRegistered && user.accountEnabled !== false,
      isPasswordlessCapable,
      methodsRegistered,
      isSystemPreferredAuthenticationMethodEnabled: true,
      systemPreferredAuthenticationMethods: systemPreferred ? [systemPreferred] : [],
      userPreferredMethodForSecondaryAuthentication: systemPreferred ?? "none",
      lastUpdatedDateTime: nowIso(),
    };
  };

  // The tenant file's explicit report rows by user id, so one user's row is found without building all 100,000 (the
  // bench's ring and incremental runs read them one by one). Rebuilt when the list is replaced or grows; the rows
  // themselves are shared, so a control endpoint editing one is seen at once.
  let explicitIndex: { source: unknown[]; size: number; byId: Map<string, GraphObject> } | null = null;
  const explicitRegistrationDetails = () => {
    const source = tenant.userRegistrationDetails ?? [];
    if (!explicitIndex || explicitIndex.source !== source || explicitIndex.size !== source.length) {
      explicitIndex = {
        source,
        size: source.length,
        byId: new Map(source.map((entry) => [entry.id, entry as GraphObject])),
      };
    }
    return explicitIndex.byId;
  };

  const registrationDetails = (): GraphObject[] => {
    const explicit = explicitRegistrationDetails();
    return users.map((user) => explicit.get(user.id) ?? deriveRegistrationDetails(user));
  };

  /** One user's report row (derived now from their methods when the tenant file has none), without a scan. */
  const registrationDetailsOf = (userId: string): GraphObject | undefined => {
    const user = findUser(userId);
    if (!user || user.id !== userId) return undefined;
    return explicitRegistrationDetails().get(userId) ?? deriveRegistrationDetails(user);
  };

  // Devices by owner and by registered user: built once per device list (devices are only read after loading), and
  // each hit re-checked so a device whose owners were edited in place is never answered for the wrong person.
  let deviceIndex: {
    source: unknown[];
    size: number;
    byField: Record<"registeredOwnerIds" | "registeredUserIds", Map<string, TenantDevice[]>>;
  } | null = null;
  const devicesOf = (userId: string, field: "registeredOwnerIds" | "registeredUserIds"): TenantDevice[] => {
    const source = tenant.devices ?? [];
    if (!deviceIndex || deviceIndex.source !== source || deviceIndex.size !== source.length) {
      const byField = { registeredOwnerIds: new Map(), registeredUserIds: new Map() } as NonNullable<
        typeof deviceIndex
      >["byField"];
      for (const device of source) {
        for (const key of ["registeredOwnerIds", "registeredUserIds"] as const) {
          for (const id of device[key] ?? []) {
            const list = byField[key].get(id) ?? [];
            list.push(device);
            byField[key].set(id, list);
          }
        }
      }
      deviceIndex = { source, size: source.length, byField };
    }
    return (deviceIndex.byField[field].get(userId) ?? []).filter((device) => device[field]?.includes(userId));
  };

  const isExternalGuest = (user: TenantUser) =>
    user.userType === "Guest" && (user.creationType === "Invitation" || user.userPrincipalName.includes("#EXT#"));

  const newTemporaryAccessPassCode = (length: number) => {
    const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!@#$%&*";
    return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join("");
  };

  /** isUsable / methodUsabilityReason of a stored TAP, computed now (graph.md §4.3). */
  const temporaryAccessPassUsability = (userId: string, method: Record<string, unknown>) => {
    const start = Date.parse(String(method.startDateTime ?? method.createdDateTime));
    const end = start + Number(method.lifetimeInMinutes ?? 60) * 60_000;
    const now = clock.now();
    if (!isTargetedBy(methodConfiguration("TemporaryAccessPass"), userId)) {
      return { isUsable: false, methodUsabilityReason: "DisabledByPolicy" };
    }
    if (now < start) return { isUsable: false, methodUsabilityReason: "NotYetValid" };
    if (now >= end) return { isUsable: false, methodUsabilityReason: "Expired" };
    // Used through the control endpoint, or exported as used: a tenant file's OneTimeUsed pass stays used.
    const isExportedAsUsed = method.methodUsabilityReason === "OneTimeUsed";
    if ((method["x-emulator-used"] === true && method.isUsableOnce === true) || isExportedAsUsed) {
      return { isUsable: false, methodUsabilityReason: "OneTimeUsed" };
    }
    return { isUsable: true, methodUsabilityReason: "EnabledByPolicy" };
  };

  const appendAudit = (audit: Record<string, unknown> & { activityDisplayName: string }) => {
    tenant.directoryAudits ??= [];
    const entry = {
      id: `Directory_${randomUUID()}`,
      category: "UserManagement",
      correlationId: randomUUID(),
      activityDateTime: nowIso(),
      operationType: "Add",
      result: "success",
      resultReason: "",
      additionalDetails: [],
      ...audit,
    };
    tenant.directoryAudits.push(entry);
    return entry;
  };

  const auditTarget = (user: TenantUser) => ({
    id: user.id,
    displayName: user.displayName,
    type: "User",
    userPrincipalName: user.userPrincipalName,
    groupType: null,
    modifiedProperties: [],
  });

  const auditUser = (user: TenantUser) => ({
    app: null,
    user: {
      id: user.id,
      displayName: user.displayName,
      userPrincipalName: user.userPrincipalName,
      ipAddress: "203.0.113.10",
      userType: null,
      homeTenantId: null,
      homeTenantName: null,
    },
  });

  /**
   * An administrator deletes the account (Entra admin center, "Delete user"): from then on Graph answers every read of
   * it 404 Request_ResourceNotFound, its memberships, methods and report row are gone, and the directory audit log has
   * "Delete user" (Core Directory) naming it.
   */
  const deleteUser = (user: TenantUser, initiatedBy: TenantUser | undefined) => {
    users.splice(users.indexOf(user), 1);
    for (const group of groups) group.memberIds = group.memberIds.filter((id) => id !== user.id);
    delete tenant.authenticationMethods[user.id];
    if (tenant.userRegistrationDetails) {
      tenant.userRegistrationDetails = tenant.userRegistrationDetails.filter((entry) => entry.id !== user.id);
    }
    return appendAudit({
      activityDisplayName: "Delete user",
      loggedByService: "Core Directory",
      operationType: "Delete",
      initiatedBy: initiatedBy ? auditUser(initiatedBy) : { app: null, user: null },
      targetResources: [auditTarget(user)],
    });
  };

  return {
    tenant,
    tenantId: tenant.organization.id,
    users,
    groups,
    nowIso,
    findUser,
    directGroupsOf,
    transitiveGroupsOf,
    transitiveMembersOf,
    methodsOf,
    methodConfiguration,
    isTargetedBy,
    registrationDetails,
    registrationDetailsOf,
    devicesOf,
    isExternalGuest,
    newTemporaryAccessPassCode,
    temporaryAccessPassUsability,
    appendAudit,
    auditTarget,
    auditUser,
    deleteUser,
    newId: () => randomUUID(),
  };
}

export type TenantState = ReturnType<typeof createTenantState>;
