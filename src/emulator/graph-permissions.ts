/**
 * Which application permission (app role) each emulated Graph endpoint needs: the least-privileged one first, then
 * the higher alternatives Graph also accepts (graph.md §3–§8, Microsoft's permission map). A requirement is a list of
 * groups; the token must hold one permission of every group (checkMemberGroups needs a user and a group permission).
 *
 * On a 403 the emulator names the missing least-privileged permission in `error.details[0]`
 * (`code: "MissingApplicationPermission"`, `target: <permission>`), so a client can say what to grant.
 */
export type PermissionRequirement = readonly (readonly string[])[];

const userRead = ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"];
const groupMemberRead = [
  "GroupMember.Read.All",
  "Group.Read.All",
  "GroupMember.ReadWrite.All",
  "Group.ReadWrite.All",
  "Directory.Read.All",
  "Directory.ReadWrite.All",
];
const policyRead = ["Policy.Read.AuthenticationMethod", "Policy.ReadWrite.AuthenticationMethod", "Policy.Read.All"];
const methodsRead = ["UserAuthenticationMethod.Read.All", "UserAuthenticationMethod.ReadWrite.All"];
const methodsWrite = ["UserAuthenticationMethod.ReadWrite.All"];
const auditRead = ["AuditLog.Read.All", "Directory.Read.All"];

function methodFamily(family: string) {
  return {
    read: [[`UserAuthMethod-${family}.Read.All`, `UserAuthMethod-${family}.ReadWrite.All`, ...methodsRead]],
    write: [[`UserAuthMethod-${family}.ReadWrite.All`, ...methodsWrite]],
  } as const;
}

const passkey = methodFamily("Passkey");
const windowsHello = methodFamily("WindowsHello");
const authenticatorApp = methodFamily("MicrosoftAuthApp");
const phone = methodFamily("Phone");
const tap = methodFamily("TAP");

/** Route id → requirement. Route ids are the ones in graph-routes.ts. */
export const graphPermissionRequirements: Record<string, PermissionRequirement> = {
  "users.list": [userRead],
  "users.get": [userRead],
  "users.manager": [userRead],
  "users.memberOf": [[...userRead, ...groupMemberRead]],
  "users.transitiveMemberOf": [[...userRead, ...groupMemberRead]],
  "users.checkMemberGroups": [userRead, groupMemberRead],
  "users.ownedDevices": [userRead],
  "users.registeredDevices": [userRead],
  "users.installedApps.list": [
    [
      "TeamsAppInstallation.ReadForUser.All",
      "TeamsAppInstallation.ReadWriteSelfForUser.All",
      "TeamsAppInstallation.ReadWriteForUser.All",
    ],
  ],
  "users.installedApps.install": [
    ["TeamsAppInstallation.ReadWriteSelfForUser.All", "TeamsAppInstallation.ReadWriteForUser.All"],
  ],
  "groups.list": [groupMemberRead],
  "groups.get": [groupMemberRead],
  "groups.members": [groupMemberRead],
  "groups.transitiveMembers": [groupMemberRead],
  "devices.get": [["Device.Read.All", "Device.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"]],
  "organization.list": [
    ["Organization.Read.All", "Organization.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  ],
  "roleAssignments.list": [
    [
      "RoleManagement.Read.Directory",
      "RoleManagement.Read.All",
      "RoleManagement.ReadWrite.Directory",
      "Directory.Read.All",
    ],
  ],
  "roleEligibilityScheduleInstances.list": [
    [
      "RoleEligibilitySchedule.Read.Directory",
      "RoleManagement.Read.Directory",
      "RoleEligibilitySchedule.ReadWrite.Directory",
      "RoleManagement.Read.All",
      "RoleManagement.ReadWrite.Directory",
    ],
  ],
  "privilegedAccessGroup.eligibilityScheduleInstances.list": [
    ["PrivilegedEligibilitySchedule.Read.AzureADGroup", "PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup"],
  ],
  "policy.get": [policyRead],
  "policy.configurations.list": [policyRead],
  "policy.configuration.get": [policyRead],
  "conditionalAccess.policies.list": [
    ["Policy.Read.All", "Policy.Read.ConditionalAccess", "Policy.ReadWrite.ConditionalAccess"],
  ],
  "methods.list": [methodsRead],
  "methods.requirements": [["Policy.Read.All", ...methodsRead]],
  "fido2.list": passkey.read,
  "fido2.get": passkey.read,
  "fido2.delete": passkey.write,
  "windowsHello.list": windowsHello.read,
  "windowsHello.get": windowsHello.read,
  "windowsHello.delete": windowsHello.write,
  "authenticatorApp.list": authenticatorApp.read,
  "authenticatorApp.get": authenticatorApp.read,
  "authenticatorApp.delete": authenticatorApp.write,
  "phone.list": phone.read,
  "phone.get": phone.read,
  "tap.list": tap.read,
  "tap.get": tap.read,
  "tap.create": tap.write,
  "tap.delete": tap.write,
  "registrationDetails.list": [["AuditLog.Read.All", ...methodsRead]],
  "registrationDetails.get": [["AuditLog.Read.All", ...methodsRead]],
  "directoryAudits.list": [auditRead],
  "directoryAudits.get": [auditRead],
  "signIns.list": [["AuditLog.Read.All"]],
  "signIns.get": [["AuditLog.Read.All"]],
};

/** The least-privileged permission the app lacks for a route, or null when its roles satisfy the requirement. */
export function findMissingPermission(routeId: string, roles: readonly string[]): string | null {
  const requirement = graphPermissionRequirements[routeId];
  if (!requirement) throw new Error(`Route ${routeId} has no permission requirement`);
  for (const alternatives of requirement) {
    if (!alternatives.some((permission) => roles.includes(permission))) return alternatives[0] as string;
  }
  return null;
}
