import type { JobHandler } from "../../jobs/run-job-worker.js";
import { type FullInventoryDependencies, runFullInventory } from "./run-full-inventory.js";
import { runIncrementalInventory } from "./run-incremental-inventory.js";

/** Who asked for a run and in which language (every chat-started job's payload): its outcome is posted to them. */
export interface RequestedBy {
  requestedBy?: string;
  locale?: string;
  ringIds?: string[];
}

export const INVENTORY_JOB_KINDS = { full: "inventory.full", incremental: "inventory.incremental" } as const;

/**
 * The inventory's background jobs. A full run's job id is its snapshot id and checkpoint key, so whichever instance
 * takes the job (first or after a crash) continues the same run.
 */
export function createInventoryJobHandlers(
  deps: Omit<FullInventoryDependencies, "signal">,
): Record<string, JobHandler> {
  return {
    [INVENTORY_JOB_KINDS.full]: async (job, context) => {
      await runFullInventory({ ...deps, signal: context.signal }, job.id);
    },
    [INVENTORY_JOB_KINDS.incremental]: async () => {
      await runIncrementalInventory({
        reader: deps.reader,
        store: deps.store,
        now: deps.now,
        ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
      });
    },
  };
}
