import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  alice,
  bob,
  carol,
  dave,
  groups,
  guest,
  limitedApp,
  startTestEmulator,
  type TestEmulator,
} from "./emulator-harness.js";

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator({ throttleScale: 1000 });
});
afterAll(async () => {
  await t.emulator.close();
});

describe("token endpoint", () => {
  it("issues a bearer JWT whose roles are the app's application permissions", async () => {
    const response = await t.requestToken(limitedApp);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599 });
    const [, payload] = String(body.access_token).split(".");
    const claims = JSON.parse(Buffer.from(payload as string, "base64url").toString("utf8"));
    expect(claims).toMatchObject({
      tid: t.emulator.tenantId,
      appid: limitedApp.clientId,
      aud: "https://graph.microsoft.com",
      iss: `https://sts.windows.net/${t.emulator.tenantId}/`,
      roles: ["User.Read.All", "Policy.Read.AuthenticationMethod"],
    });
    expect(claims.exp).toBeGreaterThan(claims.iat);
  });

  it("answers a wrong secret with 401 invalid_client and an unknown client with 400 invalid_client", async () => {
    const wrongSecret = await t.requestToken({ clientId: limitedApp.clientId, clientSecret: "nope" });
    expect(wrongSecret.status).toBe(401);
    expect(await wrongSecret.json()).toMatchObject({ error: "invalid_client", error_codes: [7000215] });
    const unknown = await t.requestToken({ clientId: "11111111-2222-4333-8444-555555555555", clientSecret: "x" });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: "invalid_client", error_codes: [700016] });
  });

  it("refuses a scope other than Graph's .default", async () => {
    const response = await t.requestToken(limitedApp, "User.Read");
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_scope" });
  });

  it("serves the tenant's OpenID configuration pointing at its token endpoint", async () => {
    const response = await fetch(`${t.emulator.baseUrl}/${t.emulator.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(await response.json()).toMatchObject({ token_endpoint: t.tokenUrl });
  });
});

describe("authentication of Graph calls", () => {
  it("answers a call without a token with 401 InvalidAuthenticationToken in Graph's envelope", async () => {
    const response = await t.graph(`/v1.0/users/${alice.id}`, {
      token: null,
      headers: { "client-request-id": "abc-123" },
    });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe("InvalidAuthenticationToken");
    expect(response.body.error.innerError["client-request-id"]).toBe("abc-123");
    expect(response.body.error.innerError.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    expect(response.headers.get("client-request-id")).toBe("abc-123");
    expect(response.headers.get("request-id")).toBe(response.body.error.innerError["request-id"]);
  });

  it("refuses a tampered token and an expired one", async () => {
    const token = await t.tokenFor();
    const tampered = await t.graph(`/v1.0/users/${alice.id}`, { token: `${token.slice(0, -4)}AAAA` });
    expect(tampered.status).toBe(401);
    t.clock.advance(3600_000);
    const expired = await t.graph(`/v1.0/users/${alice.id}`, { token });
    t.clock.advance(-3600_000);
    expect(expired.status).toBe(401);
    expect(expired.body.error).toMatchObject({ code: "InvalidAuthenticationToken" });
    expect(expired.body.error.message).toContain("expired");
  });
});

describe("users", () => {
  it("gets a user by id and by UPN with Graph's default properties only", async () => {
    const byId = await t.graph(`/v1.0/users/${alice.id}`);
    expect(byId.status).toBe(200);
    expect(byId.body["@odata.context"]).toBe(`${t.emulator.baseUrl}/v1.0/$metadata#users/$entity`);
    expect(byId.body).toMatchObject({ id: alice.id, userPrincipalName: alice.upn, displayName: "Alice Member" });
    expect(byId.body).not.toHaveProperty("accountEnabled");
    expect(byId.body).not.toHaveProperty("managerId");
    const byUpn = await t.graph(`/v1.0/users/${encodeURIComponent(alice.upn)}`);
    expect(byUpn.body.id).toBe(alice.id);
  });

  it("finds an external guest by a percent-encoded #EXT# UPN and returns only $select-ed properties", async () => {
    const response = await t.graph(`/v1.0/users/${encodeURIComponent(guest.upn)}?$select=id,userType,creationType`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      "@odata.context": `${t.emulator.baseUrl}/v1.0/$metadata#users(id,userType,creationType)/$entity`,
      id: guest.id,
      userType: "Guest",
      creationType: "Invitation",
    });
  });

  it("answers an unknown user with 404 Request_ResourceNotFound", async () => {
    const response = await t.graph("/v1.0/users/nobody@contosopractice.onmicrosoft.com");
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe("Request_ResourceNotFound");
    expect(response.body.error.message).toContain("nobody@contosopractice.onmicrosoft.com");
  });

  it("rejects a $select of a property the type does not have", async () => {
    const response = await t.graph(`/v1.0/users/${alice.id}?$select=shoeSize`);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("Request_BadRequest");
  });

  it("pages a user list with an absolute nextLink carrying $skiptoken until it ends", async () => {
    const seen: string[] = [];
    let next: string | undefined = "/v1.0/users?$top=2&$select=id,displayName";
    let pages = 0;
    while (next) {
      const page = await t.graph(next);
      expect(page.status).toBe(200);
      pages++;
      for (const user of page.body.value) {
        expect(Object.keys(user).sort()).toEqual(["displayName", "id"]);
        seen.push(user.id);
      }
      next = page.body["@odata.nextLink"];
      if (next) expect(next).toMatch(new RegExp(`^${t.emulator.baseUrl}/v1.0/users\\?.*\\$skiptoken=`));
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(6);
  });

  it("filters users with startswith ... or startswith ...", async () => {
    const filter = "startswith(displayName,'bob') or startswith(userPrincipalName,'carol')";
    const response = await t.graph(`/v1.0/users?$filter=${encodeURIComponent(filter)}&$select=id`);
    expect(response.body.value.map((user: { id: string }) => user.id).sort()).toEqual([bob.id, carol.id]);
  });

  it("requires ConsistencyLevel eventual and $count for advanced operators and $count", async () => {
    const filter = encodeURIComponent("endswith(mail,'@contosopractice.onmicrosoft.com')");
    const plain = await t.graph(`/v1.0/users?$filter=${filter}`);
    expect(plain.status).toBe(400);
    expect(plain.body.error.code).toBe("Request_UnsupportedQuery");
    const count = await t.graph("/v1.0/users?$count=true");
    expect(count.status).toBe(400);
    const advanced = await t.graph(`/v1.0/users?$filter=${filter}&$count=true`, {
      headers: { ConsistencyLevel: "eventual" },
    });
    expect(advanced.status).toBe(200);
    expect(advanced.body["@odata.count"]).toBe(5);
  });

  it("refuses a filter on an unsupported property or operator instead of ignoring it", async () => {
    const property = await t.graph(`/v1.0/users?$filter=${encodeURIComponent("favouriteColour eq 'blue'")}`);
    expect(property.status).toBe(400);
    expect(property.body.error.code).toBe("Request_UnsupportedQuery");
    const syntax = await t.graph(`/v1.0/users?$filter=${encodeURIComponent("displayName eq")}`);
    expect(syntax.status).toBe(400);
    const option = await t.graph("/v1.0/users?$skip=2");
    expect(option.status).toBe(400);
  });

  it("answers the manager, and 404 'manager' when there is none", async () => {
    const manager = await t.graph(`/v1.0/users/${alice.id}/manager?$select=id,displayName`);
    expect(manager.body).toMatchObject({
      "@odata.type": "#microsoft.graph.user",
      id: bob.id,
      displayName: "Bob Manager",
    });
    const none = await t.graph(`/v1.0/users/${carol.id}/manager`);
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe("Request_ResourceNotFound");
    expect(none.body.error.message).toBe(
      "Resource 'manager' does not exist or one of its queried reference-property objects are not present.",
    );
  });

  it("lists direct and transitive group membership, and the group cast", async () => {
    const direct = await t.graph(`/v1.0/users/${carol.id}/memberOf`);
    expect(direct.body.value.map((group: { id: string }) => group.id)).toEqual([groups.agents]);
    expect(direct.body.value[0]["@odata.type"]).toBe("#microsoft.graph.group");
    const transitive = await t.graph(
      `/v1.0/users/${carol.id}/transitiveMemberOf/microsoft.graph.group?$select=id,displayName`,
    );
    expect(transitive.body["@odata.context"]).toContain("#groups");
    expect(transitive.body.value.map((group: { id: string }) => group.id).sort()).toEqual([
      groups.agents,
      groups.passkeyPilot,
    ]);
  });

  it("checks member groups transitively and refuses more than 20 ids", async () => {
    const response = await t.graph(`/v1.0/users/${carol.id}/checkMemberGroups`, {
      method: "POST",
      body: { groupIds: [groups.passkeyPilot, groups.admins, groups.agents] },
    });
    expect(response.status).toBe(200);
    expect(response.body.value.sort()).toEqual([groups.agents, groups.passkeyPilot]);
    const tooMany = await t.graph(`/v1.0/users/${carol.id}/checkMemberGroups`, {
      method: "POST",
      body: { groupIds: Array.from({ length: 21 }, () => groups.admins) },
    });
    expect(tooMany.status).toBe(400);
  });

  it("lists owned and registered devices", async () => {
    const owned = await t.graph(`/v1.0/users/${alice.id}/ownedDevices`);
    expect(owned.body.value.map((device: { displayName: string }) => device.displayName)).toEqual(["ALICE-LAPTOP"]);
    const registered = await t.graph(`/v1.0/users/${alice.id}/registeredDevices`);
    expect(registered.body.value).toHaveLength(2);
    expect(registered.body.value[1]).toMatchObject({
      "@odata.type": "#microsoft.graph.device",
      trustType: "Workplace",
    });
  });

  it("answers a path it does not know with 400 and a beta-only path on v1.0 likewise", async () => {
    expect((await t.graph(`/v1.0/users/${alice.id}/shoes`)).status).toBe(400);
    expect((await t.graph(`/v1.0/users/${alice.id}/authentication/requirements`)).status).toBe(400);
    expect((await t.graph(`/beta/users/${alice.id}/authentication/requirements`)).status).toBe(200);
  });
});

describe("organization, groups and roles", () => {
  it("returns the organization with the tenant id", async () => {
    const response = await t.graph("/v1.0/organization");
    expect(response.body.value[0]).toMatchObject({ id: t.emulator.tenantId, displayName: "Contoso (practice)" });
  });

  it("lists a group's transitive members", async () => {
    const response = await t.graph(`/v1.0/groups/${groups.passkeyPilot}/transitiveMembers?$select=id`);
    expect(response.body.value.map((member: { id: string }) => member.id).sort()).toEqual(
      [alice.id, carol.id, groups.agents].sort(),
    );
  });

  it("filters role assignments by principal and expands the role definition", async () => {
    const filter = encodeURIComponent(`principalId eq '${dave.id}'`);
    const response = await t.graph(
      `/v1.0/roleManagement/directory/roleAssignments?$filter=${filter}&$expand=roleDefinition`,
    );
    expect(response.status).toBe(200);
    expect(response.body.value).toHaveLength(1);
    expect(response.body.value[0].roleDefinition).toMatchObject({ displayName: "Global Administrator" });
    const none = await t.graph(
      `/v1.0/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${alice.id}'`)}`,
    );
    expect(none.body.value).toEqual([]);
  });

  it("lists eligible role schedule instances by principal", async () => {
    const filter = encodeURIComponent(`principalId eq '${carol.id}'`);
    const response = await t.graph(`/v1.0/roleManagement/directory/roleEligibilityScheduleInstances?$filter=${filter}`);
    expect(response.body.value).toHaveLength(1);
  });
});

describe("authentication methods policy", () => {
  it("returns the policy with inline configurations and each configuration by id, case-insensitively", async () => {
    const policy = await t.graph("/v1.0/policies/authenticationMethodsPolicy");
    expect(policy.body.id).toBe("authenticationMethodsPolicy");
    expect(policy.body.authenticationMethodConfigurations.map((c: { id: string }) => c.id)).toContain("Fido2");
    const fido2 = await t.graph("/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2");
    expect(fido2.body).toMatchObject({
      "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
      id: "Fido2",
    });
    const tap = await t.graph(
      "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/temporaryAccessPass",
    );
    expect(tap.body).toMatchObject({ minimumLifetimeInMinutes: 60, maximumLifetimeInMinutes: 480 });
  });
});

describe("permissions", () => {
  it("answers 403 Authorization_RequestDenied naming the missing permission for a directory read", async () => {
    const token = await t.tokenFor(limitedApp);
    const response = await t.graph(`/v1.0/users/${alice.id}/memberOf`, { token });
    expect(response.status).toBe(200);
    const audits = await t.graph("/v1.0/auditLogs/directoryAudits", { token });
    expect(audits.status).toBe(403);
    expect(audits.body.error).toMatchObject({
      code: "Authorization_RequestDenied",
      message: "Insufficient privileges to complete the operation.",
      details: [{ code: "MissingApplicationPermission", target: "AuditLog.Read.All" }],
    });
    const check = await t.graph(`/v1.0/users/${alice.id}/checkMemberGroups`, {
      token,
      method: "POST",
      body: { groupIds: [groups.agents] },
    });
    expect(check.body.error.details[0].target).toBe("GroupMember.Read.All");
  });

  it("answers 403 accessDenied on authentication-method endpoints", async () => {
    const token = await t.tokenFor(limitedApp);
    const response = await t.graph(`/v1.0/users/${alice.id}/authentication/fido2Methods`, { token });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe("accessDenied");
    expect(response.body.error.details[0].target).toBe("UserAuthMethod-Passkey.Read.All");
  });
});

describe("users' authentication methods", () => {
  it("lists all methods polymorphically and each family on its own path", async () => {
    const all = await t.graph(`/v1.0/users/${alice.id}/authentication/methods`);
    expect(all.body.value.map((method: Record<string, string>) => method["@odata.type"])).toContain(
      "#microsoft.graph.fido2AuthenticationMethod",
    );
    const fido2 = await t.graph(`/v1.0/users/${alice.id}/authentication/fido2Methods`);
    expect(fido2.body.value).toEqual([
      expect.objectContaining({ aaGuid: "cb69481e-8ff7-4039-93ec-0a2729a154a8", passkeyType: "deviceBound" }),
    ]);
    const one = await t.graph(`/v1.0/users/${alice.id}/authentication/fido2Methods/${fido2.body.value[0].id}`);
    expect(one.body.displayName).toBe("YubiKey 5");
    for (const family of ["windowsHelloForBusinessMethods", "microsoftAuthenticatorMethods", "phoneMethods"]) {
      const response = await t.graph(`/v1.0/users/${alice.id}/authentication/${family}`);
      expect(response.status, family).toBe(200);
      expect(response.body.value, family).toHaveLength(1);
    }
    await t.graph("/_emulator/throttling/reset", { method: "POST" });
  });
});

describe("Temporary Access Pass", () => {
  it("returns the code only on creation, replaces an earlier pass and audits the creation", async () => {
    await t.graph("/_emulator/throttling/reset", { method: "POST" });
    const path = `/v1.0/users/${bob.id}/authentication/temporaryAccessPassMethods`;
    const first = await t.graph(path, { method: "POST", body: { lifetimeInMinutes: 60, isUsableOnce: true } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethod",
      lifetimeInMinutes: 60,
      isUsableOnce: true,
      isUsable: true,
      methodUsabilityReason: "EnabledByPolicy",
    });
    expect(first.body.temporaryAccessPass).toMatch(/^.{8}$/);
    const second = await t.graph(path, { method: "POST", body: {} });
    expect(second.status).toBe(201);
    const listed = await t.graph(path);
    expect(listed.body.value).toHaveLength(1);
    expect(listed.body.value[0]).toMatchObject({ id: second.body.id, temporaryAccessPass: null });
    const audits = await t.graph(
      `/v1.0/auditLogs/directoryAudits?$filter=${encodeURIComponent(`activityDisplayName eq 'Admin registered security info' and targetResources/any(t:t/id eq '${bob.id}')`)}`,
    );
    expect(audits.body.value).toHaveLength(2);
    expect(audits.body.value[0]).toMatchObject({
      resultReason: "Admin registered temporary access pass method",
      initiatedBy: { app: { appId: "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f" } },
    });
    expect(t.emulator.requestLog.filter((entry) => entry.method === "POST" && entry.path === path)).toHaveLength(2);
  });

  it("refuses a lifetime outside the policy's range with Graph's message", async () => {
    await t.graph("/_emulator/throttling/reset", { method: "POST" });
    const response = await t.graph(`/v1.0/users/${alice.id}/authentication/temporaryAccessPassMethods`, {
      method: "POST",
      body: { lifetimeInMinutes: 600 },
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      code: "badRequest",
      message: "Invalid LifetimeInMinutes specified. The valid range between 60 and 480.",
    });
  });

  it("refuses an external guest", async () => {
    const response = await t.graph(`/v1.0/users/${guest.id}/authentication/temporaryAccessPassMethods`, {
      method: "POST",
      body: {},
    });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe("Temporary Access Pass cannot be added to an external guest user.");
  });

  it("computes usability from time: a pass expires after its lifetime", async () => {
    await t.graph("/_emulator/throttling/reset", { method: "POST" });
    const path = `/v1.0/users/${carol.id}/authentication/temporaryAccessPassMethods`;
    const created = await t.graph(path, { method: "POST", body: { lifetimeInMinutes: 60 } });
    t.clock.advance(61 * 60_000);
    await t.graph("/_emulator/throttling/reset", { method: "POST" });
    const token = await t.tokenFor();
    const later = await t.graph(`${path}/${created.body.id}`, { token });
    expect(later.body).toMatchObject({ isUsable: false, methodUsabilityReason: "Expired", temporaryAccessPass: null });
    const deleted = await t.graph(`${path}/${created.body.id}`, { method: "DELETE", token });
    expect(deleted.status).toBe(204);
  });
});

describe("reports and logs", () => {
  it("lists registration details with methodsRegistered/any and derives them for users without an entry", async () => {
    await t.graph("/_emulator/throttling/reset", { method: "POST" });
    const filter = encodeURIComponent("methodsRegistered/any(m:m eq 'passKeyDeviceBound')");
    const response = await t.graph(`/v1.0/reports/authenticationMethods/userRegistrationDetails?$filter=${filter}`);
    expect(response.body.value.map((entry: { id: string }) => entry.id)).toEqual([alice.id]);
    expect(response.body.value[0]).toMatchObject({ isMfaRegistered: true, isPasswordlessCapable: true });
    const explicit = await t.graph(`/v1.0/reports/authenticationMethods/userRegistrationDetails/${bob.id}`);
    expect(explicit.body.methodsRegistered).toEqual(["mobilePhone"]);
  });

  it("lists directory audits newest first with date filters", async () => {
    await t.graph("/_emulator/throttling/reset", { method: "POST" });
    const filter = encodeURIComponent(
      "loggedByService eq 'Authentication Methods' and activityDateTime ge 2026-01-01T00:00:00Z",
    );
    const response = await t.graph(`/v1.0/auditLogs/directoryAudits?$filter=${filter}&$top=1`);
    expect(response.body.value).toHaveLength(1);
    expect(response.body["@odata.nextLink"]).toBeDefined();
    const all = await t.graph(`/v1.0/auditLogs/directoryAudits?$filter=${filter}`);
    const times = all.body.value.map((audit: { activityDateTime: string }) => Date.parse(audit.activityDateTime));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const bad = await t.graph(
      `/v1.0/auditLogs/directoryAudits?$filter=${encodeURIComponent("operationType eq 'Add'")}`,
    );
    expect(bad.status).toBe(400);
  });

  it("keeps authenticationDetails on beta sign-ins and strips them on v1.0", async () => {
    await t.graph("/_emulator/throttling/reset", { method: "POST" });
    const filter = encodeURIComponent(`userId eq '${alice.id}' and createdDateTime ge 2026-11-22T00:00:00Z`);
    const beta = await t.graph(`/beta/auditLogs/signIns?$filter=${filter}`);
    expect(beta.body.value).toHaveLength(1);
    expect(beta.body.value[0].authenticationRequirement).toBe("multiFactorAuthentication");
    expect(beta.body.value[0].authenticationDetails).toHaveLength(2);
    const v1 = await t.graph(`/v1.0/auditLogs/signIns?$filter=${filter}`);
    expect(v1.body.value[0]).not.toHaveProperty("authenticationDetails");
    expect(v1.body.value[0]).not.toHaveProperty("authenticationRequirement");
  });
});

describe("Teams app installations", () => {
  it("lists installed apps filtered by teamsApp/id with $expand and installs once, then 409", async () => {
    const appId = "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b";
    const filter = encodeURIComponent(`teamsApp/id eq '${appId}'`);
    const installed = await t.graph(`/v1.0/users/${bob.id}/teamwork/installedApps?$expand=teamsApp&$filter=${filter}`);
    expect(installed.body.value).toEqual([
      expect.objectContaining({ teamsApp: expect.objectContaining({ id: appId }) }),
    ]);
    const none = await t.graph(`/v1.0/users/${alice.id}/teamwork/installedApps?$filter=${filter}`);
    expect(none.body.value).toEqual([]);
    const body = { "teamsApp@odata.bind": `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${appId}` };
    const install = await t.graph(`/v1.0/users/${alice.id}/teamwork/installedApps`, { method: "POST", body });
    expect(install.status).toBe(201);
    const again = await t.graph(`/v1.0/users/${alice.id}/teamwork/installedApps`, { method: "POST", body });
    expect(again.status).toBe(409);
  });
});

describe("control endpoints", () => {
  it("simulates an MFA sign-in that the beta sign-in log shows first", async () => {
    await t.graph("/_emulator/throttling/reset", { method: "POST" });
    const created = await t.graph("/_emulator/sign-ins", { method: "POST", body: { user: dave.upn } });
    expect(created.status).toBe(201);
    const filter = encodeURIComponent(`userId eq '${dave.id}'`);
    const response = await t.graph(`/beta/auditLogs/signIns?$filter=${filter}`);
    expect(response.body.value[0]).toMatchObject({
      id: created.body.id,
      authenticationRequirement: "multiFactorAuthentication",
    });
  });

  it("simulates a passkey registration: a fido2 method plus the two audit events with the AAGUID", async () => {
    await t.graph("/_emulator/throttling/reset", { method: "POST" });
    const aaGuid = "90a3ccdf-635c-4729-a248-9b709135078f";
    const created = await t.graph("/_emulator/passkey-registrations", {
      method: "POST",
      body: { user: carol.id, aaGuid },
    });
    expect(created.status).toBe(201);
    const methods = await t.graph(`/v1.0/users/${carol.id}/authentication/fido2Methods`);
    expect(methods.body.value.map((method: { aaGuid: string }) => method.aaGuid)).toEqual([aaGuid]);
    const filter = encodeURIComponent(
      `startswith(activityDisplayName,'Add Passkey') and targetResources/any(t:t/id eq '${carol.id}')`,
    );
    const audits = await t.graph(`/v1.0/auditLogs/directoryAudits?$filter=${filter}`);
    expect(audits.body.value[0].additionalDetails).toContainEqual({ key: "AAGuid", value: aaGuid });
    const log = await t.graph("/_emulator/request-log");
    expect(log.body.value.length).toBe(t.emulator.requestLog.length);
  });
});

describe("an account deleted by an administrator", () => {
  it("is answered 404 Request_ResourceNotFound everywhere, leaves its groups and the report, and is audited", async () => {
    // Its own emulator: the deletion must not change the tenant the other tests read.
    const own = await startTestEmulator();
    try {
      const deleted = await own.graph("/_emulator/user-deletions", {
        method: "POST",
        body: { user: alice.upn, initiatedBy: dave.id },
      });
      expect(deleted.status).toBe(201);
      for (const path of [
        `/v1.0/users/${alice.id}`,
        `/v1.0/users/${alice.id}/authentication/methods`,
        `/v1.0/users/${alice.id}/authentication/fido2Methods`,
        `/v1.0/reports/authenticationMethods/userRegistrationDetails/${alice.id}`,
      ]) {
        const read = await own.graph(path);
        expect({ path, status: read.status, code: read.body?.error?.code }).toEqual({
          path,
          status: 404,
          code: "Request_ResourceNotFound",
        });
      }
      const members = await own.graph(`/v1.0/groups/${groups.passkeyPilot}/members?$select=id`);
      expect(members.body.value.map((member: { id: string }) => member.id)).not.toContain(alice.id);
      const report = await own.graph("/v1.0/reports/authenticationMethods/userRegistrationDetails");
      expect(report.body.value.map((row: { id: string }) => row.id)).not.toContain(alice.id);
      const filter = encodeURIComponent(`activityDisplayName eq 'Delete user'`);
      const audits = await own.graph(`/v1.0/auditLogs/directoryAudits?$filter=${filter}`);
      expect(audits.body.value).toEqual([
        expect.objectContaining({
          loggedByService: "Core Directory",
          initiatedBy: expect.objectContaining({ user: expect.objectContaining({ id: dave.id }) }),
          targetResources: [expect.objectContaining({ id: alice.id, type: "User" })],
        }),
      ]);
    } finally {
      await own.emulator.close();
    }
  });
});
