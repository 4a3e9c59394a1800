import type { Logger } from "../../bot/create-logger.js";
import type { CardMessage } from "../../cards/card-message.js";
import { localizedText } from "../../cards/localized-text.js";
import { AccessDeniedError } from "../../graph/graph-errors.js";
import type { JobWorkerEvent } from "../../jobs/run-job-worker.js";
import { isRefusal } from "../../refusal/refusal-error.js";
import type { RequestedBy } from "./inventory-jobs.js";
import { NoInventorySnapshotError } from "./run-incremental-inventory.js";

/**
 * Failures no later delivery cures within the worker's few minutes of retries: a permission the app was not granted
 * (403), credentials Graph refuses (401), a rule the request breaks (any refusal), or an incremental run with no
 * snapshot to bring up to date. Retrying them only spends the background budget and keeps the admin waiting.
 */
export function isRetryPointless(error: unknown): boolean {
  if (error instanceof AccessDeniedError || error instanceof NoInventorySnapshotError) return true;
  return isRefusal(error);
}

/**
 * The card for a run that will not finish: which permission IT must grant when one is missing, else "try again later;
 * if it keeps failing, tell IT", with `reference` (the job id) to quote.
 */
export function runDidNotFinishCard(kind: string, error: unknown, reference: string): CardMessage<"error"> {
  const message =
    error instanceof AccessDeniedError && error.missingPermission
      ? localizedText("inventory.runNeedsPermission", { permission: error.missingPermission })
      : localizedText(
          kind.startsWith("inventory.") ? "inventory.inventoryDidNotFinish" : "inventory.ringsDidNotFinish",
        );
  return { name: "error", data: { message, correlationId: reference } };
}

/**
 * What the inventory's job worker reports, as one line each in the log (job id and kind, never the payload): a
 * failure that will be retried is logged only; a job given up (after its last attempt, or at once when retrying is
 * pointless) is logged as an error and the admin who asked is told, in their language, with the job id to quote.
 */
export function reportInventoryJobFailures(deps: {
  logger: Pick<Logger, "warn" | "error">;
  post: (userId: string, card: CardMessage, locale: string) => Promise<void>;
}): (event: JobWorkerEvent) => void {
  return (event) => {
    if (event.kind === "failed") {
      deps.logger.warn(
        {
          event: "inventory.jobFailed",
          jobId: event.job.id,
          kind: event.job.kind,
          attempt: event.attempt,
          err: event.error,
        },
        "inventory job failed; it will be retried",
      );
      return;
    }
    if (event.kind !== "gaveUp") return;
    const { job } = event;
    deps.logger.error(
      {
        event: "inventory.jobGaveUp",
        jobId: job.id,
        kind: job.kind,
        attempt: event.attempt,
        permanent: event.permanent,
        err: event.error,
      },
      "inventory job given up",
    );
    const payload = (job.payload ?? {}) as RequestedBy;
    if (!payload.requestedBy) return;
    deps
      .post(payload.requestedBy, runDidNotFinishCard(job.kind, event.error, job.id), payload.locale ?? "en")
      .catch((error: unknown) =>
        deps.logger.error({ event: "inventory.jobGaveUpNotDelivered", jobId: job.id, err: error }, "admin not told"),
      );
  };
}
