import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, PracticeTenant } from "../src/config.js";
import { expandDevelopmentStorage } from "../src/storage/storage-account.js";
import { freePort } from "./support/free-port.js";

function failure(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("loadConfig accepted the environment");
}

describe("loadConfig", () => {
  it("runs against the practice tenant in emulator mode with no variables at all", () => {
    const config = loadConfig({});
    expect(config.graph).toEqual({
      mode: "emulator",
      baseUrl: PracticeTenant.graphEmulatorUrl,
      tenantId: PracticeTenant.tenantId,
      clientId: PracticeTenant.graphClientId,
      clientSecret: PracticeTenant.graphClientSecret,
    });
    expect(config.bot).toEqual({ kind: "anonymous" });
    expect(config.groups.agentsGroupId).toBe("0a11e3b0-0000-4000-8000-000000000001");
    expect(config.helpdeskChannelId).toBe("19:helpdesk@thread.tacv2");
    expect(config.port).toBe(3978);
    expect(config.tapRequestExpiryMinutes).toBe(30);
    expect(config.installAppForProactive).toBe(false);
    expect(config.storage).toEqual({ kind: "connectionString", connectionString: "UseDevelopmentStorage=true" });
  });

  it("reads typed values from strings", () => {
    const config = loadConfig({
      PORT: "4000",
      INSTALL_APP_FOR_PROACTIVE: "true",
      TAP_REQUEST_EXPIRY_MINUTES: "15",
      LOG_LEVEL: "debug",
    });
    expect(config).toMatchObject({
      port: 4000,
      installAppForProactive: true,
      tapRequestExpiryMinutes: 15,
      logLevel: "debug",
    });
  });

  it.each([
    [{ PORT: "eighty" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ PORT: "1e3" }, "PORT"],
    [{ PORT: "0x50" }, "PORT"],
    [{ PORT: "-1" }, "PORT"],
    [{ PORT: "80.0" }, "PORT"],
    [{ GRAPH_MODE: "staging" }, "GRAPH_MODE"],
    [{ TENANT_ID: "contoso" }, "TENANT_ID"],
    [{ GRAPH_EMULATOR_URL: "not a url" }, "GRAPH_EMULATOR_URL"],
    [{ INSTALL_APP_FOR_PROACTIVE: "maybe" }, "INSTALL_APP_FOR_PROACTIVE"],
    [{ TAP_REQUEST_EXPIRY_MINUTES: "0" }, "TAP_REQUEST_EXPIRY_MINUTES"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ BOT_ID: "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f" }, "BOT_PASSWORD"],
    [{ BOT_PASSWORD: "x" }, "BOT_ID"],
    [{ STORAGE_ACCOUNT_URL: "https://acct.table.core.windows.net" }, "STORAGE_ACCOUNT_URL"],
    [{ HELPDESK_ADMINS_GROUP_ID: "admins" }, "HELPDESK_ADMINS_GROUP_ID"],
    [{ FIDO_METADATA_SERVICE: "sometimes" }, "FIDO_METADATA_SERVICE"],
    [{ FORCE_LOCALE: "de" }, "FORCE_LOCALE"],
    [{ HELPDESK_CHANNEL_ID: "general" }, "HELPDESK_CHANNEL_ID"],
    [{ GRAPH_MANAGED_IDENTITY: "maybe" }, "GRAPH_MANAGED_IDENTITY"],
    [
      { STORAGE_CONNECTION_STRING: "UseDevelopmentStorage=true", STORAGE_ACCOUNT_URL: "ftp://x" },
      "STORAGE_ACCOUNT_URL",
    ],
  ])("stops with one line naming the variable for %o", (env, variable) => {
    const error = failure(env);
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable} `)).toBe(true);
    expect(error.message).not.toContain("\n");
  });

  it("requires the tenant, credentials, groups and storage in live mode instead of using the practice tenant", () => {
    expect(failure({ GRAPH_MODE: "live" }).variable).toBe("TENANT_ID");
    const live = {
      GRAPH_MODE: "live",
      TENANT_ID: "11111111-2222-4333-8444-555555555555",
      GRAPH_CLIENT_ID: "11111111-2222-4333-8444-666666666666",
    };
    expect(failure(live).variable).toBe("GRAPH_CLIENT_SECRET");
    expect(failure({ ...live, GRAPH_MANAGED_IDENTITY: "true" }).variable).toBe("BOT_ID");
    Object.assign(live, { BOT_ID: "11111111-2222-4333-8444-777777777777", BOT_PASSWORD: "bot-secret" });
    expect(failure({ ...live, GRAPH_MANAGED_IDENTITY: "true" }).variable).toBe("STORAGE_CONNECTION_STRING");
    expect(
      failure({ ...live, GRAPH_MANAGED_IDENTITY: "true", STORAGE_ACCOUNT_URL: "https://acct.blob.core.windows.net" })
        .variable,
    ).toBe("HELPDESK_AGENTS_GROUP_ID");
  });

  it("stops on a malformed value even when another credential or storage option takes precedence in live mode", () => {
    const live = {
      GRAPH_MODE: "live",
      TENANT_ID: "11111111-2222-4333-8444-555555555555",
      GRAPH_CLIENT_ID: "11111111-2222-4333-8444-666666666666",
      GRAPH_CLIENT_SECRET: "a-secret",
      BOT_ID: "11111111-2222-4333-8444-777777777777",
      BOT_PASSWORD: "bot-secret",
      STORAGE_CONNECTION_STRING: "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;",
      HELPDESK_AGENTS_GROUP_ID: "11111111-2222-4333-8444-000000000001",
      HELPDESK_ADMINS_GROUP_ID: "11111111-2222-4333-8444-000000000002",
      TAP_APPROVERS_GROUP_ID: "11111111-2222-4333-8444-000000000003",
      HELPDESK_CHANNEL_ID: "19:abc@thread.tacv2",
      TEAMS_APP_ID: "11111111-2222-4333-8444-000000000004",
    };
    expect(loadConfig(live).graph).toMatchObject({ credential: { kind: "secret" } });
    expect(failure({ ...live, GRAPH_MANAGED_IDENTITY: "maybe" }).variable).toBe("GRAPH_MANAGED_IDENTITY");
    expect(failure({ ...live, STORAGE_ACCOUNT_URL: "https://acct.table.core.windows.net" }).variable).toBe(
      "STORAGE_ACCOUNT_URL",
    );
    expect(failure({ ...live, HELPDESK_CHANNEL_ID: "Help desk" }).variable).toBe("HELPDESK_CHANNEL_ID");
  });

  it("refuses two credentials for the same thing with one line naming both, instead of silently using the first", () => {
    const live = {
      GRAPH_MODE: "live",
      TENANT_ID: "11111111-2222-4333-8444-555555555555",
      GRAPH_CLIENT_ID: "11111111-2222-4333-8444-666666666666",
      GRAPH_CLIENT_SECRET: "a-secret",
      BOT_ID: "11111111-2222-4333-8444-777777777777",
      BOT_PASSWORD: "bot-secret",
      STORAGE_CONNECTION_STRING: "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;",
      HELPDESK_AGENTS_GROUP_ID: "11111111-2222-4333-8444-000000000001",
      HELPDESK_ADMINS_GROUP_ID: "11111111-2222-4333-8444-000000000002",
      TAP_APPROVERS_GROUP_ID: "11111111-2222-4333-8444-000000000003",
      HELPDESK_CHANNEL_ID: "19:abc@thread.tacv2",
      TEAMS_APP_ID: "11111111-2222-4333-8444-000000000004",
    };
    const { GRAPH_CLIENT_SECRET: _secret, ...withoutGraphSecret } = live;
    const certificate = { GRAPH_CLIENT_CERTIFICATE_PATH: "/secrets/graph.pem" };
    const refusals: Array<[Record<string, string>, string, string]> = [
      [{ ...live, ...certificate }, "GRAPH_CLIENT_SECRET", "GRAPH_CLIENT_CERTIFICATE_PATH"],
      [{ ...live, GRAPH_MANAGED_IDENTITY: "true" }, "GRAPH_CLIENT_SECRET", "GRAPH_MANAGED_IDENTITY"],
      [
        { ...withoutGraphSecret, ...certificate, GRAPH_MANAGED_IDENTITY: "yes" },
        "GRAPH_CLIENT_CERTIFICATE_PATH",
        "GRAPH_MANAGED_IDENTITY",
      ],
      [{ ...live, BOT_MANAGED_IDENTITY: "true" }, "BOT_PASSWORD", "BOT_MANAGED_IDENTITY"],
      [
        { ...live, STORAGE_ACCOUNT_URL: "https://acct.blob.core.windows.net" },
        "STORAGE_CONNECTION_STRING",
        "STORAGE_ACCOUNT_URL",
      ],
      // Emulator mode: the practice secret is a default, so only a secret that came from the environment conflicts.
      [
        { GRAPH_CLIENT_SECRET: "mine", GRAPH_MANAGED_IDENTITY: "true" },
        "GRAPH_CLIENT_SECRET",
        "GRAPH_MANAGED_IDENTITY",
      ],
      [
        {
          STORAGE_CONNECTION_STRING: "UseDevelopmentStorage=true",
          STORAGE_ACCOUNT_URL: "https://acct.blob.core.windows.net",
        },
        "STORAGE_CONNECTION_STRING",
        "STORAGE_ACCOUNT_URL",
      ],
    ];
    for (const [env, first, second] of refusals) {
      const error = failure(env);
      expect(error.variable).toBe(first);
      expect(error.message).toContain(second);
      expect(error.message).not.toContain("\n");
    }
    // A value that turns an option off, or an empty one, chooses nothing.
    expect(loadConfig({ ...live, GRAPH_MANAGED_IDENTITY: "false", BOT_MANAGED_IDENTITY: "no" }).graph).toMatchObject({
      credential: { kind: "secret" },
    });
    expect(loadConfig({ ...live, GRAPH_CLIENT_CERTIFICATE_PATH: "", STORAGE_ACCOUNT_URL: " " }).storage).toMatchObject({
      kind: "connectionString",
    });
    expect(loadConfig({ GRAPH_CLIENT_CERTIFICATE_PATH: "/secrets/graph.pem" }).graph).toMatchObject({
      mode: "emulator",
      clientSecret: PracticeTenant.graphClientSecret,
    });
    expect(loadConfig({ GRAPH_MANAGED_IDENTITY: "true" }).graph).toMatchObject({ mode: "emulator" });
  });

  it("never runs live mode anonymously: without bot credentials it stops with one line naming BOT_ID", () => {
    const live = {
      GRAPH_MODE: "live",
      TENANT_ID: "11111111-2222-4333-8444-555555555555",
      GRAPH_CLIENT_ID: "11111111-2222-4333-8444-666666666666",
      GRAPH_CLIENT_SECRET: "a-secret",
      STORAGE_CONNECTION_STRING: "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;",
      HELPDESK_AGENTS_GROUP_ID: "11111111-2222-4333-8444-000000000001",
      HELPDESK_ADMINS_GROUP_ID: "11111111-2222-4333-8444-000000000002",
      TAP_APPROVERS_GROUP_ID: "11111111-2222-4333-8444-000000000003",
      HELPDESK_CHANNEL_ID: "19:abc@thread.tacv2",
      TEAMS_APP_ID: "11111111-2222-4333-8444-000000000004",
    };
    const error = failure(live);
    expect(error.variable).toBe("BOT_ID");
    expect(error.message).toMatch(/^BOT_ID is required in live mode/);
    expect(error.message).not.toContain("\n");
    expect(failure({ ...live, BOT_ID: "", BOT_PASSWORD: "" }).variable).toBe("BOT_ID");
    expect(
      loadConfig({ ...live, BOT_ID: "11111111-2222-4333-8444-777777777777", BOT_PASSWORD: "x" }).bot,
    ).toMatchObject({
      kind: "password",
    });
    expect(loadConfig({}).bot).toEqual({ kind: "anonymous" });
  });

  it("builds a live configuration with managed identities and the account's table endpoint", () => {
    const config = loadConfig({
      GRAPH_MODE: "live",
      TENANT_ID: "11111111-2222-4333-8444-555555555555",
      GRAPH_CLIENT_ID: "11111111-2222-4333-8444-666666666666",
      GRAPH_CLIENT_CERTIFICATE_PATH: "/secrets/graph.pem",
      BOT_ID: "11111111-2222-4333-8444-777777777777",
      BOT_MANAGED_IDENTITY: "true",
      STORAGE_ACCOUNT_URL: "https://acct.blob.core.windows.net/",
      HELPDESK_AGENTS_GROUP_ID: "11111111-2222-4333-8444-000000000001",
      HELPDESK_ADMINS_GROUP_ID: "11111111-2222-4333-8444-000000000002",
      TAP_APPROVERS_GROUP_ID: "11111111-2222-4333-8444-000000000003",
      HELPDESK_CHANNEL_ID: "19:abc@thread.tacv2",
      TEAMS_APP_ID: "11111111-2222-4333-8444-000000000004",
    });
    expect(config.graph).toMatchObject({
      mode: "live",
      credential: { kind: "certificate", certificatePath: "/secrets/graph.pem" },
    });
    expect(config.bot).toEqual({
      kind: "managedIdentity",
      appId: "11111111-2222-4333-8444-777777777777",
      tenantId: "11111111-2222-4333-8444-555555555555",
    });
    expect(config.storage).toEqual({
      kind: "accountUrl",
      blobUrl: "https://acct.blob.core.windows.net",
      tableUrl: "https://acct.table.core.windows.net",
    });
  });

  it("asks the FIDO Metadata Service by default in live mode only, and either way when told to", () => {
    const live = {
      GRAPH_MODE: "live",
      TENANT_ID: "11111111-2222-4333-8444-555555555555",
      GRAPH_CLIENT_ID: "11111111-2222-4333-8444-666666666666",
      GRAPH_MANAGED_IDENTITY: "true",
      BOT_ID: "11111111-2222-4333-8444-777777777777",
      BOT_MANAGED_IDENTITY: "true",
      STORAGE_ACCOUNT_URL: "https://acct.blob.core.windows.net",
      HELPDESK_AGENTS_GROUP_ID: "11111111-2222-4333-8444-000000000001",
      HELPDESK_ADMINS_GROUP_ID: "11111111-2222-4333-8444-000000000002",
      TAP_APPROVERS_GROUP_ID: "11111111-2222-4333-8444-000000000003",
      HELPDESK_CHANNEL_ID: "19:abc@thread.tacv2",
      TEAMS_APP_ID: "11111111-2222-4333-8444-000000000004",
    };
    expect(loadConfig({}).fidoMetadataService).toBe(false);
    expect(loadConfig(live).fidoMetadataService).toBe(true);
    expect(loadConfig({ FIDO_METADATA_SERVICE: "on" }).fidoMetadataService).toBe(true);
    expect(loadConfig({ ...live, FIDO_METADATA_SERVICE: "off" }).fidoMetadataService).toBe(false);
    expect(loadConfig({ FIDO_METADATA_SERVICE: "TRUE" }).fidoMetadataService).toBe(true);
    expect(loadConfig({ FIDO_METADATA_SERVICE: "" }).fidoMetadataService).toBe(false);
  });
});

describe("the bot process (npm run bot)", () => {
  // What the process prints is `Configuration error: ` and the ConfigError's message (src/index.ts main), so the
  // messages are checked here in-process; one spawned run below proves that wiring and the exit code.
  it.each([
    [{ PORT: "eighty" }, "PORT must be a plain decimal port number (1–65535)"],
    [{ PORT: "1e3" }, "PORT must be a plain decimal port number (1–65535)"],
    [{ GRAPH_MODE: "live" }, "TENANT_ID is required"],
  ])("stops before anything starts with one line naming the variable for %o", (env, line) => {
    expect(failure(env).message).toBe(line);
  });

  it("prints that line alone on stderr and exits 2, whatever the test runner's own environment says", () => {
    const repo = resolve(__dirname, "..");
    // Only PATH is inherited: a variable set in the test runner's environment must not decide the outcome.
    const run = spawnSync(join(repo, "node_modules/.bin/tsx"), ["src/index.ts"], {
      cwd: repo,
      env: { PATH: process.env.PATH, PORT: "eighty" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe("Configuration error: PORT must be a plain decimal port number (1–65535)");
  }, 90_000);
});

describe("the bot process with storage down (npm run bot)", () => {
  it("stops with one line naming storage, its endpoint and the remedy", async () => {
    const repo = resolve(__dirname, "..");
    const port = await freePort();
    const connectionString = expandDevelopmentStorage("UseDevelopmentStorage=true").replace(":10002/", `:${port}/`);
    const run = spawnSync(join(repo, "node_modules/.bin/tsx"), ["src/index.ts"], {
      cwd: repo,
      env: { PATH: process.env.PATH, STORAGE_CONNECTION_STRING: connectionString, PORT: "0", LOG_LEVEL: "silent" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    // restify's require prints a Node deprecation warning first; the failure itself is the last line.
    expect(run.stderr.trim().split("\n").at(-1)).toMatch(
      new RegExp(
        `^Start-up failed: Azure Storage is not reachable at http://127\\.0\\.0\\.1:${port}/devstoreaccount1: connect ECONNREFUSED 127\\.0\\.0\\.1:${port} — start Azurite or set STORAGE_CONNECTION_STRING$`,
      ),
    );
  }, 90_000);
});

describe("the README's configuration table", () => {
  it("lists exactly the variables src/config.ts reads", () => {
    const repo = resolve(__dirname, "..");
    const source = readFileSync(join(repo, "src/config.ts"), "utf8");
    const read = new Set([...source.matchAll(/(?:read|isSet)\(\s*env,\s*"([A-Z0-9_]+)"/g)].map((match) => match[1]));
    const readme = readFileSync(join(repo, "README.md"), "utf8");
    const section = readme.slice(
      readme.indexOf("## Configuration"),
      readme.indexOf("\n## ", readme.indexOf("## Configuration") + 1),
    );
    const listed = [...section.matchAll(/^\|\s*`([A-Z0-9_]+)`\s*\|/gm)].map((match) => match[1]);
    expect(read.size).toBeGreaterThan(10);
    expect(new Set(listed).size, "no variable listed twice").toBe(listed.length);
    expect([...listed].sort()).toEqual([...read].sort());
  });
});
