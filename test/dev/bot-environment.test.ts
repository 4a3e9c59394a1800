import { afterEach, expect, it, vi } from "vitest";
import { loadConfig, PracticeTenant } from "../../src/config.js";
import { botEnvironment } from "../../src/dev/start-stack.js";

afterEach(() => {
  vi.unstubAllEnvs();
});

it("points the bot at the stack's emulator and Azurite whatever live settings the shell holds", () => {
  vi.stubEnv("GRAPH_MODE", "live");
  vi.stubEnv("BOT_ID", "11111111-2222-4333-8444-777777777777");
  vi.stubEnv("BOT_PASSWORD", "shell-secret");
  vi.stubEnv("GRAPH_MANAGED_IDENTITY", "yes please");
  vi.stubEnv("GRAPH_CLIENT_CERTIFICATE_PATH", "/secrets/graph.pem");
  vi.stubEnv("STORAGE_ACCOUNT_URL", "https://acct.table.core.windows.net");
  const storageConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;";

  const config = loadConfig(
    botEnvironment({
      emulatorUrl: "http://127.0.0.1:45055",
      tenantId: PracticeTenant.tenantId,
      storageConnectionString,
      port: 43978,
    }),
  );

  expect(config.graph).toMatchObject({ mode: "emulator", baseUrl: "http://127.0.0.1:45055" });
  expect(config.bot).toEqual({ kind: "anonymous" });
  expect(config.storage).toEqual({ kind: "connectionString", connectionString: storageConnectionString });
  expect(config.port).toBe(43978);
});

it("passes --locale on as FORCE_LOCALE, and clears one the shell holds when it is not given", () => {
  vi.stubEnv("FORCE_LOCALE", "cs");
  const stack = { emulatorUrl: "http://127.0.0.1:45055", tenantId: PracticeTenant.tenantId, port: 43978 };
  const storageConnectionString = "UseDevelopmentStorage=true";
  expect(loadConfig(botEnvironment({ ...stack, storageConnectionString })).forcedLocale).toBeUndefined();
  expect(loadConfig(botEnvironment({ ...stack, storageConnectionString, locale: "cs" })).forcedLocale).toBe("cs");
});
