import { findInsights, type InventoryInsights } from "../../src/capabilities/inventory/find-insights.js";
import { loadTargetMemberships } from "../../src/capabilities/inventory/load-target-memberships.js";
import { runFullInventory } from "../../src/capabilities/inventory/run-full-inventory.js";
import type { RingReadiness } from "../../src/capabilities/rollout/ring-readiness.js";
import { runRingReadiness } from "../../src/capabilities/rollout/run-ring-readiness.js";
import { type InventoryServices, ringReadinessDependencies } from "../../src/cli/create-inventory-services.js";
import { createManualClock } from "../../src/emulator/emulator-clock.js";
import { type RunningEmulator, startEmulator } from "../../src/emulator/start-emulator.js";
import type { TenantFile } from "../../src/emulator/tenant-file.js";
import { type RunningAzurite, startAzurite } from "./azurite.js";
import { emulatorInventoryServices } from "./emulator-inventory-services.js";
import { readPracticeTenant } from "./practice-tenant.js";

export const PRACTICE_START = Date.parse("2026-11-22T10:00:00Z");

export interface PracticeInventory {
  tenant: TenantFile;
  azurite: RunningAzurite;
  emulator: RunningEmulator;
  services: InventoryServices;
  insights: InventoryInsights;
  rings: RingReadiness[];
  stop(): Promise<void>;
}

/** The practice tenant inventoried and its policy rings assessed, on a real emulator and a real Azurite. */
export async function inventoryPracticeTenant(): Promise<PracticeInventory> {
  const tenant = readPracticeTenant();
  const [azurite, emulator] = await Promise.all([
    startAzurite(),
    startEmulator({
      port: 0,
      tenant: structuredClone(tenant),
      clock: createManualClock(PRACTICE_START),
      throttleScale: 1000,
    }),
  ]);
  const services = await emulatorInventoryServices(emulator, azurite, { schedulerOptions: { reportsPerWindow: 1000 } });
  const now = () => new Date(PRACTICE_START);
  await runFullInventory(
    { reader: services.reader, store: services.store, checkpoints: services.checkpoints, now },
    "practice-full",
  );
  const { rings } = await runRingReadiness(ringReadinessDependencies(services, now), { runId: "practice-rings" });
  const policy = await services.gateway.getTenantPolicySnapshot();
  const memberships = await loadTargetMemberships(services.reader, policy);
  const insights = await findInsights(
    {
      users: services.store.users("practice-full"),
      audits: services.store.audits("practice-full"),
      fido2: policy.fido2,
      memberOf: memberships.of,
      catalog: services.catalog,
    },
    { bulkThreshold: 8, bulkWindowMinutes: 10 },
  );
  return {
    tenant,
    azurite,
    emulator,
    services,
    insights,
    rings,
    async stop() {
      await emulator.close();
      await azurite.stop();
    },
  };
}
