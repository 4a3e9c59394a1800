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
