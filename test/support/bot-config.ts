import { type AppConfig, loadConfig } from "../../src/config.js";

/**
 * The bot's configuration as `npm start` reads it from the environment, pointed at a test's own Graph emulator and
 * Azurite and listening on a port the OS picks. `env` adds or overrides settings: another app registration, a forced
 * locale, the bot's own throttle scale.
 */
export function botConfigOver(
  services: { emulator: { baseUrl: string }; azurite: { connectionString: string } },
  env: Record<string, string> = {},
): AppConfig {
  return loadConfig({
    GRAPH_EMULATOR_URL: services.emulator.baseUrl,
    STORAGE_CONNECTION_STRING: services.azurite.connectionString,
    PORT: "0",
    ...env,
  });
}
