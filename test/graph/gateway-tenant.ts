import type { TenantFile } from "../../src/emulator/tenant-file.js";

/**
 * A small tenant for the gateway's own tests, built here so they do not depend on the practice tenant's content.
 * Constants (tenant, apps, groups) are the shared practice-tenant values.
 */
export const tenantId = "7d3e5a2c-1b4f-4c8e-9a6d-2f0b8c4e6a10";
export const botApp = { clientId: "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f", clientSecret: "contoso-practice-bot-secret" };
export const limitedApp = {
  clientId: "6a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
  clientSecret: "contoso-practice-limited-secret",
};
export const groups = {
  agents: "0a11e3b0-0000-4000-8000-000000000001",
  admins: "0a11e3b0-0000-4000-8000-000000000002",
  approvers: "0a11e3b0-0000-4000-8000-000000000003",
  passkeyPilot: "0a11e3b0-0000-4000-8000-000000000010",
  pilotParent: "0a11e3b0-0000-4000-8000-000000000011",
};
const domain = "contosopractice.onmicrosoft.com";
const userId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

export const users = {
  alice: userId(1),
  manager: userId(2),
  guest: userId(3),
  admin: userId(4),
};
export const guestUpn = `external-guest_fabrikam.example#EXT#@${domain}`;
export const auditCount = 7;

export function gatewayTenant(now = Date.now()): TenantFile {
  const iso = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
  const botPermissions = [
    "User.Read.All",
    "GroupMember.Read.All",
    "Policy.Read.AuthenticationMethod",
    "UserAuthenticationMethod.Read.All",
    "UserAuthMethod-Passkey.Read.All",
    "UserAuthMethod-TAP.ReadWrite.All",
    "AuditLog.Read.All",
    "RoleManagement.Read.Directory",
    "RoleEligibilitySchedule.Read.Directory",
    "PrivilegedEligibilitySchedule.Read.AzureADGroup",
    "Device.Read.All",
    "TeamsAppInstallation.ReadForUser.All",
    "TeamsAppInstallation.ReadWriteSelfForUser.All",
  ];
  const filler = Array.from({ length: 12 }, (_, i) => ({
    id: userId(100 + i),
    userPrincipalName: `filler-${i}@${domain}`,
    displayName: `Filler ${i}`,
    accountEnabled: true,
    userType: "Member" as const,
  }));
  return {
    formatVersion: 1,
    organization: {
      id: tenantId,
      displayName: "Contoso (practice)",
      verifiedDomains: [{ name: domain, isDefault: true }],
    },
    users: [
      {
        id: users.alice,
        userPrincipalName: `alice@${domain}`,
        displayName: "Alice O'Brien",
        mail: `alice@${domain}`,
        accountEnabled: true,
        userType: "Member",
        managerId: users.manager,
      },
      {
        id: users.manager,
        userPrincipalName: `manager@${domain}`,
        displayName: "Mona Manager",
        accountEnabled: true,
        userType: "Member",
      },
      {
        id: users.guest,
        userPrincipalName: guestUpn,
        displayName: "External Guest",
        accountEnabled: true,
        userType: "Guest",
        creationType: "Invitation",
      },
      {
        id: users.admin,
        userPrincipalName: `admin@${domain}`,
        displayName: "Ada Admin",
        accountEnabled: true,
        userType: "Member",
      },
      ...filler,
    ],
    groups: [
      { id: groups.agents, displayName: "Helpdesk Agents", memberIds: [users.admin] },
      { id: groups.admins, displayName: "Helpdesk Admins", memberIds: [users.admin] },
      { id: groups.approvers, displayName: "TAP Approvers", memberIds: [users.manager] },
      { id: groups.passkeyPilot, displayName: "Passkey pilot", memberIds: [users.alice] },
      { id: groups.pilotParent, displayName: "Pilot parent", memberIds: [groups.passkeyPilot] },
    ],
    devices: [
      {
        id: "d0000000-0000-4000-8000-000000000001",
        deviceId: "d1000000-0000-4000-8000-000000000001",
        displayName: "ALICE-LAPTOP",
        operatingSystem: "Windows",
        operatingSystemVersion: "10.0.26100",
        trustType: "AzureAd",
        isManaged: true,
        isCompliant: true,
        approximateLastSignInDateTime: iso(30),
        registeredUserIds: [users.alice],
        registeredOwnerIds: [users.alice],
      },
    ],
    roleDefinitions: [
      {
        id: "62e90394-69f5-4237-9190-012177145e10",
        displayName: "Global Administrator",
        templateId: "62e90394-69f5-4237-9190-012177145e10",
        isBuiltIn: true,
      },
      {
        id: "c4e39bd9-1100-46d3-8c65-fb160da0071f",
        displayName: "Authentication Administrator",
        templateId: "c4e39bd9-1100-46d3-8c65-fb160da0071f",
        isBuiltIn: true,
      },
    ],
    roleAssignments: [
      {
        id: "ra-1",
        principalId: users.admin,
        roleDefinitionId: "62e90394-69f5-4237-9190-012177145e10",
        directoryScopeId: "/",
      },
    ],
    roleEligibilityScheduleInstances: [
      {
        id: "re-1",
        principalId: users.admin,
        roleDefinitionId: "c4e39bd9-1100-46d3-8c65-fb160da0071f",
        directoryScopeId: "/",
      },
    ],
    authenticationMethodsPolicy: {
      id: "authenticationMethodsPolicy",
      authenticationMethodConfigurations: [
        {
          "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
          id: "Fido2",
          state: "enabled",
          isSelfServiceRegistrationAllowed: true,
          isAttestationEnforced: false,
          keyRestrictions: { isEnforced: false, enforcementType: "block", aaGuids: [] },
          defaultPasskeyProfile: "00000000-0000-0000-0000-000000000001",
          includeTargets: [
            {
              id: groups.pilotParent,
              targetType: "group",
              isRegistrationRequired: false,
              allowedPasskeyProfiles: ["00000000-0000-0000-0000-000000000001"],
            },
          ],
          excludeTargets: [],
          passkeyProfiles: [
            {
              id: "00000000-0000-0000-0000-000000000001",
              name: "Default passkey profile",
              passkeyTypes: "deviceBound,synced",
              attestationEnforcement: "disabled",
              keyRestrictions: { isEnforced: false, enforcementType: "block", aaGuids: [] },
            },
          ],
        },
        {
          "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration",
          id: "TemporaryAccessPass",
          state: "enabled",
          defaultLifetimeInMinutes: 60,
          minimumLifetimeInMinutes: 60,
          maximumLifetimeInMinutes: 480,
          isUsableOnce: true,
          defaultLength: 8,
          includeTargets: [{ id: "all_users", targetType: "group", isRegistrationRequired: false }],
          excludeTargets: [],
        },
      ],
    },
    authenticationMethods: {
      [users.alice]: [
        { "@odata.type": "#microsoft.graph.passwordAuthenticationMethod", id: "28c10230-6103-485e-b985-444c60001490" },
        {
          "@odata.type": "#microsoft.graph.fido2AuthenticationMethod",
          id: "f2000000-0000-4000-8000-000000000001",
          displayName: "YubiKey 5",
          aaGuid: "cb69481e-8ff7-4039-93ec-0a2729a154a8",
          model: "YubiKey 5 Series",
          attestationCertificates: [],
          attestationLevel: "attested",
          passkeyType: "deviceBound",
          createdDateTime: iso(600),
        },
      ],
      [users.manager]: [
        { "@odata.type": "#microsoft.graph.passwordAuthenticationMethod", id: "28c10230-6103-485e-b985-444c60001490" },
      ],
      [users.guest]: [],
      [users.admin]: [],
    },
    signIns: [
      {
        id: "s-1",
        createdDateTime: iso(3),
        userId: users.alice,
        userPrincipalName: `alice@${domain}`,
        appDisplayName: "My Signins",
        isInteractive: true,
        status: { errorCode: 0 },
        authenticationRequirement: "multiFactorAuthentication",
        authenticationDetails: [],
        deviceDetail: { operatingSystem: "Windows10", browser: "Edge 140.0", displayName: "ALICE-LAPTOP" },
      },
      {
        id: "s-2",
        createdDateTime: iso(300),
        userId: users.alice,
        userPrincipalName: `alice@${domain}`,
        appDisplayName: "Office",
        isInteractive: true,
        status: { errorCode: 0 },
        authenticationRequirement: "singleFactorAuthentication",
        authenticationDetails: [],
        deviceDetail: { operatingSystem: "Windows10", browser: "Edge 140.0", displayName: "ALICE-LAPTOP" },
      },
    ],
    directoryAudits: [
      ...Array.from({ length: auditCount }, (_, i) => ({
        id: `a-${i}`,
        activityDateTime: iso(10 + i),
        activityDisplayName: "User registered security info",
        category: "UserManagement",
        correlationId: `c0000000-0000-4000-8000-00000000000${i}`,
        operationType: "Add",
        resultReason: null,
        loggedByService: "Authentication Methods",
        result: "success",
        initiatedBy: { user: { id: users.alice, displayName: "Alice O'Brien", userPrincipalName: `alice@${domain}` } },
        targetResources: [{ id: users.alice, displayName: "Alice O'Brien", type: "User" }],
        additionalDetails: [],
      })),
      {
        id: "p-1",
        activityDateTime: iso(20),
        activityDisplayName: "Authentication Methods Policy Update",
        category: "ApplicationManagement",
        loggedByService: "Authentication Methods",
        result: "success",
        initiatedBy: { user: { id: users.admin, displayName: "Ada Admin", userPrincipalName: `admin@${domain}` } },
        targetResources: [{ id: "Fido2", displayName: "Fido2", type: "Policy" }],
        additionalDetails: [],
      },
      {
        id: "p-old",
        activityDateTime: iso(180),
        activityDisplayName: "Authentication Methods Policy Update",
        category: "ApplicationManagement",
        loggedByService: "Authentication Methods",
        result: "success",
        targetResources: [],
        additionalDetails: [],
      },
    ],
    teamsAppInstallations: {
      [users.alice]: [{ id: "inst-1", teamsAppId: "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b" }],
    },
    applications: [
      {
        appId: botApp.clientId,
        displayName: "Passkey Helpdesk",
        clientSecret: botApp.clientSecret,
        applicationPermissions: botPermissions,
      },
      {
        appId: limitedApp.clientId,
        displayName: "Limited app",
        clientSecret: limitedApp.clientSecret,
        applicationPermissions: ["User.Read.All", "Policy.Read.AuthenticationMethod"],
      },
    ],
  };
}
