import type { ContainerClient } from "@azure/storage-blob";
import type { BackgroundLease } from "../../jobs/background-lease.js";
import { deleteUselessInventoryExports } from "../../storage/inventory-exports.js";

/** Links live 15 minutes: a pass every 5 keeps an answered export at most 20 minutes. */
const SWEEP_INTERVAL_MS = 5 * 60_000;

export interface InventoryExportSweeper {
  /** One pass: the ids deleted, or null when another instance holds the sweep's lease. Tests call it directly. */
  sweep(): Promise<string[] | null>;
  stop(): void;
}

export interface InventoryExportSweeperDependencies {
  exports: ContainerClient;
  /** Held for the pass, so one instance sweeps at a time. */
  lease: BackgroundLease;
  now(): Date;
  logger: { warn(fields: object, message: string): void };
}

/**
 * Deletes inventory exports nobody can use any more (see inventoryExportUsefulUntil), one instance at a time under a
 * blob lease. In Azure the account's lifecycle policy (infra/azure.bicep) deletes them after a day as well, even with
 * no bot running; Azurite runs no lifecycle policies, so locally this is the only cleanup. A failed pass is logged and
 * the next one tries again; passes never overlap.
 */
export function startInventoryExportSweeper(
  deps: InventoryExportSweeperDependencies,
  intervalMs = SWEEP_INTERVAL_MS,
): InventoryExportSweeper {
  const sweep = async () => {
    const held = await deps.lease.tryAcquire();
    if (!held) return null;
    try {
      return await deleteUselessInventoryExports(deps.exports, deps.now());
    } finally {
      await held.release();
    }
  };
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweep()
      .catch((error: unknown) =>
        deps.logger.warn({ err: error, event: "inventory.exportSweepFailed" }, "inventory export sweep failed"),
      )
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return { sweep, stop: () => clearInterval(timer) };
}
