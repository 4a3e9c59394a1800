/**
 * The one permission source: each Graph call the gateway makes, the least-privileged application permission it needs
 * (graph.md §8 and the per-call sections; the granular `UserAuthMethod-*` ones where Microsoft's permission map has
 * them) and the feature it serves. A 403 names this permission so an administrator knows exactly what to grant.
 *
 * Generated or checked from here: the practice tenant's app registration (`botApplicationPermissions()`), the table in
 * docs/graph-gateway.md, the README's "grant these" list, the doctor's checks and the consent URL. Adding a call is
 * one row in GRAPH_CALLS (and, for a new feature, one row in GRAPH_FEATURES); a test then names every artifact that
 * has to follow.
 */

/** What a feature does and what stops working without its permission; English, for the README, docs and the doctor. */
export interface GraphFeature {
  title: string;
  withoutIt: string;
}

export const GRAPH_FEATURES = {
  people: {
    title: "Know who is asking and about whom: users, managers, registered devices",
    withoutIt:
      "Nothing works: the bot cannot read the person in the chat, so every triage and TAP request stops with an error.",
  },
  groups: {
    title: "Roles (agents, admins, TAP approvers) and the passkey policy's group targets",
    withoutIt:
      "Agents, admins and approvers cannot be recognized (their commands answer with the missing permission) and the triage answers 'unknown' to whether a person is in the passkey policy's scope.",
  },
  passkeyPolicy: {
    title: "Read the Passkey (FIDO2) and Temporary Access Pass policies",
    withoutIt:
      "The triage answers 'unknown' to policy scope and to whether an authenticator is allowed; TAP requests cannot check the TAP policy.",
  },
  userMethods: {
    title: "Read a person's registered sign-in methods (MFA, Windows Hello, Authenticator)",
    withoutIt: "The triage answers 'unknown' to whether the person can prove who they are and what is registered.",
  },
  passkeys: {
    title: "See the passkey a person registers with an issued TAP (the TAP is then revoked at once)",
    withoutIt:
      "An issued TAP is not revoked early when its passkey is registered; it ends with its lifetime ('lapsed', naming the permission).",
  },
  temporaryAccessPass: {
    title: "Issue, read and revoke Temporary Access Passes",
    withoutIt: "Agents cannot issue a TAP (the approved request says which permission is missing); the rest works.",
  },
  reports: {
    title: "Sign-ins, audit logs and registration reports",
    withoutIt:
      "The triage answers 'unknown' to recent MFA and cannot see recent policy changes or failed registrations.",
  },
  directoryRoles: {
    title: "Directory role assignments and eligibilities (privileged targets of a TAP)",
    withoutIt:
      "A TAP cannot be checked against the target's admin roles, so every TAP request is refused; the triage works.",
  },
  inventory: {
    title: "The administrators' passkey inventory, insights and ring readiness",
    withoutIt: "The inventory run stops and names the permission; chat triage and TAP keep working.",
  },
  conditionalAccess: {
    title: "Read Conditional Access policies (a policy that keeps people from registering security info)",
    withoutIt:
      "The triage cannot see a Conditional Access registration loop and names the permission instead; the rest works.",
  },
  teamsInstall: {
    title: "Install the app for an approver who has not opened it",
    withoutIt:
      "Approvers who never opened the bot get no approval card until they do (only with INSTALL_APP_FOR_PROACTIVE=true).",
  },
} as const satisfies Record<string, GraphFeature>;

export type GraphFeatureName = keyof typeof GRAPH_FEATURES;

export interface GraphCallPermission {
  /** The least-privileged application permission (app role) that allows the call. */
  permission: string;
  feature: GraphFeatureName;
}

export const GRAPH_CALLS = {
  getUser: { permission: "User.Read.All", feature: "people" },
  findUsers: { permission: "User.Read.All", feature: "people" },
  getManager: { permission: "User.Read.All", feature: "people" },
  listRegisteredDevices: { permission: "User.Read.All", feature: "people" },
  // User.Read.All is also needed; GroupMember.Read.All is the one an app granted only user reads lacks.
  checkMemberGroups: { permission: "GroupMember.Read.All", feature: "groups" },
  listGroupMembers: { permission: "GroupMember.Read.All", feature: "groups" },
  // GET /groups/{id}: GroupMember.Read.All is the least privileged; Group.Read.All and Directory.Read.All also do.
  getGroupDisplayNames: { permission: "GroupMember.Read.All", feature: "groups" },
  listRoleAssignments: { permission: "RoleManagement.Read.Directory", feature: "directoryRoles" },
  listRoleEligibilities: { permission: "RoleEligibilitySchedule.Read.Directory", feature: "directoryRoles" },
  // GET /users/{id}/transitiveMemberOf/microsoft.graph.group: which role-assignable groups hand a user a role.
  listTransitiveGroups: { permission: "GroupMember.Read.All", feature: "groups" },
  // PIM for Groups: eligible membership of a (role-assignable) group.
  listGroupEligibilities: { permission: "PrivilegedEligibilitySchedule.Read.AzureADGroup", feature: "directoryRoles" },
  getPasskeyPolicy: { permission: "Policy.Read.AuthenticationMethod", feature: "passkeyPolicy" },
  getTemporaryAccessPassPolicy: { permission: "Policy.Read.AuthenticationMethod", feature: "passkeyPolicy" },
  // The polymorphic list of every method has no granular permission (graph.md §4.2).
  listAuthenticationMethods: { permission: "UserAuthenticationMethod.Read.All", feature: "userMethods" },
  listPasskeys: { permission: "UserAuthMethod-Passkey.Read.All", feature: "passkeys" },
  listTemporaryAccessPasses: { permission: "UserAuthMethod-TAP.Read.All", feature: "temporaryAccessPass" },
  createTemporaryAccessPass: { permission: "UserAuthMethod-TAP.ReadWrite.All", feature: "temporaryAccessPass" },
  deleteTemporaryAccessPass: { permission: "UserAuthMethod-TAP.ReadWrite.All", feature: "temporaryAccessPass" },
  getRegistrationDetails: { permission: "AuditLog.Read.All", feature: "reports" },
  listDirectoryAudits: { permission: "AuditLog.Read.All", feature: "reports" },
  listSignIns: { permission: "AuditLog.Read.All", feature: "reports" },
  isAppInstalledForUser: { permission: "TeamsAppInstallation.ReadForUser.All", feature: "teamsInstall" },
  installAppForUser: { permission: "TeamsAppInstallation.ReadWriteSelfForUser.All", feature: "teamsInstall" },
  // /healthz's reachability probe: any answer below 500 counts, a 403 included, so it needs no grant.
  getOrganization: { permission: "", feature: "people" },
  // GET /identity/conditionalAccess/policies: Microsoft's page for the list names Policy.Read.All as least privileged
  // for applications (Policy.Read.ConditionalAccess is narrower but not documented for this call; the emulator accepts it).
  listConditionalAccessPolicies: { permission: "Policy.Read.All", feature: "conditionalAccess" },
  // The administrators' inventory: the registration details report paged tenant-wide; disabled users (whom that report
  // leaves out) listed from /users.
  listRegistrationDetails: { permission: "AuditLog.Read.All", feature: "inventory" },
  listUsers: { permission: "User.Read.All", feature: "inventory" },
} as const satisfies Record<string, GraphCallPermission>;

export type GraphCall = keyof typeof GRAPH_CALLS;

export function permissionFor(call: GraphCall): string {
  return GRAPH_CALLS[call].permission;
}

/** A permission to grant: the features it serves, in table order. */
export interface RequiredPermission {
  permission: string;
  features: GraphFeatureName[];
  calls: GraphCall[];
}

/**
 * Whether granting `granted` also allows what `needed` allows: Graph's write permissions include their read
 * (`X.ReadWrite.All` ⊇ `X.Read.All`; `TeamsAppInstallation.ReadWriteSelfForUser.All` ⊇ reading the app's own
 * installation, which is all `isAppInstalledForUser` asks).
 */
export function covers(granted: string, needed: string): boolean {
  if (granted === needed) return true;
  const read = /^(.+)\.Read(ForUser)?(\..+)$/.exec(needed);
  if (!read) return false;
  const [, family, forUser = "", scope] = read;
  return [`${family}.ReadWrite${forUser}${scope}`, `${family}.ReadWriteSelf${forUser}${scope}`].includes(granted);
}

/**
 * Every application permission the bot asks for, once each, in the order of first use in GRAPH_CALLS. A read that a
 * required write covers is folded into the write: asking for both would be one more consent line with no use.
 */
export function requiredPermissions(): RequiredPermission[] {
  const rows = (Object.entries(GRAPH_CALLS) as [GraphCall, GraphCallPermission][]).filter(
    ([, row]) => row.permission !== "",
  );
  const all = [...new Set(rows.map(([, row]) => row.permission))];
  const grantFor = (permission: string) =>
    all.find((other) => other !== permission && covers(other, permission)) ?? permission;
  const byPermission = new Map<string, RequiredPermission>();
  for (const [call, { permission, feature }] of rows) {
    const granted = grantFor(permission);
    const entry = byPermission.get(granted) ?? { permission: granted, features: [], calls: [] };
    if (!entry.features.includes(feature)) entry.features.push(feature);
    entry.calls.push(call);
    byPermission.set(granted, entry);
  }
  return [...byPermission.values()];
}

/** What the practice tenant's bot app registration is granted: exactly what the bot asks for. */
export function botApplicationPermissions(): string[] {
  return requiredPermissions().map((entry) => entry.permission);
}
