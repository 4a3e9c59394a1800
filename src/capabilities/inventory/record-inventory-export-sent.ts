import type { ContainerClient } from "@azure/storage-blob";
import type { Logger } from "../../bot/create-logger.js";
import {
  InventoryExportAnsweredMeanwhileError,
  InventoryExportNotFoundError,
  recordInventoryExportAnswer,
  type StoredInventoryExport,
} from "../../storage/inventory-exports.js";

/**
 * Pauses before each further try after the first fails: about 8 s in all, well inside the 5 minutes after which a
 * `sending` claim goes stale and a later Allow could upload the file again.
 */
export const SENT_RETRY_PAUSES_MS = [500, 2_000, 5_000] as const;

export interface RecordSentDependencies {
  container: ContainerClient;
  now(): Date;
  logger: Pick<Logger, "error">;
  /** Waits between tries (tests pass their own, to act on storage at exactly that moment). */
  pause?: (ms: number) => Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Records that the CSV reached the admin's OneDrive. The first try is awaited; if storage fails it, the file is in
 * OneDrive whatever storage says, so the admin is answered at once and the record is retried in the background with a
 * short backoff: left `sending`, an Allow after the stale-claim window would upload it again. A 412 (the claim was
 * taken over, or an earlier try landed without its answer) or a 404 (the export is gone) leaves nothing to record. If
 * every try fails, the export is logged as an error (its id only).
 */
export async function recordInventoryExportSent(
  deps: RecordSentDependencies,
  claimed: StoredInventoryExport,
): Promise<void> {
  let lastError: unknown;
  const tryOnce = async () => {
    try {
      await recordInventoryExportAnswer(deps.container, claimed, "sent", deps.now());
      return true;
    } catch (error) {
      if (error instanceof InventoryExportAnsweredMeanwhileError || error instanceof InventoryExportNotFoundError)
        return true;
      lastError = error;
      return false;
    }
  };
  if (await tryOnce()) return;
  const pause = deps.pause ?? sleep;
  void (async () => {
    for (const ms of SENT_RETRY_PAUSES_MS) {
      await pause(ms);
      if (await tryOnce()) return;
    }
    deps.logger.error(
      {
        event: "inventory.fileSentNotRecorded",
        exportId: claimed.exportId,
        attempts: SENT_RETRY_PAUSES_MS.length + 1,
        err: lastError,
      },
      "CSV uploaded but not recorded as sent; a later Allow may upload it again",
    );
  })();
}
