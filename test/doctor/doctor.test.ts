import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDoctorCli } from "../../src/cli/doctor.js";
import { type AppConfig, loadConfig } from "../../src/config.js";
import type { DoctorCheck } from "../../src/doctor/doctor-check.js";
import { PERMISSION_PROBES, probeFor } from "../../src/doctor/permission-probes.js";
import { probeStorage } from "../../src/doctor/probe-storage.js";
import { runDoctor } from "../../src/doctor/run-doctor.js";
import { type RunningEmulator, startEmulator } from "../../src/emulator/start-emulator.js";
import { createGraphGateway } from "../../src/graph/create-graph-gateway.js";
import { botApplicationPermissions, GRAPH_FEATURES, requiredPermissions } from "../../src/graph/graph-permissions.js";
import { createStorageAccount } from "../../src/storage/storage-account.js";
import { type RunningAzurite, startAzurite } from "../support/azurite.js";
import { freePort } from "../support/free-port.js";
import { readPracticeTenant } from "../support/practice-tenant.js";

const SECRET = "doctor-test-secret";
/**
 * App registrations of the practice tenant's bot with some permissions taken away, and what Microsoft's rules (the
 * emulator's permission map, graph.md §8) say the doctor must then report. A permission a broader granted one covers
 * is not missing: UserAuthenticationMethod.Read.All also reads passkeys, RoleManagement.Read.Directory also reads
 * role eligibilities, Policy.Read.All also reads the authentication methods policy.
 */
const CASES: Array<{ without: string[]; missing: string[]; unknown?: string[] }> = [
  { without: ["User.Read.All"], missing: ["User.Read.All"], unknown: ["GroupMember.Read.All"] },
  { without: ["GroupMember.Read.All"], missing: ["GroupMember.Read.All"] },
  // Both directory-role reads go out in one probe; with assignments refused it cannot tell whether eligibilities
  // would pass. PIM for Groups has a probe of its own.
  {
    without: ["RoleManagement.Read.Directory"],
    missing: ["RoleManagement.Read.Directory"],
    unknown: ["RoleEligibilitySchedule.Read.Directory"],
  },
  { without: ["RoleEligibilitySchedule.Read.Directory"], missing: [] },
  {
    without: ["RoleManagement.Read.Directory", "RoleEligibilitySchedule.Read.Directory"],
    missing: ["RoleManagement.Read.Directory"],
    unknown: ["RoleEligibilitySchedule.Read.Directory"],
  },
  {
    without: ["PrivilegedEligibilitySchedule.Read.AzureADGroup"],
    missing: ["PrivilegedEligibilitySchedule.Read.AzureADGroup"],
  },
  // Policy.Read.All (asked for the Conditional Access read) also reads the authentication methods policy.
  { without: ["Policy.Read.AuthenticationMethod"], missing: [] },
  { without: ["Policy.Read.All"], missing: ["Policy.Read.All"] },
  {
    without: ["Policy.Read.AuthenticationMethod", "Policy.Read.All"],
    missing: ["Policy.Read.AuthenticationMethod", "Policy.Read.All"],
  },
  { without: ["UserAuthenticationMethod.Read.All"], missing: ["UserAuthenticationMethod.Read.All"] },
  { without: ["UserAuthMethod-Passkey.Read.All"], missing: [] },
  {
    without: ["UserAuthMethod-Passkey.Read.All", "UserAuthenticationMethod.Read.All"],
    missing: ["UserAuthenticationMethod.Read.All", "UserAuthMethod-Passkey.Read.All"],
  },
  { without: ["UserAuthMethod-TAP.ReadWrite.All"], missing: ["UserAuthMethod-TAP.ReadWrite.All"] },
  { without: ["AuditLog.Read.All"], missing: ["AuditLog.Read.All"] },
  {
    without: ["TeamsAppInstallation.ReadWriteSelfForUser.All"],
    missing: ["TeamsAppInstallation.ReadWriteSelfForUser.All"],
  },
];
const appIdOf = (index: number) => `d0c70000-0000-4000-8000-${String(index).padStart(12, "0")}`;

let emulator: RunningEmulator;
let azurite: RunningAzurite;

beforeAll(async () => {
  const tenant = readPracticeTenant();
  CASES.forEach(({ without }, index) => {
    tenant.applications.push({
      appId: appIdOf(index),
      displayName: `Passkey Helpdesk without ${without.join(", ")}`,
      clientSecret: SECRET,
      applicationPermissions: botApplicationPermissions().filter((permission) => !without.includes(permission)),
    });
  });
  [emulator, azurite] = await Promise.all([startEmulator({ tenant }), startAzurite()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([emulator?.close(), azurite?.stop()]);
});

function configFor(env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    GRAPH_EMULATOR_URL: emulator.baseUrl,
    STORAGE_CONNECTION_STRING: azurite.connectionString,
    ...env,
  });
}

async function doctor(config: AppConfig): Promise<DoctorCheck[]> {
  return runDoctor({
    config,
    graph: createGraphGateway({ ...config.graph, requestTimeoutMs: 5000 }),
    checkStorage: () => probeStorage(createStorageAccount(config.storage)),
  });
}

const row = (checks: DoctorCheck[], name: string) => checks.find((check) => check.check === name);

describe("npm run doctor against the Graph emulator and Azurite", () => {
  it("reports every check ok for the practice tenant's bot app, which is granted everything the bot asks for", async () => {
    const checks = await doctor(configFor());
    expect(checks.filter((check) => check.status !== "ok")).toEqual([]);
    expect(checks.map((check) => check.check)).toEqual([
      "configuration",
      "Graph credentials",
      ...requiredPermissions().map(({ permission }) => `permission ${permission}`),
      "storage: tables",
      "storage: blobs",
      "storage: queues",
      "bot registration",
    ]);
  });

  it.each(CASES.map((testCase, index) => [testCase.without.join(" + "), testCase, index] as const))(
    "with an app registration lacking %s, names exactly what is missing and the feature it disables",
    async (_name, { missing, unknown = [] }, index) => {
      const checks = await doctor(configFor({ GRAPH_CLIENT_ID: appIdOf(index), GRAPH_CLIENT_SECRET: SECRET }));
      const permissionRows = checks.filter((check) => check.check.startsWith("permission "));
      expect(permissionRows.filter((check) => check.status === "missing").map((check) => check.check)).toEqual(
        missing.map((permission) => `permission ${permission}`),
      );
      expect(permissionRows.filter((check) => check.status === "unknown").map((check) => check.check)).toEqual(
        unknown.map((permission) => `permission ${permission}`),
      );
      for (const permission of missing) {
        const check = row(checks, `permission ${permission}`);
        const { features } = requiredPermissions().find((entry) => entry.permission === permission) ?? { features: [] };
        for (const feature of features) expect(check?.detail).toContain(GRAPH_FEATURES[feature].withoutIt);
        expect(check?.fix).toContain(`add ${permission} to the app's applicationPermissions`);
      }
      expect(checks.filter((check) => !check.check.startsWith("permission ")).every((c) => c.status === "ok")).toBe(
        true,
      );
    },
  );

  it("names storage and how to start Azurite when nothing listens there, and still checks Graph", async () => {
    const [blob, queue, table] = [await freePort(), await freePort(), await freePort()];
    const config = configFor({
      STORAGE_CONNECTION_STRING:
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;" +
        `BlobEndpoint=http://127.0.0.1:${blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:${queue}/devstoreaccount1;` +
        `TableEndpoint=http://127.0.0.1:${table}/devstoreaccount1;`,
    });
    const checks = await doctor(config);
    for (const [service, port] of [
      ["tables", table],
      ["blobs", blob],
      ["queues", queue],
    ] as const) {
      const check = row(checks, `storage: ${service}`);
      expect(check?.status).toBe("unreachable");
      expect(check?.detail).toContain(
        `Azure Storage (${service}) at http://127.0.0.1:${port}/devstoreaccount1 does not answer`,
      );
      expect(check?.fix).toMatch(/^start Azurite \(npm start starts it/);
    }
    expect(row(checks, "Graph credentials")?.status).toBe("ok");
  });

  it("says the Graph emulator does not answer and how to start it, and skips the permissions", async () => {
    const checks = await doctor(configFor({ GRAPH_EMULATOR_URL: `http://127.0.0.1:${await freePort()}` }));
    expect(row(checks, "Graph credentials")).toMatchObject({
      status: "unreachable",
      fix: expect.stringContaining("npm run emulator"),
    });
    expect(checks.filter((check) => check.check.startsWith("permission ")).every((c) => c.status === "skipped")).toBe(
      true,
    );
  });

  it("calls a wrong client secret wrong credentials, not a missing permission", async () => {
    const checks = await doctor(configFor({ GRAPH_CLIENT_SECRET: "not-the-secret" }));
    expect(row(checks, "Graph credentials")).toMatchObject({ status: "wrong" });
    expect(checks.some((check) => check.status === "missing")).toBe(false);
  });

  it("prints the table and exits 1 on a configuration error, naming the variable", async () => {
    const lines: string[] = [];
    const code = await runDoctorCli([], { out: (line) => lines.push(line), err: (line) => lines.push(line) }, () =>
      loadConfig({ GRAPH_MODE: "live" }),
    );
    expect(code).toBe(1);
    expect(lines.join("\n")).toMatch(/configuration\s+missing\s+TENANT_ID is required/);
  });

  it("prints the missing permission with the feature it disables and the fix, and exits 1", async () => {
    const index = CASES.findIndex(({ without }) => without.join() === "AuditLog.Read.All");
    const lines: string[] = [];
    const code = await runDoctorCli([], { out: (line) => lines.push(line), err: (line) => lines.push(line) }, () =>
      configFor({ GRAPH_CLIENT_ID: appIdOf(index), GRAPH_CLIENT_SECRET: SECRET }),
    );
    const printed = lines.join("\n");
    expect(code).toBe(1);
    expect(printed).toMatch(
      /permission AuditLog\.Read\.All\s+missing\s+not granted\. The triage answers 'unknown' to recent MFA/,
    );
    expect(printed).toMatch(/fix: add AuditLog\.Read\.All to the app's applicationPermissions/);
    expect(printed).toMatch(/permission User\.Read\.All\s+ok/);
  });

  it("prints ok rows and exits 0 when everything is in place", async () => {
    const lines: string[] = [];
    const code = await runDoctorCli([], { out: (line) => lines.push(line), err: (line) => lines.push(line) }, () =>
      configFor(),
    );
    expect(lines.join("\n")).toContain("All checks passed.");
    expect(code).toBe(0);
  });
});

describe("the doctor's permission probes", () => {
  it("have a cheap call for every permission the bot asks for, testing exactly that permission", () => {
    for (const required of requiredPermissions()) expect(probeFor(required), required.permission).not.toBeNull();
    expect(Object.keys(PERMISSION_PROBES)).not.toContain("getRegistrationDetails");
  });
});
