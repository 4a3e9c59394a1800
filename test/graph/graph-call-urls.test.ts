import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/start-emulator.js";
import { createGraphGateway, type GraphGatewayOptions } from "../../src/graph/create-graph-gateway.js";
import { createInventoryReader, type InventoryReader } from "../../src/graph/create-inventory-reader.js";
import type { GraphGateway } from "../../src/graph/graph-gateway.js";
import { botApplicationPermissions, GRAPH_CALLS, type GraphCall } from "../../src/graph/graph-permissions.js";
import { RequestScheduler } from "../../src/graph/request-scheduler.js";
import { botApp, gatewayTenant, groups, tenantId, users } from "./gateway-tenant.js";

/**
 * The exact request every Graph call sends: method, version, path and query (`$select`, `$filter`, `$top`…), as the
 * emulator's request log received it — the way CLI for Microsoft 365 tests its commands. Driven from the permission
 * table: a call in GRAPH_CALLS that no scenario sends fails below, so a new call comes with its URL test.
 *
 * URLs are compared decoded, with times written `{time}` (the "since" of a filter is computed from the clock).
 */
interface Sent {
  call: GraphCall;
  method: "GET" | "POST" | "DELETE";
  url: string;
  /** Sent as an item of a v1.0 `$batch`. */
  batched?: true;
}

interface Scenario {
  name: string;
  run: (graph: { gateway: GraphGateway; unshared: GraphGateway; inventory: InventoryReader }) => Promise<unknown>;
  /** Every request the run sends, in any order. */
  sends: Sent[];
  /** The statuses Graph answers, when not all below 400. */
  statuses?: number[];
}

const userSelect = "id,userPrincipalName,displayName,mail,userType,accountEnabled,preferredLanguage,jobTitle";
const inventoryUserSelect = "id,userPrincipalName,displayName,mail,userType,accountEnabled";
const auditSelect =
  "id,activityDateTime,activityDisplayName,category,correlationId,loggedByService,operationType,result,resultReason,initiatedBy,targetResources,additionalDetails";
const deviceSelect =
  "id,deviceId,displayName,operatingSystem,operatingSystemVersion,trustType,isManaged,isCompliant,approximateLastSignInDateTime";
const signInSelect =
  "id,createdDateTime,userId,userPrincipalName,appDisplayName,isInteractive,status,authenticationRequirement,authenticationDetails,deviceDetail";
const fido2MethodSelect =
  "id,displayName,createdDateTime,aaGuid,model,attestationCertificates,attestationLevel,passkeyType";
const policies = "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations";
const roleExpand = "$expand=roleDefinition($select=displayName,templateId)";
const alice = users.alice;
const admin = users.admin;
const teamsAppId = "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b";

const passkeyPolicy: Sent = {
  call: "getPasskeyPolicy",
  method: "GET",
  url: `${policies}/fido2?$select=id,state,isSelfServiceRegistrationAllowed,isAttestationEnforced,keyRestrictions,defaultPasskeyProfile,includeTargets,excludeTargets,passkeyProfiles`,
};
const tapPolicy: Sent = {
  call: "getTemporaryAccessPassPolicy",
  method: "GET",
  url: `${policies}/temporaryAccessPass?$select=id,state,defaultLifetimeInMinutes,minimumLifetimeInMinutes,maximumLifetimeInMinutes,isUsableOnce,defaultLength,includeTargets,excludeTargets`,
};
const conditionalAccess: Sent = {
  call: "listConditionalAccessPolicies",
  method: "GET",
  url: "/v1.0/identity/conditionalAccess/policies?$select=id,displayName,state,conditions,grantControls",
};
let createdTapId = "";

const scenarios: Scenario[] = [
  {
    name: "getUser by id",
    run: ({ gateway }) => gateway.getUser(alice),
    sends: [{ call: "getUser", method: "GET", url: `/v1.0/users/${alice}?$select=${userSelect}` }],
  },
  {
    name: "getUser by UPN",
    run: ({ gateway }) => gateway.getUser("alice@contosopractice.onmicrosoft.com"),
    sends: [
      {
        call: "getUser",
        method: "GET",
        url: `/v1.0/users/alice@contosopractice.onmicrosoft.com?$select=${userSelect}`,
      },
    ],
  },
  {
    name: "findUsers, a quote doubled in the literal",
    run: ({ gateway }) => gateway.findUsers("alice o'"),
    sends: [
      {
        call: "findUsers",
        method: "GET",
        url: `/v1.0/users?$filter=startswith(displayName,'alice o''') or startswith(userPrincipalName,'alice o''')&$select=${userSelect}&$top=10`,
      },
    ],
  },
  {
    name: "getManager",
    run: ({ gateway }) => gateway.getManager(alice),
    sends: [{ call: "getManager", method: "GET", url: `/v1.0/users/${alice}/manager?$select=${userSelect}` }],
  },
  {
    name: "checkMemberGroups",
    run: ({ gateway }) => gateway.checkMemberGroups(alice, [groups.agents, "all_users"]),
    sends: [{ call: "checkMemberGroups", method: "POST", url: `/v1.0/users/${alice}/checkMemberGroups` }],
  },
  {
    name: "getGroupDisplayNames in one $batch",
    run: ({ gateway }) => gateway.getGroupDisplayNames([groups.agents, groups.approvers]),
    sends: [
      {
        batched: true,
        call: "getGroupDisplayNames",
        method: "GET",
        url: `/v1.0/groups/${groups.agents}?$select=id,displayName`,
      },
      {
        batched: true,
        call: "getGroupDisplayNames",
        method: "GET",
        url: `/v1.0/groups/${groups.approvers}?$select=id,displayName`,
      },
    ],
  },
  {
    name: "listGroupMembers (transitive users)",
    run: ({ gateway }) => gateway.listGroupMembers(groups.agents),
    sends: [
      {
        call: "listGroupMembers",
        method: "GET",
        url: `/v1.0/groups/${groups.agents}/transitiveMembers/microsoft.graph.user?$select=${userSelect}`,
      },
    ],
  },
  {
    name: "getDirectoryRoleGrants (assignments, eligibilities, role-assignable groups, PIM for Groups)",
    run: ({ gateway }) => gateway.getDirectoryRoleGrants(admin),
    sends: [
      {
        call: "listRoleAssignments",
        method: "GET",
        url: `/v1.0/roleManagement/directory/roleAssignments?$filter=principalId eq '${admin}'&$select=id,principalId,roleDefinitionId,directoryScopeId&${roleExpand}`,
      },
      {
        call: "listRoleEligibilities",
        method: "GET",
        url: `/v1.0/roleManagement/directory/roleEligibilityScheduleInstances?$filter=principalId eq '${admin}'&$select=id,principalId,roleDefinitionId,directoryScopeId&${roleExpand}`,
      },
      {
        call: "listTransitiveGroups",
        method: "GET",
        url: `/v1.0/users/${admin}/transitiveMemberOf/microsoft.graph.group?$select=id,displayName,isAssignableToRole&$top=999`,
      },
      {
        call: "listGroupEligibilities",
        method: "GET",
        url: `/v1.0/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances?$filter=principalId eq '${admin}'&$select=id,groupId,principalId,accessId`,
      },
    ],
  },
  { name: "getPasskeyPolicy", run: ({ gateway }) => gateway.getPasskeyPolicy(), sends: [passkeyPolicy] },
  {
    name: "getTemporaryAccessPassPolicy",
    run: ({ gateway }) => gateway.getTemporaryAccessPassPolicy(),
    sends: [tapPolicy],
  },
  {
    name: "listConditionalAccessPolicies",
    run: ({ gateway }) => gateway.listConditionalAccessPolicies(),
    sends: [conditionalAccess],
  },
  {
    name: "getTenantPolicySnapshot (both policies, the last hour's policy changes, Conditional Access)",
    run: ({ gateway }) => gateway.getTenantPolicySnapshot(),
    sends: [
      passkeyPolicy,
      tapPolicy,
      conditionalAccess,
      {
        call: "listDirectoryAudits",
        method: "GET",
        url: `/v1.0/auditLogs/directoryAudits?$filter=activityDisplayName eq 'Authentication Methods Policy Update' and activityDateTime ge {time}&$select=${auditSelect}&$orderby=activityDateTime desc&$top=50`,
      },
    ],
  },
  {
    name: "getUserAuthSnapshot: one $batch beside the beta sign-ins",
    run: ({ unshared }) =>
      unshared.getUserAuthSnapshot(alice, {
        groupIds: [groups.agents, "all_users"],
        signInsSince: new Date(Date.now() - 3_600_000).toISOString(),
        auditsSince: new Date(Date.now() - 3_600_000).toISOString(),
      }),
    sends: [
      { batched: true, call: "getUser", method: "GET", url: `/v1.0/users/${alice}?$select=${userSelect}` },
      {
        batched: true,
        call: "listAuthenticationMethods",
        method: "GET",
        url: `/v1.0/users/${alice}/authentication/methods`,
      },
      {
        batched: true,
        call: "listRegisteredDevices",
        method: "GET",
        url: `/v1.0/users/${alice}/registeredDevices?$select=${deviceSelect}`,
      },
      { batched: true, call: "checkMemberGroups", method: "POST", url: `/v1.0/users/${alice}/checkMemberGroups` },
      {
        batched: true,
        call: "listDirectoryAudits",
        method: "GET",
        url: `/v1.0/auditLogs/directoryAudits?$filter=targetResources/any(t:t/id eq '${alice}') and activityDateTime ge {time}&$select=${auditSelect}&$orderby=activityDateTime desc&$top=50`,
      },
      {
        call: "listSignIns",
        method: "GET",
        url: `/beta/auditLogs/signIns?$filter=userId eq '${alice}' and createdDateTime ge {time}&$select=${signInSelect}&$top=50`,
      },
    ],
  },
  {
    name: "the shared sign-in feed: one tenant-wide beta read",
    run: ({ gateway }) =>
      gateway.getUserAuthSnapshot(alice, {
        groupIds: [],
        signInsSince: new Date(Date.now() - 3_600_000).toISOString(),
      }),
    sends: [
      { batched: true, call: "getUser", method: "GET", url: `/v1.0/users/${alice}?$select=${userSelect}` },
      {
        batched: true,
        call: "listAuthenticationMethods",
        method: "GET",
        url: `/v1.0/users/${alice}/authentication/methods`,
      },
      {
        batched: true,
        call: "listRegisteredDevices",
        method: "GET",
        url: `/v1.0/users/${alice}/registeredDevices?$select=${deviceSelect}`,
      },
      {
        call: "listSignIns",
        method: "GET",
        url: `/beta/auditLogs/signIns?$filter=createdDateTime ge {time}&$select=${signInSelect}&$top=1000`,
      },
    ],
  },
  {
    name: "listAuthenticationMethods, no $select (polymorphic)",
    run: ({ gateway }) => gateway.listAuthenticationMethods(alice),
    sends: [{ call: "listAuthenticationMethods", method: "GET", url: `/v1.0/users/${alice}/authentication/methods` }],
  },
  {
    name: "listPasskeys",
    run: ({ gateway }) => gateway.listPasskeys(alice),
    sends: [
      {
        call: "listPasskeys",
        method: "GET",
        url: `/v1.0/users/${alice}/authentication/fido2Methods?$select=${fido2MethodSelect}`,
      },
    ],
  },
  {
    name: "listTemporaryAccessPasses",
    run: ({ gateway }) => gateway.listTemporaryAccessPasses(alice),
    sends: [
      {
        call: "listTemporaryAccessPasses",
        method: "GET",
        url: `/v1.0/users/${alice}/authentication/temporaryAccessPassMethods?$select=id,temporaryAccessPass,createdDateTime,startDateTime,lifetimeInMinutes,isUsableOnce,isUsable,methodUsabilityReason`,
      },
    ],
  },
  {
    name: "createTemporaryAccessPass",
    run: async ({ gateway }) => {
      createdTapId = (await gateway.createTemporaryAccessPass(alice, { lifetimeInMinutes: 60, isUsableOnce: true })).id;
    },
    sends: [
      {
        call: "createTemporaryAccessPass",
        method: "POST",
        url: `/v1.0/users/${alice}/authentication/temporaryAccessPassMethods`,
      },
    ],
  },
  {
    name: "deleteTemporaryAccessPass",
    run: ({ gateway }) => gateway.deleteTemporaryAccessPass(alice, createdTapId),
    sends: [
      {
        call: "deleteTemporaryAccessPass",
        method: "DELETE",
        url: `/v1.0/users/${alice}/authentication/temporaryAccessPassMethods/{createdTapId}`,
      },
    ],
  },
  {
    name: "getRegistrationDetails",
    run: ({ gateway }) => gateway.getRegistrationDetails(alice),
    sends: [
      {
        call: "getRegistrationDetails",
        method: "GET",
        url: `/v1.0/reports/authenticationMethods/userRegistrationDetails/${alice}?$select=id,userPrincipalName,userDisplayName,userType,isAdmin,isMfaCapable,isMfaRegistered,isPasswordlessCapable,isSsprCapable,isSsprEnabled,isSsprRegistered,isSystemPreferredAuthenticationMethodEnabled,systemPreferredAuthenticationMethods,userPreferredMethodForSecondaryAuthentication,methodsRegistered,lastUpdatedDateTime`,
      },
    ],
  },
  {
    name: "listUserAudits",
    run: ({ gateway }) => gateway.listUserAudits(alice, new Date(Date.now() - 86_400_000).toISOString()),
    sends: [
      {
        call: "listDirectoryAudits",
        method: "GET",
        url: `/v1.0/auditLogs/directoryAudits?$filter=targetResources/any(t:t/id eq '${alice}') and activityDateTime ge {time}&$select=${auditSelect}&$orderby=activityDateTime desc&$top=50`,
      },
    ],
  },
  {
    name: "isAppInstalledForUser",
    run: ({ gateway }) => gateway.isAppInstalledForUser(alice, teamsAppId),
    sends: [
      {
        call: "isAppInstalledForUser",
        method: "GET",
        url: `/v1.0/users/${alice}/teamwork/installedApps?$expand=teamsApp&$select=id`,
      },
    ],
  },
  {
    name: "installAppForUser",
    run: ({ gateway }) => gateway.installAppForUser(users.manager, teamsAppId),
    sends: [{ call: "installAppForUser", method: "POST", url: `/v1.0/users/${users.manager}/teamwork/installedApps` }],
  },
  {
    name: "isReachable",
    run: ({ gateway }) => gateway.isReachable(),
    // The probe needs no permission: a 403 proves Graph answered.
    sends: [{ call: "getOrganization", method: "GET", url: "/v1.0/organization?$select=id" }],
    statuses: [403],
  },
  {
    name: "inventory: the registration details report, first page (no $top: the report documents none)",
    run: ({ inventory }) => inventory.registrationDetailsPage(null),
    sends: [
      {
        call: "listRegistrationDetails",
        method: "GET",
        url: "/v1.0/reports/authenticationMethods/userRegistrationDetails?$select=id,userPrincipalName,userDisplayName,userType,isAdmin,isMfaCapable,isMfaRegistered,isPasswordlessCapable,methodsRegistered,lastUpdatedDateTime",
      },
    ],
  },
  {
    name: "inventory: disabled users",
    run: ({ inventory }) => inventory.disabledUsersPage(null),
    sends: [
      {
        call: "listUsers",
        method: "GET",
        url: `/v1.0/users?$filter=accountEnabled eq false&$select=${inventoryUserSelect}&$top=999`,
      },
    ],
  },
  {
    name: "inventory: audits since a time, oldest first",
    run: ({ inventory }) => inventory.auditsPage(new Date(Date.now() - 86_400_000).toISOString(), null),
    sends: [
      {
        call: "listDirectoryAudits",
        method: "GET",
        url: `/v1.0/auditLogs/directoryAudits?$filter=activityDateTime ge {time}&$select=${auditSelect}&$orderby=activityDateTime asc&$top=999`,
      },
    ],
  },
  {
    name: "inventory: a group's users",
    run: ({ inventory }) => inventory.groupMembersPage(groups.agents, null),
    sends: [
      {
        call: "listGroupMembers",
        method: "GET",
        url: `/v1.0/groups/${groups.agents}/transitiveMembers/microsoft.graph.user?$select=${inventoryUserSelect}&$top=999`,
      },
    ],
  },
  {
    name: "inventory: per-user reads in $batches",
    run: async ({ inventory }) => {
      await inventory.readPasskeys([alice]);
      await inventory.readMethods([alice]);
      await inventory.readRegistrationDetails([alice]);
      await inventory.readTemporaryAccessPasses([alice]);
      await inventory.readDevices([alice]);
    },
    sends: [
      {
        batched: true,
        call: "listPasskeys",
        method: "GET",
        url: `/v1.0/users/${alice}/authentication/fido2Methods?$select=${fido2MethodSelect}`,
      },
      {
        batched: true,
        call: "listAuthenticationMethods",
        method: "GET",
        url: `/v1.0/users/${alice}/authentication/methods`,
      },
      {
        batched: true,
        call: "getRegistrationDetails",
        method: "GET",
        url: `/v1.0/reports/authenticationMethods/userRegistrationDetails/${alice}?$select=id,userPrincipalName,userDisplayName,userType,isAdmin,isMfaCapable,isMfaRegistered,isPasswordlessCapable,methodsRegistered,lastUpdatedDateTime`,
      },
      {
        batched: true,
        call: "listTemporaryAccessPasses",
        method: "GET",
        url: `/v1.0/users/${alice}/authentication/temporaryAccessPassMethods?$select=id,createdDateTime,startDateTime,lifetimeInMinutes,isUsableOnce,isUsable,methodUsabilityReason`,
      },
      {
        batched: true,
        call: "listRegisteredDevices",
        method: "GET",
        url: `/v1.0/users/${alice}/registeredDevices?$select=${deviceSelect}`,
      },
    ],
  },
];

/** GETs that read without `$select`, and why; every other GET selects only what the bot reads. */
const readsWithoutSelect: Partial<Record<GraphCall, string>> = {
  listAuthenticationMethods: "polymorphic: a $select would drop the derived types' properties (aaGuid, keyStrength…)",
};

let emulator: RunningEmulator;
let graph: { gateway: GraphGateway; unshared: GraphGateway; inventory: InventoryReader };

beforeAll(async () => {
  const tenant = gatewayTenant();
  const bot = tenant.applications?.find((app) => app.appId === botApp.clientId);
  // Granted exactly what the permission table asks for, so every call is answered rather than refused.
  if (bot) bot.applicationPermissions = botApplicationPermissions();
  emulator = await startEmulator({ port: 0, tenant, throttleScale: 100 });
  const options = {
    mode: "emulator",
    baseUrl: emulator.baseUrl,
    tenantId,
    ...botApp,
    schedulerOptions: { reportsPerWindow: 500 },
  } as GraphGatewayOptions;
  graph = {
    gateway: createGraphGateway(options),
    unshared: createGraphGateway({ ...options, shareSignInReads: false }),
    inventory: createInventoryReader({ ...options, scheduler: new RequestScheduler({ reportsPerWindow: 500 }) }),
  };
});

afterAll(async () => {
  await emulator?.close();
});

function normalized(url: string): string {
  return decodeURIComponent(url)
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, "{time}")
    .replace(createdTapId || "\u0000", "{createdTapId}");
}

describe("the exact Graph request of every call", () => {
  it.each(scenarios.map((scenario) => [scenario.name, scenario] as const))("%s", async (_name, scenario) => {
    emulator.requestLog.length = 0;
    await scenario.run(graph);
    const log = emulator.requestLog.filter((entry) => entry.appId !== null);
    const sent = log.map((entry) => `${entry.method} ${normalized(entry.url)}${entry.batchId ? " in $batch" : ""}`);
    const expected = scenario.sends.map(
      (request) => `${request.method} ${request.url}${request.batched ? " in $batch" : ""}`,
    );
    expect(sent.sort()).toEqual(expected.sort());
    if (scenario.statuses) expect(log.map((entry) => entry.status)).toEqual(scenario.statuses);
    else for (const entry of log) expect(entry.status, entry.url).toBeLessThan(400);
    for (const request of scenario.sends) {
      if (request.method !== "GET") continue;
      const select = new URL(request.url, "http://x").searchParams.get("$select");
      if (request.call in readsWithoutSelect) expect(select, request.url).toBeNull();
      else expect(select, `${request.call} selects only what it reads`).toBeTruthy();
    }
  });

  it.each(Object.keys(GRAPH_CALLS) as GraphCall[])("%s has its URL asserted by a scenario above", (call) => {
    expect(scenarios.some((scenario) => scenario.sends.some((request) => request.call === call))).toBe(true);
  });
});
