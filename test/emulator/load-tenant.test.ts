import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InvalidTenantFileError, loadTenant } from "../../src/emulator/load-tenant.js";
import { startEmulator } from "../../src/emulator/start-emulator.js";
import type { TenantFile } from "../../src/emulator/tenant-file.js";
import { miniTenantPath } from "./emulator-harness.js";

const mini = (): TenantFile => JSON.parse(readFileSync(miniTenantPath, "utf8"));
const now = Date.parse("2026-11-22T12:00:00Z");

describe("tenant loading", () => {
  it("rejects a user without a UPN, naming the path", () => {
    const tenant = mini();
    delete (tenant.users[3] as Partial<TenantFile["users"][number]>).userPrincipalName;
    expect(() => loadTenant(tenant, now)).toThrow("users[3].userPrincipalName: Required");
  });

  function problemsOf(tenant: TenantFile): string[] {
    try {
      loadTenant(tenant, now);
    } catch (caught) {
      if (caught instanceof InvalidTenantFileError) return caught.problems;
      throw caught;
    }
    throw new Error("The tenant file was accepted");
  }

  it.each([
    ["an unknown platform", { scenario: { platform: "iphone", aaGuid: null } }, "personas[0].scenario.platform"],
    [
      "an AAGUID that is not lower-case hyphenated",
      { scenario: { platform: "ios", aaGuid: "90A3CCDF635C4729A2489B709135078F" } },
      "personas[0].scenario.aaGuid",
    ],
    [
      "a misspelt expected field",
      {
        expected: {
          policyScope: "pass",
          freshMFA: "pass",
          freshMfa: "pass",
          platform: "pass",
          authenticator: "pass",
          firstBlocking: null,
          needsTemporaryAccessPass: false,
        },
      },
      "personas[0].expected",
    ],
    [
      "a verdict the triage does not have",
      {
        expected: {
          policyScope: "ok",
          freshMfa: "pass",
          platform: "pass",
          authenticator: "pass",
          firstBlocking: null,
          needsTemporaryAccessPass: false,
        },
      },
      "personas[0].expected.policyScope",
    ],
  ])("rejects a persona with %s, naming the path", (_name, change, path) => {
    const tenant = mini();
    Object.assign(tenant.personas?.[0] as object, change);
    expect(problemsOf(tenant).map((problem) => problem.split(":")[0])).toContain(path);
  });

  it("rejects a persona whose user does not exist", () => {
    const tenant = mini();
    (tenant.personas?.[0] as { userPrincipalName: string }).userPrincipalName =
      "nobody@contosopractice.onmicrosoft.com";
    expect(problemsOf(tenant)).toContain(
      "personas[0].userPrincipalName: no user nobody@contosopractice.onmicrosoft.com",
    );
  });

  it("refuses sign-ins without beta authenticationDetails, naming the path and why the bot needs them", () => {
    const tenant = mini();
    const first = tenant.signIns?.[0] as { authenticationDetails?: unknown } | undefined;
    if (!first) throw new Error("The mini tenant must have a sign-in");
    delete first.authenticationDetails;
    const problem = problemsOf(tenant).find((p) => p.startsWith("signIns[0].authenticationDetails:"));
    expect(problem).toMatch(/beta authenticationDetails are required/);
  });

  it("rejects references to objects that do not exist", () => {
    const tenant = mini();
    (tenant.users[0] as TenantFile["users"][number]).managerId = "99999999-9999-4999-8999-999999999999";
    (tenant.groups[0] as TenantFile["groups"][number]).memberIds.push("88888888-8888-4888-8888-888888888888");
    tenant.authenticationMethods["77777777-7777-4777-8777-777777777777"] = [];
    const error = (() => {
      try {
        loadTenant(tenant, now);
      } catch (caught) {
        return caught as InvalidTenantFileError;
      }
    })();
    expect(error).toBeInstanceOf(InvalidTenantFileError);
    expect(error?.problems).toEqual([
      "users[0].managerId: no user with id 99999999-9999-4999-8999-999999999999",
      "groups[0].memberIds[1]: no user or group with id 88888888-8888-4888-8888-888888888888",
      "authenticationMethods.77777777-7777-4777-8777-777777777777: no user with that id",
    ]);
  });

  it("rejects a TAP configuration whose lifetimes or code length are not Graph's numbers, naming each path", () => {
    const tenant = mini();
    const configurations = tenant.authenticationMethodsPolicy.authenticationMethodConfigurations;
    const index = configurations.findIndex((configuration) => configuration.id === "TemporaryAccessPass");
    Object.assign(configurations[index] as object, {
      minimumLifetimeInMinutes: "sixty",
      maximumLifetimeInMinutes: 50_000,
      defaultLength: 4,
      isUsableOnce: "yes",
    });
    const at = `authenticationMethodsPolicy.authenticationMethodConfigurations[${index}]`;
    const error = (() => {
      try {
        loadTenant(tenant, now);
      } catch (caught) {
        return caught as InvalidTenantFileError;
      }
    })();
    expect(error).toBeInstanceOf(InvalidTenantFileError);
    expect(error?.problems.map((problem) => problem.split(":")[0])).toEqual([
      `${at}.minimumLifetimeInMinutes`,
      `${at}.maximumLifetimeInMinutes`,
      `${at}.isUsableOnce`,
      `${at}.defaultLength`,
    ]);
  });

  it("rejects a TAP default lifetime outside its own minimum and maximum", () => {
    const tenant = mini();
    const configurations = tenant.authenticationMethodsPolicy.authenticationMethodConfigurations;
    const index = configurations.findIndex((configuration) => configuration.id === "TemporaryAccessPass");
    Object.assign(configurations[index] as object, {
      minimumLifetimeInMinutes: 60,
      maximumLifetimeInMinutes: 120,
      defaultLifetimeInMinutes: 480,
    });
    expect(() => loadTenant(tenant, now)).toThrow(
      `authenticationMethodsPolicy.authenticationMethodConfigurations[${index}].defaultLifetimeInMinutes: must lie between 60 and 120`,
    );
  });

  it("rebases every time by (start − capturedDateTime) when asked", () => {
    const tenant = loadTenant(mini(), now);
    expect(tenant.signIns?.[0]?.createdDateTime).toBe("2026-11-22T11:58:00Z");
    const kept = loadTenant({ ...mini(), rebaseTimes: false }, now);
    expect(kept.signIns?.[0]?.createdDateTime).toBe("2026-11-22T09:58:00Z");
  });

  it("refuses to start with an invalid file", async () => {
    const tenant = mini();
    tenant.authenticationMethodsPolicy.authenticationMethodConfigurations = [];
    await expect(startEmulator({ tenant })).rejects.toThrow(/Fido2 and TemporaryAccessPass/);
  });
});
