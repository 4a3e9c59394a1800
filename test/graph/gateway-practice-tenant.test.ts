import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/start-emulator.js";
import type { TenantFile } from "../../src/emulator/tenant-file.js";
import { createGraphGateway } from "../../src/graph/create-graph-gateway.js";
import type { GraphGateway } from "../../src/graph/graph-gateway.js";
import { PRACTICE_TENANT_FILE } from "../support/repo-path.js";
import { botApp, groups, tenantId } from "./gateway-tenant.js";

const practiceTenantPath = PRACTICE_TENANT_FILE;

let emulator: RunningEmulator;
let gateway: GraphGateway;
let tenant: TenantFile;

function persona(key: string): string {
  const upn = tenant.personas?.find((candidate) => candidate.key === key)?.userPrincipalName;
  if (!upn) throw new Error(`The practice tenant must have persona ${key}`);
  return upn;
}

describe("the gateway on the practice tenant", () => {
  beforeAll(async () => {
    tenant = JSON.parse(readFileSync(practiceTenantPath, "utf8")) as TenantFile;
    emulator = await startEmulator({ port: 0, tenant: practiceTenantPath, throttleScale: 100 });
    gateway = createGraphGateway({
      mode: "emulator",
      baseUrl: emulator.baseUrl,
      tenantId,
      ...botApp,
      schedulerOptions: { reportsPerWindow: 500 },
    });
  });

  afterAll(async () => {
    await emulator?.close();
  });

  it("reads the external guest by its #EXT# UPN", async () => {
    const guest = await gateway.getUser(persona("external-guest"));
    expect(guest.userType).toBe("Guest");
  });

  it("reads every persona's triage snapshot with every part present", async () => {
    const policy = await gateway.getTenantPolicySnapshot();
    expect(policy.fido2.ok).toBe(true);
    expect(policy.temporaryAccessPass.ok).toBe(true);
    expect(policy.recentPolicyChanges.ok).toBe(true);
    const since = new Date(Date.now() - 24 * 3600_000).toISOString();
    for (const entry of tenant.personas ?? []) {
      const user = await gateway.getUser(entry.userPrincipalName);
      const snapshot = await gateway.getUserAuthSnapshot(user.id, {
        groupIds: [groups.agents, groups.admins, groups.approvers, "all_users"],
        signInsSince: since,
        auditsSince: since,
      });
      const parts = {
        memberOf: snapshot.memberOfGroupIds,
        methods: snapshot.methods,
        devices: snapshot.devices,
        signIns: snapshot.signIns,
        audits: snapshot.registrationAudits,
      };
      const failed = Object.entries(parts).filter(([, part]) => !part.ok);
      expect(failed, `${entry.key}: ${JSON.stringify(failed)}`).toEqual([]);
    }
  });

  it("finds agents as members of the agents group", async () => {
    const agent = await gateway.getUser(persona("agent-1"));
    expect(await gateway.checkMemberGroups(agent.id, [groups.agents])).toEqual([groups.agents]);
  });

  it("finds a manager for the user who has one and none for the one who has not", async () => {
    const allGood = await gateway.getUser(persona("all-good"));
    expect(await gateway.getManager(allGood.id)).not.toBeNull();
    const orphan = await gateway.getUser(persona("no-manager"));
    expect(await gateway.getManager(orphan.id)).toBeNull();
  });
});

describe("directory roles however held, on the practice tenant", () => {
  let roleEmulator: RunningEmulator;
  let roleGateway: GraphGateway;
  let practice: TenantFile;
  const idOf = (upnPrefix: string) => {
    const user = practice.users.find((candidate) => candidate.userPrincipalName.startsWith(`${upnPrefix}@`));
    if (!user) throw new Error(`The practice tenant must have ${upnPrefix}`);
    return user.id;
  };

  beforeAll(async () => {
    practice = JSON.parse(readFileSync(practiceTenantPath, "utf8")) as TenantFile;
    roleEmulator = await startEmulator({ port: 0, tenant: practiceTenantPath, throttleScale: 100 });
    roleGateway = createGraphGateway({
      mode: "emulator",
      baseUrl: roleEmulator.baseUrl,
      tenantId,
      ...botApp,
      schedulerOptions: { reportsPerWindow: 500 },
    });
  });
  afterAll(async () => {
    await roleEmulator?.close();
  });

  it.each([
    ["privileged-admin", "Global Administrator", "active", null],
    ["nina.hofer", "Global Administrator", "eligible", null],
    ["oskar.brandt", "Global Administrator", "active", "member"],
    ["petra.ulrich", "Privileged Authentication Administrator", "eligible", "eligibleMember"],
  ] as const)("finds %s's %s (%s, via group: %s)", async (who, role, kind, membership) => {
    const grants = await roleGateway.getDirectoryRoleGrants(idOf(who));
    expect(grants).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          roleDisplayName: role,
          kind,
          ...(membership ? { viaGroup: expect.objectContaining({ membership }) } : {}),
        }),
      ]),
    );
  });

  it("finds no role for a user who holds none, directly or through a group", async () => {
    expect(await roleGateway.getDirectoryRoleGrants(idOf("no-mfa-method"))).toEqual([]);
    expect(await roleGateway.getDirectoryRoleGrants(idOf("agent-1"))).toEqual([]);
  });

  it("refuses the PIM for Groups list without a filter, as Graph does", async () => {
    const token = await fetch(`${roleEmulator.baseUrl}/${tenantId}/oauth2/v2.0/token`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: botApp.clientId,
        client_secret: botApp.clientSecret,
        scope: "https://graph.microsoft.com/.default",
      }),
    }).then(async (response) => ((await response.json()) as { access_token: string }).access_token);
    const response = await fetch(
      `${roleEmulator.baseUrl}/v1.0/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(response.status).toBe(400);
  });
});
