/**
 * Each Graph call the gateway makes and the least-privileged application permission it needs (graph.md §8 and the
 * per-call sections). A 403 names this permission so an administrator knows exactly what to grant.
 */
export const GRAPH_PERMISSIONS = {
  getUser: "User.Read.All",
  findUsers: "User.Read.All",
  getManager: "User.Read.All",
  listRegisteredDevices: "User.Read.All",
  // User.Read.All is also needed; GroupMember.Read.All is the one an app granted only user reads lacks.
  checkMemberGroups: "GroupMember.Read.All",
  listGroupMembers: "GroupMember.Read.All",
  // GET /groups/{id}: GroupMember.Read.All is the least privileged; Group.Read.All and Directory.Read.All also do.
  getGroupDisplayNames: "GroupMember.Read.All",
  listRoleAssignments: "RoleManagement.Read.Directory",
  listRoleEligibilities: "RoleEligibilitySchedule.Read.Directory",
  getPasskeyPolicy: "Policy.Read.AuthenticationMethod",
  getTemporaryAccessPassPolicy: "Policy.Read.AuthenticationMethod",
  listAuthenticationMethods: "UserAuthenticationMethod.Read.All",
  listPasskeys: "UserAuthMethod-Passkey.Read.All",
  listTemporaryAccessPasses: "UserAuthMethod-TAP.Read.All",
  createTemporaryAccessPass: "UserAuthMethod-TAP.ReadWrite.All",
  deleteTemporaryAccessPass: "UserAuthMethod-TAP.ReadWrite.All",
  getRegistrationDetails: "AuditLog.Read.All",
  listDirectoryAudits: "AuditLog.Read.All",
  listSignIns: "AuditLog.Read.All",
  isAppInstalledForUser: "TeamsAppInstallation.ReadForUser.All",
  installAppForUser: "TeamsAppInstallation.ReadWriteSelfForUser.All",
  getOrganization: "Organization.Read.All",
  // Inventory (issue 10): the registration details report is paged tenant-wide; disabled users are listed from users.
  listRegistrationDetails: "AuditLog.Read.All",
  listUsers: "User.Read.All",
} as const;

export type GraphCall = keyof typeof GRAPH_PERMISSIONS;

export function permissionFor(call: GraphCall): string {
  return GRAPH_PERMISSIONS[call];
}
