import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/start-emulator.js";
import { createGraphGateway, type GraphGatewayOptions } from "../../src/graph/create-graph-gateway.js";
import { AccessDeniedError, GraphRequestError, NotFoundError } from "../../src/graph/graph-errors.js";
import type { GraphGateway } from "../../src/graph/graph-gateway.js";
import { InvalidGraphIdentifierError } from "../../src/graph/odata-literal.js";
import { auditCount, botApp, gatewayTenant, groups, guestUpn, limitedApp, tenantId, users } from "./gateway-tenant.js";

let emulator: RunningEmulator;
let gateway: GraphGateway;
let limited: GraphGateway;

function gatewayFor(app: { clientId: string; clientSecret: string }, extra: Partial<GraphGatewayOptions> = {}) {
  return createGraphGateway({
    mode: "emulator",
    baseUrl: emulator.baseUrl,
    tenantId,
    ...app,
    schedulerOptions: { reportsPerWindow: 500 },
    ...extra,
  } as GraphGatewayOptions);
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, tenant: gatewayTenant(), throttleScale: 100 });
  gateway = gatewayFor(botApp);
  limited = gatewayFor(limitedApp);
});

afterAll(async () => {
  await emulator?.close();
});

describe("createGraphGateway against the Graph emulator", () => {
  it("reads a user by id and by UPN, including an external guest's #EXT# UPN", async () => {
    const byId = await gateway.getUser(users.alice);
    expect(byId).toMatchObject({ id: users.alice, displayName: "Alice O'Brien", userType: "Member" });
    const byUpn = await gateway.getUser("ALICE@contosopractice.onmicrosoft.com");
    expect(byUpn.id).toBe(users.alice);
    const guest = await gateway.getUser(guestUpn);
    expect(guest).toMatchObject({ id: users.guest, userType: "Guest" });
  });

  it("throws NotFoundError for a user that does not exist", async () => {
    await expect(gateway.getUser("nobody@contosopractice.onmicrosoft.com")).rejects.toBeInstanceOf(NotFoundError);
    await expect(gateway.getUser("00000000-0000-4000-8000-999999999999")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuses an identifier that is neither a GUID nor a UPN before calling Graph", async () => {
    await expect(gateway.getUser("../../organization")).rejects.toBeInstanceOf(InvalidGraphIdentifierError);
  });

  it("finds users by the start of their name or UPN, quotes and injection attempts included", async () => {
    expect((await gateway.findUsers("alice o'")).map((user) => user.id)).toEqual([users.alice]);
    expect((await gateway.findUsers("MANAGER@")).map((user) => user.id)).toEqual([users.manager]);
    expect(await gateway.findUsers("x' or 1 eq 1 or startswith(displayName,'")).toEqual([]);
    expect(await gateway.findUsers("'; DROP")).toEqual([]);
    expect((await gateway.findUsers("filler", 5)).length).toBe(5);
  });

  it("checks transitive group membership and ignores all_users", async () => {
    const matched = await gateway.checkMemberGroups(users.alice, [
      "all_users",
      groups.pilotParent,
      groups.passkeyPilot,
      groups.agents,
    ]);
    expect(matched.sort()).toEqual([groups.passkeyPilot, groups.pilotParent].sort());
  });

  it("returns the manager, and null when there is none", async () => {
    expect((await gateway.getManager(users.alice))?.id).toBe(users.manager);
    expect(await gateway.getManager(users.manager)).toBeNull();
  });

  it("lists active and eligible directory roles with their names", async () => {
    const grants = await gateway.getDirectoryRoleGrants(users.admin);
    expect(grants.map((grant) => [grant.kind, grant.roleDisplayName]).sort()).toEqual([
      ["active", "Global Administrator"],
      ["eligible", "Authentication Administrator"],
    ]);
    expect(await gateway.getDirectoryRoleGrants(users.alice)).toEqual([]);
  });

  it("reads the passkey and TAP policies", async () => {
    const fido2 = await gateway.getPasskeyPolicy();
    expect(fido2.state).toBe("enabled");
    expect(fido2.passkeyProfiles?.[0]?.passkeyTypes).toBe("deviceBound,synced");
    expect(fido2.includeTargets[0]?.id).toBe(groups.pilotParent);
    const tap = await gateway.getTemporaryAccessPassPolicy();
    expect(tap).toMatchObject({ state: "enabled", minimumLifetimeInMinutes: 60, isUsableOnce: true });
  });

  it("lists methods, passkeys and registration details", async () => {
    const methods = await gateway.listAuthenticationMethods(users.alice);
    expect(methods.map((method) => method["@odata.type"]).sort()).toEqual([
      "#microsoft.graph.fido2AuthenticationMethod",
      "#microsoft.graph.passwordAuthenticationMethod",
    ]);
    const passkeys = await gateway.listPasskeys(users.alice);
    expect(passkeys).toHaveLength(1);
    expect(passkeys[0]?.aaGuid).toBe("cb69481e-8ff7-4039-93ec-0a2729a154a8");
    const details = await gateway.getRegistrationDetails(users.alice);
    expect(details.id).toBe(users.alice);
  });

  it("follows nextLink across pages of audit events, newest first", async () => {
    const paged = gatewayFor(botApp, { auditPageSize: 3 });
    const since = new Date(Date.now() - 24 * 3600_000).toISOString();
    const logStart = emulator.requestLog.length;
    const audits = await paged.listUserAudits(users.alice, since);
    expect(audits.map((audit) => audit.id)).toEqual(Array.from({ length: auditCount }, (_, i) => `a-${i}`));
    const pages = emulator.requestLog
      .slice(logStart)
      .filter((entry) => entry.path === "/v1.0/auditLogs/directoryAudits");
    expect(pages.map((entry) => entry.status)).toEqual([200, 200, 200]);
  });

  it("creates a TAP whose code is returned once, then lists it without the code, then deletes it", async () => {
    const created = await gateway.createTemporaryAccessPass(users.manager, {
      lifetimeInMinutes: 60,
      isUsableOnce: true,
    });
    expect(created.temporaryAccessPass).toMatch(/\S{8,}/);
    const listed = await gateway.listTemporaryAccessPasses(users.manager);
    expect(listed.map((method) => method.id)).toEqual([created.id]);
    expect(listed[0]?.temporaryAccessPass).toBeNull();
    await gateway.deleteTemporaryAccessPass(users.manager, created.id);
    expect(await gateway.listTemporaryAccessPasses(users.manager)).toEqual([]);
  });

  it("maps a TAP lifetime outside the policy to GraphRequestError", async () => {
    await expect(
      gateway.createTemporaryAccessPass(users.manager, { lifetimeInMinutes: 5, isUsableOnce: true }),
    ).rejects.toBeInstanceOf(GraphRequestError);
  });

  it("names the missing permission when the limited app is denied", async () => {
    const denied = await limited.listAuthenticationMethods(users.alice).catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(AccessDeniedError);
    expect((denied as AccessDeniedError).missingPermission).toBe("UserAuthenticationMethod.Read.All");
    const tap = await limited
      .createTemporaryAccessPass(users.alice, { lifetimeInMinutes: 60, isUsableOnce: true })
      .catch((error: unknown) => error);
    expect((tap as AccessDeniedError).missingPermission).toBe("UserAuthMethod-TAP.ReadWrite.All");
    const membership = await limited.checkMemberGroups(users.alice, [groups.agents]).catch((error: unknown) => error);
    expect((membership as AccessDeniedError).missingPermission).toBe("GroupMember.Read.All");
  });

  it("knows whether the bot is installed for a user and installs it", async () => {
    const teamsAppId = "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b";
    expect(await gateway.isAppInstalledForUser(users.alice, teamsAppId)).toBe(true);
    expect(await gateway.isAppInstalledForUser(users.manager, teamsAppId)).toBe(false);
    await gateway.installAppForUser(users.manager, teamsAppId);
    await gateway.installAppForUser(users.manager, teamsAppId);
    expect(await gateway.isAppInstalledForUser(users.manager, teamsAppId)).toBe(true);
  });

  it("reads a user's triage snapshot in one batch plus beta sign-ins, spending two reports-bucket requests", async () => {
    const logStart = emulator.requestLog.length;
    const snapshot = await gateway.getUserAuthSnapshot(users.alice, {
      groupIds: ["all_users", groups.pilotParent, groups.agents],
      signInsSince: new Date(Date.now() - 60 * 60_000).toISOString(),
    });
    expect(snapshot.user.id).toBe(users.alice);
    expect(snapshot.memberOfGroupIds).toEqual({ ok: true, value: [groups.pilotParent] });
    expect(snapshot.methods.ok && snapshot.methods.value.length).toBe(2);
    expect(snapshot.devices.ok && snapshot.devices.value.map((device) => device.displayName)).toEqual(["ALICE-LAPTOP"]);
    expect(snapshot.signIns.ok ? snapshot.signIns.value.map((signIn) => signIn.id) : snapshot.signIns).toEqual(["s-1"]);
    expect(snapshot.registrationAudits).toEqual({ ok: false, problem: { kind: "notRequested" } });
    const log = emulator.requestLog.slice(logStart);
    expect(log.filter((entry) => entry.batchId === undefined).map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      "GET /beta/auditLogs/signIns",
    ]);
    expect(new Set(log.map((entry) => entry.batchId).filter(Boolean)).size).toBe(1);
    expect(log.filter((entry) => entry.bucket === "reports")).toHaveLength(2);
  });

  it("includes registration audits in the snapshot when asked", async () => {
    const snapshot = await gateway.getUserAuthSnapshot(users.alice, {
      groupIds: [],
      auditsSince: new Date(Date.now() - 24 * 3600_000).toISOString(),
    });
    expect(snapshot.registrationAudits.ok && snapshot.registrationAudits.value).toHaveLength(auditCount);
    expect(snapshot.signIns).toEqual({ ok: false, problem: { kind: "notRequested" } });
  });

  it("turns each denied part of a snapshot into a problem instead of failing the whole snapshot", async () => {
    const snapshot = await limited.getUserAuthSnapshot(users.alice, {
      groupIds: [groups.agents],
      signInsSince: new Date(Date.now() - 60 * 60_000).toISOString(),
    });
    expect(snapshot.user.id).toBe(users.alice);
    expect(snapshot.devices.ok).toBe(true);
    expect(snapshot.memberOfGroupIds).toEqual({
      ok: false,
      problem: { kind: "accessDenied", missingPermission: "GroupMember.Read.All" },
    });
    expect(snapshot.methods).toEqual({
      ok: false,
      problem: { kind: "accessDenied", missingPermission: "UserAuthenticationMethod.Read.All" },
    });
    expect(snapshot.signIns).toEqual({
      ok: false,
      problem: { kind: "accessDenied", missingPermission: "AuditLog.Read.All" },
    });
  });

  it("throws NotFoundError when the snapshot's user does not exist", async () => {
    await expect(
      gateway.getUserAuthSnapshot("00000000-0000-4000-8000-999999999999", { groupIds: [] }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("shares one tenant policy fetch among concurrent callers and reuses it for a minute", async () => {
    const shared = gatewayFor(botApp);
    const logStart = emulator.requestLog.length;
    const [first, second, third] = await Promise.all([
      shared.getTenantPolicySnapshot(),
      shared.getTenantPolicySnapshot(),
      shared.getTenantPolicySnapshot(),
    ]);
    expect(second).toBe(first);
    expect(third).toBe(first);
    await shared.getTenantPolicySnapshot();
    const fido2Reads = emulator.requestLog
      .slice(logStart)
      .filter((entry) => entry.path.endsWith("/authenticationMethodConfigurations/fido2"));
    expect(fido2Reads).toHaveLength(1);
    expect(first.fido2.ok && first.fido2.value.id).toBe("Fido2");
    expect(first.temporaryAccessPass.ok && first.temporaryAccessPass.value.id).toBe("TemporaryAccessPass");
    expect(first.recentPolicyChanges.ok && first.recentPolicyChanges.value.map((audit) => audit.id)).toEqual(["p-1"]);
  });

  it("names policy groups in one batch, leaves out an unknown group and all_users, and reuses the names", async () => {
    const shared = gatewayFor(botApp);
    const unknown = "0a11e3b0-0000-4000-8000-0000000000ff";
    const logStart = emulator.requestLog.length;
    const names = await shared.getGroupDisplayNames(["all_users", groups.passkeyPilot, groups.pilotParent, unknown]);
    expect(names).toEqual({ [groups.passkeyPilot]: "Passkey pilot", [groups.pilotParent]: "Pilot parent" });
    const log = emulator.requestLog.slice(logStart);
    expect(log.map((entry) => `${entry.method} ${entry.path} ${entry.status}`).sort()).toEqual(
      [
        `GET /v1.0/groups/${groups.passkeyPilot} 200`,
        `GET /v1.0/groups/${groups.pilotParent} 200`,
        `GET /v1.0/groups/${unknown} 404`,
      ].sort(),
    );
    expect(new Set(log.map((entry) => entry.batchId)).size).toBe(1);
    expect(log.every((entry) => entry.bucket !== "reports")).toBe(true);

    const again = emulator.requestLog.length;
    expect(await shared.getGroupDisplayNames([groups.pilotParent, unknown])).toEqual({
      [groups.pilotParent]: "Pilot parent",
    });
    expect(emulator.requestLog.length).toBe(again);
  });

  it("shares one group-name fetch among concurrent callers and asks only for the groups not yet named", async () => {
    const shared = gatewayFor(botApp);
    const logStart = emulator.requestLog.length;
    const [first, second] = await Promise.all([
      shared.getGroupDisplayNames([groups.agents]),
      shared.getGroupDisplayNames([groups.agents]),
    ]);
    expect(first).toEqual({ [groups.agents]: "Helpdesk Agents" });
    expect(second).toEqual(first);
    expect(await shared.getGroupDisplayNames([groups.agents, groups.admins])).toEqual({
      [groups.agents]: "Helpdesk Agents",
      [groups.admins]: "Helpdesk Admins",
    });
    expect(
      emulator.requestLog
        .slice(logStart)
        .filter((entry) => entry.path.startsWith("/v1.0/groups/"))
        .map((entry) => entry.path),
    ).toEqual([`/v1.0/groups/${groups.agents}`, `/v1.0/groups/${groups.admins}`]);
  });

  it("leaves out the names of groups an app without a group permission may not read, without asking again", async () => {
    const logStart = emulator.requestLog.length;
    expect(await limited.getGroupDisplayNames([groups.agents, groups.passkeyPilot])).toEqual({});
    expect(await limited.getGroupDisplayNames([groups.agents])).toEqual({});
    const reads = emulator.requestLog.slice(logStart).filter((entry) => entry.path.startsWith("/v1.0/groups/"));
    expect(reads.map((entry) => entry.status)).toEqual([403, 403]);
  });

  it("reports Graph reachable", async () => {
    expect(await gateway.isReachable()).toBe(true);
  });
});
