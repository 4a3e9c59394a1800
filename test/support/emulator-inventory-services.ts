import {
  createInventoryServices,
  type InventoryServiceOptions,
  type InventoryServices,
} from "../../src/cli/create-inventory-services.js";
import type { RunningEmulator } from "../../src/emulator/start-emulator.js";
import type { RunningAzurite } from "./azurite.js";
import { PRACTICE_BOT_APP } from "./practice-tenant.js";

/**
 * The inventory's services wired to a test's own emulator (as the practice bot app, which the practice and synthetic
 * tenants both register) and its own Azurite, tables created: what each inventory and rollout test starts from.
 */
export async function emulatorInventoryServices(
  emulator: RunningEmulator,
  azurite: RunningAzurite,
  options: Pick<InventoryServiceOptions, "schedulerOptions" | "prefix"> = {},
): Promise<InventoryServices> {
  const services = createInventoryServices({
    graph: { mode: "emulator", baseUrl: emulator.baseUrl, tenantId: emulator.tenantId, ...PRACTICE_BOT_APP },
    storage: { kind: "connectionString", connectionString: azurite.connectionString },
    ...options,
  });
  await services.ensure();
  return services;
}
