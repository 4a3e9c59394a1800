import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildEntityProperties, defaultSchemaPath } from "../../scripts/generate-entity-properties.js";
import { entityProperties } from "../../src/emulator/entity-properties.js";
import { hasSharedReference, needsShared } from "../support/repo-path.js";
import { alice, bob, groups, startTestEmulator, type TestEmulator } from "./emulator-harness.js";

const practiceTenantPath = resolve(__dirname, "../../tenants/contoso-practice.json");

function notFoundProperty(name: string, type: string): string {
  return `Could not find a property named '${name}' on type '${type}'.`;
}

describe("entity-properties.ts", () => {
  // ../shared is there in development and CI checkouts; production never reads it.
  it.skipIf(!hasSharedReference)(needsShared("is what the generator makes of the reference schemas now"), () => {
    const schemas = JSON.parse(readFileSync(defaultSchemaPath, "utf8"));
    expect(entityProperties).toEqual(buildEntityProperties(schemas));
  });

  it("lists inherited members: id on every type with an id, deletedDateTime on directory objects", () => {
    expect(entityProperties["microsoft.graph.fido2AuthenticationMethod"]?.properties).toEqual(
      expect.arrayContaining(["id", "createdDateTime", "aaGuid"]),
    );
    expect(entityProperties["microsoft.graph.user"]?.properties).toEqual(
      expect.arrayContaining(["id", "deletedDateTime", "userPrincipalName", "jobTitle"]),
    );
    expect(entityProperties["microsoft.graph.user"]?.navigation).toContain("manager");
  });
});

describe("$select follows the entity type's declared properties (mini tenant)", () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator({ throttleScale: 100 });
  });
  afterAll(async () => {
    await t.emulator.close();
  });

  it("returns a declared property no user has set as null on a single user", async () => {
    const response = await t.graph(`/v1.0/users/${alice.id}?$select=id,displayName,employeeId,officeLocation`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: alice.id, employeeId: null, officeLocation: null });
    expect(response.body.displayName).toEqual(expect.any(String));
  });

  it("returns a declared but unset property as null on every item of a user list", async () => {
    const response = await t.graph("/v1.0/users?$select=id,faxNumber,onPremisesImmutableId");
    expect(response.status).toBe(200);
    expect(response.body.value.length).toBeGreaterThan(1);
    for (const user of response.body.value) {
      expect(Object.keys(user).sort()).toEqual(["faxNumber", "id", "onPremisesImmutableId"]);
      expect(user.faxNumber).toBeNull();
    }
  });

  it("answers a property the user type does not declare with Graph's 400 naming it and the type", async () => {
    const response = await t.graph("/v1.0/users?$select=id,shoeSize");
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("Request_BadRequest");
    expect(response.body.error.message).toBe(notFoundProperty("shoeSize", "microsoft.graph.user"));
  });

  it("refuses an undeclared property even on an empty collection, and accepts a declared one there", async () => {
    // bob has no passkey: the old check accepted anything when there was no item to look at.
    const refused = await t.graph(`/v1.0/users/${bob.id}/authentication/fido2Methods?$select=shoeSize`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("badRequest");
    expect(refused.body.error.message).toBe(notFoundProperty("shoeSize", "microsoft.graph.fido2AuthenticationMethod"));
    const accepted = await t.graph(`/v1.0/users/${bob.id}/authentication/fido2Methods?$select=id,aaGuid,passkeyType`);
    expect(accepted.status).toBe(200);
    expect(accepted.body.value).toEqual([]);
  });

  it("returns a passkey's declared but unset members as null and refuses a member of another method type", async () => {
    const passkeys = await t.graph(`/v1.0/users/${alice.id}/authentication/fido2Methods?$select=id,aaGuid,passkeyType`);
    expect(passkeys.status).toBe(200);
    expect(passkeys.body.value.length).toBeGreaterThan(0);
    for (const passkey of passkeys.body.value) expect(passkey).toHaveProperty("passkeyType");
    const other = await t.graph(`/v1.0/users/${alice.id}/authentication/fido2Methods?$select=id,keyStrength`);
    expect(other.status).toBe(400);
    expect(other.body.error.message).toBe(notFoundProperty("keyStrength", "microsoft.graph.fido2AuthenticationMethod"));
  });

  it("speaks the reports family's BadRequest for an undeclared audit property", async () => {
    const response = await t.graph("/v1.0/auditLogs/directoryAudits?$select=id,shoeSize");
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("BadRequest");
    expect(response.body.error.message).toBe(notFoundProperty("shoeSize", "microsoft.graph.directoryAudit"));
  });

  it("accepts sign-in MFA members on beta only, as v1.0 does not declare them", async () => {
    const v1 = await t.graph("/v1.0/auditLogs/signIns?$select=id,authenticationRequirement");
    expect(v1.status).toBe(400);
    expect(v1.body.error.message).toBe(notFoundProperty("authenticationRequirement", "microsoft.graph.signIn"));
    const beta = await t.graph("/beta/auditLogs/signIns?$select=id,authenticationRequirement,mfaDetail");
    expect(beta.status).toBe(200);
    expect(beta.body.value.length).toBeGreaterThan(0);
    for (const signIn of beta.body.value) {
      expect(Object.keys(signIn).sort()).toEqual(["authenticationRequirement", "id", "mfaDetail"]);
    }
  });

  it("returns a v1.0 sign-in member the data lacks (servicePrincipalName) as null", async () => {
    const response = await t.graph("/v1.0/auditLogs/signIns?$select=id,servicePrincipalName");
    expect(response.status).toBe(200);
    for (const signIn of response.body.value) expect(signIn.servicePrincipalName).toBeNull();
  });

  it("selects members of the derived types on a polymorphic directory collection, each item keeping its own type's", async () => {
    const response = await t.graph(
      `/v1.0/groups/${groups.passkeyPilot}/members?$select=id,displayName,userPrincipalName`,
    );
    expect(response.status).toBe(200);
    const user = response.body.value.find((item: { id: string }) => item.id === alice.id);
    const group = response.body.value.find((item: { id: string }) => item.id === groups.agents);
    expect(user).toMatchObject({ "@odata.type": "#microsoft.graph.user", userPrincipalName: alice.upn });
    expect(group).toMatchObject({ "@odata.type": "#microsoft.graph.group", displayName: "Helpdesk Agents" });
    expect(group).not.toHaveProperty("userPrincipalName");
    const refused = await t.graph(`/v1.0/groups/${groups.passkeyPilot}/members?$select=id,shoeSize`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe(notFoundProperty("shoeSize", "microsoft.graph.directoryObject"));
  });

  it("returns a policy configuration's inline targets for a selected navigation property", async () => {
    const response = await t.graph(
      "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2?$select=id,includeTargets,passkeyProfiles",
    );
    expect(response.status).toBe(200);
    expect(Array.isArray(response.body.includeTargets)).toBe(true);
    const refused = await t.graph(
      "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2?$select=id,defaultLength",
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe(
      notFoundProperty("defaultLength", "microsoft.graph.fido2AuthenticationMethodConfiguration"),
    );
  });

  it("checks the beta-only per-user MFA requirements type too", async () => {
    const accepted = await t.graph(`/beta/users/${alice.id}/authentication/requirements?$select=perUserMfaState`);
    expect(accepted.status).toBe(200);
    expect(accepted.body.perUserMfaState).toEqual(expect.any(String));
    const refused = await t.graph(`/beta/users/${alice.id}/authentication/requirements?$select=shoeSize`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe(
      notFoundProperty("shoeSize", "microsoft.graph.strongAuthenticationRequirements"),
    );
  });
});

describe("every property the emulator serves is declared on its type (practice tenant)", () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator({ tenant: practiceTenantPath, throttleScale: 100 });
  });
  afterAll(async () => {
    await t.emulator.close();
  });

  function undeclared(items: Array<Record<string, unknown>>, fallbackType: string, version: "v1.0" | "beta") {
    const problems: string[] = [];
    for (const item of items) {
      const type = typeof item["@odata.type"] === "string" ? (item["@odata.type"] as string).slice(1) : fallbackType;
      const entry = entityProperties[type];
      if (!entry) {
        problems.push(`${type}: no entry in entity-properties.ts`);
        continue;
      }
      const declared = new Set([
        ...entry.properties,
        ...entry.navigation,
        ...(version === "beta" ? (entry.beta ?? []) : []),
      ]);
      for (const key of Object.keys(item)) {
        if (!key.startsWith("@") && !declared.has(key)) problems.push(`${type}.${key}`);
      }
    }
    return [...new Set(problems)];
  }

  const collections: Array<[label: string, path: string, type: string]> = [
    ["users", "/users", "microsoft.graph.user"],
    ["groups", "/groups", "microsoft.graph.group"],
    ["role assignments", "/roleManagement/directory/roleAssignments", "microsoft.graph.unifiedRoleAssignment"],
    [
      "role eligibility",
      "/roleManagement/directory/roleEligibilityScheduleInstances",
      "microsoft.graph.unifiedRoleEligibilityScheduleInstance",
    ],
    [
      "method configurations",
      "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations",
      "microsoft.graph.authenticationMethodConfiguration",
    ],
    [
      "registration details",
      "/reports/authenticationMethods/userRegistrationDetails",
      "microsoft.graph.userRegistrationDetails",
    ],
    ["directory audits", "/auditLogs/directoryAudits", "microsoft.graph.directoryAudit"],
    ["sign-ins", "/auditLogs/signIns", "microsoft.graph.signIn"],
  ];

  for (const version of ["v1.0", "beta"] as const) {
    for (const [label, path, type] of collections) {
      it(`serves ${label} on ${version} with declared properties only`, async () => {
        const response = await t.graph(`/${version}${path}`);
        expect(response.status).toBe(200);
        expect(response.body.value.length).toBeGreaterThan(0);
        expect(undeclared(response.body.value, type, version)).toEqual([]);
      });
    }
  }

  it("serves every user's authentication methods and registered devices with declared properties only", async () => {
    const users = (await t.graph("/v1.0/users?$select=id&$top=999")).body.value as Array<{ id: string }>;
    const problems = new Set<string>();
    for (const { id } of users) {
      const methods = await t.graph(`/v1.0/users/${id}/authentication/methods`);
      const devices = await t.graph(`/v1.0/users/${id}/registeredDevices`);
      for (const problem of undeclared(methods.body.value, "microsoft.graph.authenticationMethod", "v1.0"))
        problems.add(problem);
      for (const problem of undeclared(devices.body.value, "microsoft.graph.device", "v1.0")) problems.add(problem);
    }
    expect(users.length).toBeGreaterThan(10);
    expect([...problems]).toEqual([]);
  });
});
