import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createManualClock } from "../../src/emulator/emulator-clock.js";
import { type RunningEmulator, startEmulator } from "../../src/emulator/start-emulator.js";

/**
 * A tenant file written from docs/tenant-file.md alone, by someone other than the practice tenant's author
 * (fixtures/foreign-tenant.json: another tenant id and domain, its own app, nested groups, an extra exported
 * property, a one-time TAP policy with its own bounds and code length): it loads and is served as written.
 */
const tenantPath = resolve(__dirname, "fixtures/foreign-tenant.json");
const tenantId = "22222222-3333-4444-8555-666666666666";
const boss = "10000000-0000-4000-8000-000000000001";
const worker = "10000000-0000-4000-8000-000000000002";
const outer = "20000000-0000-4000-8000-000000000001";
const inner = "20000000-0000-4000-8000-000000000002";

let emulator: RunningEmulator;
let token: string;

async function graph(path: string, init: { method?: string; body?: unknown } = {}) {
  const response = await fetch(`${emulator.baseUrl}${path}`, {
    method: init.method ?? "GET",
    headers: {
      authorization: `Bearer ${token}`,
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: bodies are inspected structurally.
  return { status: response.status, body: (await response.json()) as any };
}

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    tenant: tenantPath,
    clock: createManualClock(Date.parse("2026-10-01T12:00:00Z")),
    throttleScale: 100,
  });
  const response = await fetch(`${emulator.baseUrl}/fabrikamtest.onmicrosoft.com/oauth2/v2.0/token`, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: "99999999-0000-4000-8000-000000000001",
      client_secret: "s3cret",
      scope: "https://graph.microsoft.com/.default",
    }),
  });
  token = ((await response.json()) as { access_token: string }).access_token;
});
afterAll(async () => {
  await emulator?.close();
});

describe("a tenant file written by someone else from the documented format", () => {
  it("serves its organization, users with an extra exported property, and the manager chain", async () => {
    expect(emulator.tenantId).toBe(tenantId);
    // Its app was granted no Device.Read.All.
    expect((await graph("/v1.0/devices/30000000-0000-4000-8000-000000000001")).body.error.code).toBe(
      "Authorization_RequestDenied",
    );
    const bossUser = await graph(`/v1.0/users/boss@fabrikamtest.onmicrosoft.com?$select=id,employeeId,jobTitle`);
    expect(bossUser.body).toMatchObject({ id: boss, employeeId: "E-1", jobTitle: "CEO" });
    expect((await graph(`/v1.0/users/${worker}/manager?$select=id`)).body.id).toBe(boss);
    expect((await graph(`/v1.0/users/${boss}/manager`)).status).toBe(404);
  });

  it("resolves its nested groups for memberOf, transitiveMemberOf and checkMemberGroups", async () => {
    const ids = (body: { value: Array<{ id: string }> }) => body.value.map((item) => item.id).sort();
    expect(ids((await graph(`/v1.0/users/${worker}/memberOf?$select=id`)).body)).toEqual([inner]);
    expect(ids((await graph(`/v1.0/users/${worker}/transitiveMemberOf?$select=id`)).body)).toEqual([outer, inner]);
    const check = await graph(`/v1.0/users/${worker}/checkMemberGroups`, {
      method: "POST",
      body: { groupIds: [outer] },
    });
    expect(check.body.value).toEqual([outer]);
  });

  it("serves its devices, role assignments with the definition, methods and configurations as written", async () => {
    const devices = await graph(`/v1.0/users/${worker}/registeredDevices?$select=id,displayName,trustType`);
    expect(devices.body.value).toEqual([
      {
        "@odata.type": "#microsoft.graph.device",
        id: "30000000-0000-4000-8000-000000000001",
        displayName: "WORKER-PC",
        trustType: "AzureAd",
      },
    ]);
    const roles = await graph(
      `/v1.0/roleManagement/directory/roleAssignments?$filter=principalId eq '${boss}'&$expand=roleDefinition`,
    );
    expect(
      roles.body.value.map((role: { roleDefinition: { displayName: string } }) => role.roleDefinition.displayName),
    ).toEqual(["Global Administrator"]);
    const methods = await graph(`/v1.0/users/${worker}/authentication/methods`);
    expect(methods.body.value.map((method: { "@odata.type": string }) => method["@odata.type"])).toEqual([
      "#microsoft.graph.passwordAuthenticationMethod",
      "#microsoft.graph.fido2AuthenticationMethod",
      "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod",
    ]);
    const fido2 = await graph(`/v1.0/users/${worker}/authentication/fido2Methods`);
    expect(fido2.body.value[0]).toMatchObject({
      aaGuid: "cb69481e-8ff7-4039-93ec-0a2729a154a8",
      passkeyType: "deviceBound",
    });
    const sms = await graph("/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Sms");
    expect(sms.body).toMatchObject({
      "@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration",
      state: "disabled",
    });
  });

  it("applies its own TAP policy: its bounds, forced one-time, its code length, targeting through a nested group", async () => {
    const refused = await graph(`/v1.0/users/${boss}/authentication/temporaryAccessPassMethods`, {
      method: "POST",
      body: { lifetimeInMinutes: 20 },
    });
    expect(refused.body.error.message).toBe("Invalid LifetimeInMinutes specified. The valid range between 30 and 240.");
    const created = await graph(`/v1.0/users/${worker}/authentication/temporaryAccessPassMethods`, {
      method: "POST",
      body: { isUsableOnce: false },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ lifetimeInMinutes: 120, isUsableOnce: true, isUsable: true });
    expect(created.body.temporaryAccessPass).toHaveLength(12);
    const bossPass = await graph(`/v1.0/users/${boss}/authentication/temporaryAccessPassMethods`, {
      method: "POST",
      body: {},
    });
    expect(bossPass.body).toMatchObject({ isUsable: false, methodUsabilityReason: "DisabledByPolicy" });
  });

  it("keeps its registration details and audits, newest first, and derives details for users without any", async () => {
    const details = await graph(`/v1.0/reports/authenticationMethods/userRegistrationDetails/${boss}`);
    expect(details.body).toMatchObject({ isAdmin: true, methodsRegistered: ["mobilePhone"] });
    const derived = await graph(`/v1.0/reports/authenticationMethods/userRegistrationDetails/${worker}`);
    expect(derived.body.methodsRegistered).toContain("passKeyDeviceBound");
    const audits = await graph(
      `/v1.0/auditLogs/directoryAudits?$filter=activityDateTime le 2026-09-30T00:00:00Z&$select=id,activityDateTime`,
    );
    expect(audits.body.value.map((audit: { id: string }) => audit.id)).toEqual(["Audit_2", "Audit_1"]);
  });
});
