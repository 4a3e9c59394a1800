import { randomUUID } from "node:crypto";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BotDependencies, BotStorage } from "../../bot/bot-dependencies.js";
import type { CardMessage } from "../../cards/card-message.js";
import { createInventoryServices, ringReadinessDependencies } from "../../cli/create-inventory-services.js";
import type { JobHandler } from "../../jobs/run-job-worker.js";
import { runJobWorker } from "../../jobs/run-job-worker.js";
import { signInventoryExportLink, storeInventoryExport } from "../../storage/inventory-exports.js";
import { type PolicyChange, predictWhatIf, type WhatIfResult } from "../rollout/predict-what-if.js";
import { type RingReadinessResult, runRingReadiness } from "../rollout/run-ring-readiness.js";
import { findInsights } from "./find-insights.js";
import { inventoryCardData, ringsCardData } from "./inventory-card-data.js";
import { INVENTORY_EXPORTS_CONTAINER } from "./inventory-file-consent.js";
import { createInventoryJobHandlers, INVENTORY_JOB_KINDS, type RequestedBy } from "./inventory-jobs.js";
import { loadTargetMemberships } from "./load-target-memberships.js";
import { isRetryPointless, reportInventoryJobFailures, runDidNotFinishCard } from "./report-inventory-job-failures.js";
import { NoInventorySnapshotError } from "./run-incremental-inventory.js";
import { writeInventoryCsv } from "./write-inventory-csv.js";

const RINGS_JOB = "rollout.rings";

/** Posts a result card to an admin's personal chat, in their language. */
export type PostResult = (userId: string, card: CardMessage, locale: string) => Promise<void>;

/** Offers a stored CSV export to the admin as a file (Teams' file consent card in personal chat). */
export type OfferFile = (userId: string, exportId: string, sizeInBytes: number, locale: string) => Promise<void>;

/** The rollout view's long runs, as the chat asks for them. */
export interface InventoryRunner {
  /** Queues an inventory run: incremental when a snapshot exists (the audit log since then), else full or if asked. */
  queueInventory(requested: RequestedBy, full: boolean): void;
  /** Queues a ring-readiness run for the given rings (all when none). */
  queueRings(requested: RequestedBy): void;
  /** What a policy change would do, from the latest rollout snapshot (NoRolloutSnapshotError without one). */
  whatIf(change: PolicyChange): Promise<WhatIfResult>;
  /** Stops looking for jobs and stops the running one; its message stays queued for another instance to resume. */
  stop(): void;
}

/**
 * How often an instance looks for jobs no worker is running: one whose instance died (it comes back on the queue a
 * minute later), or one left when this instance's worker failed. A look is four storage requests.
 */
const QUEUE_CHECK_MS = 60_000;

/** What the runner uses of the bot: its configuration, storage account, catalog, clock, logger and Graph scheduler. */
export type InventoryRunnerDependencies = Pick<
  BotDependencies,
  "config" | "authenticatorCatalog" | "graphScheduler" | "clock" | "logger"
> & { storage: Pick<BotStorage, "account"> };

/**
 * Long runs are jobs on the queue: the admin is answered at once, and whichever instance holds the background lease
 * runs them and posts the result card when done (or, when a run cannot finish, a card saying so). A job is worked on
 * when queued and at each minute's check, so one whose instance died is resumed without waiting for a command.
 * Storage and Graph are never awaited inside the turn.
 */
export function createInventoryRunner(
  bot: InventoryRunnerDependencies,
  post: PostResult,
  offerFile?: OfferFile,
): InventoryRunner {
  const services = createInventoryServices({
    graph: bot.config.graph,
    storage: bot.config.storage,
    catalog: bot.authenticatorCatalog,
    ...(bot.graphScheduler ? { scheduler: bot.graphScheduler } : {}),
  });
  let ensured: Promise<void> | null = null;
  const ensure = () => {
    ensured ??= services.ensure().catch((error: unknown) => {
      ensured = null;
      throw error;
    });
    return ensured;
  };
  const postTo = async (userId: string | undefined, card: CardMessage, locale: string) => {
    if (userId) await post(userId, card, locale);
  };

  /**
   * The summary card of the latest snapshot, with a CSV download link when one can be made, and the CSV stored for
   * the admin who asked (blob metadata names them) so the file consent can send it later.
   */
  const summaryCard = async (requestedBy: string | undefined) => {
    const snapshot = await services.store.latest();
    if (!snapshot) return null;
    const policy = await services.gateway.getTenantPolicySnapshot();
    const memberships = await loadTargetMemberships(services.reader, policy);
    const insights = await findInsights({
      users: services.store.users(snapshot.id),
      audits: services.store.audits(snapshot.id),
      fido2: policy.fido2,
      memberOf: memberships.of,
      catalog: services.catalog,
    });
    let csvUrl = "";
    let stored: { exportId: string; size: number } | null = null;
    try {
      const dir = await mkdtemp(join(tmpdir(), "inventory-csv-"));
      const file = join(dir, `${snapshot.id}.csv`);
      await writeInventoryCsv(file, services.store.users(snapshot.id), {
        fido2: policy.fido2,
        memberOf: memberships.of,
        catalog: services.catalog,
      });
      const exportId = `${snapshot.id}-${randomUUID().slice(0, 8)}.csv`;
      // The link is signed as of the export's creation: the stored link expiry is what the cleanup goes by.
      const createdAt = bot.clock();
      const blob = await storeInventoryExport(
        bot.storage.account.containerClient(INVENTORY_EXPORTS_CONTAINER),
        file,
        exportId,
        { requestedBy: requestedBy ?? "", createdAt },
      );
      stored = { exportId, size: (await stat(file)).size };
      await rm(dir, { recursive: true, force: true });
      csvUrl = await signInventoryExportLink(blob, createdAt);
    } catch (error) {
      // The summary is still worth posting; the CSV stays one `npm run inventory -- --csv FILE` away.
      bot.logger.warn({ event: "inventory.csvLinkUnavailable", err: error }, "no CSV link for the summary card");
    }
    return {
      card: { name: "inventory-summary", data: inventoryCardData(insights, snapshot.id, csvUrl) } as const,
      stored,
    };
  };

  const inventoryHandlers = createInventoryJobHandlers({
    reader: services.reader,
    store: services.store,
    checkpoints: services.checkpoints,
    now: bot.clock,
  });
  const afterwards =
    (handler: JobHandler): JobHandler =>
    async (job, context) => {
      await handler(job, context);
      const payload = job.payload as RequestedBy;
      const locale = payload.locale ?? "en";
      const summary = await summaryCard(payload.requestedBy);
      if (!summary) return;
      await postTo(payload.requestedBy, summary.card, locale);
      if (summary.stored && payload.requestedBy && offerFile) {
        await offerFile(payload.requestedBy, summary.stored.exportId, summary.stored.size, locale);
      }
    };
  const handlers: Record<string, JobHandler> = {
    [INVENTORY_JOB_KINDS.full]: afterwards(inventoryHandlers[INVENTORY_JOB_KINDS.full] as JobHandler),
    [INVENTORY_JOB_KINDS.incremental]: afterwards(inventoryHandlers[INVENTORY_JOB_KINDS.incremental] as JobHandler),
    [RINGS_JOB]: async (job) => {
      const payload = job.payload as RequestedBy;
      const locale = payload.locale ?? "en";
      let result: RingReadinessResult;
      try {
        result = await runRingReadiness(ringReadinessDependencies(services, bot.clock), {
          ...(payload.ringIds?.length ? { ringIds: payload.ringIds } : {}),
          runId: job.id,
        });
      } catch (error) {
        if (!(error instanceof NoInventorySnapshotError)) throw error;
        // Told, not chained: a first inventory spends the reports budget for a long while, so the admin starts it.
        bot.logger.info({ event: "inventory.ringsNeedInventory", jobId: job.id }, "rings asked before any inventory");
        await postTo(payload.requestedBy, { name: "inventory-needed", data: {} }, locale);
        return;
      }
      await postTo(payload.requestedBy, { name: "rings-summary", data: ringsCardData(result.rings) }, locale);
    },
  };
  const onEvent = reportInventoryJobFailures({ logger: bot.logger, post });
  /**
   * One worker at a time in this instance; the lease keeps it to one across instances. A job queued while the worker
   * is finishing (it may already have seen an empty queue) starts it again, so no job waits for the next command.
   */
  const shutdown = new AbortController();
  let working = false;
  let again = false;
  const work = () => {
    if (shutdown.signal.aborted) return;
    if (working) {
      again = true;
      return;
    }
    working = true;
    again = false;
    void ensure()
      .then(() =>
        runJobWorker({
          queue: services.queue,
          lease: services.lease,
          handlers,
          untilEmpty: true,
          isPermanent: isRetryPointless,
          onEvent,
          signal: shutdown.signal,
        }),
      )
      .catch((error: unknown) => bot.logger.error({ event: "inventory.workerFailed", err: error }, "inventory worker"))
      .finally(() => {
        working = false;
        if (again) work();
      });
  };
  const queueCheck = setInterval(work, QUEUE_CHECK_MS);
  queueCheck.unref();

  /** Queues a job; if even that fails (storage down), the admin who was told "working on it" is told it did not start. */
  const queue = (kindHint: string, chooseKind: () => Promise<string>, payload: RequestedBy) => {
    const suffix = `${bot.clock().toISOString().replace(/[:.]/g, "")}-${randomUUID().slice(0, 8)}`;
    const jobId = (kind: string) => `${kind.replace(/\W/g, "-")}-${suffix}`;
    void (async () => {
      await ensure();
      const kind = await chooseKind();
      await services.queue.enqueue({ id: jobId(kind), kind, payload });
      work();
    })().catch(async (error: unknown) => {
      const reference = jobId(kindHint);
      bot.logger.error({ event: "inventory.queueFailed", jobId: reference, err: error }, "inventory job not queued");
      if (!payload.requestedBy) return;
      await post(payload.requestedBy, runDidNotFinishCard(kindHint, error, reference), payload.locale ?? "en").catch(
        (postError: unknown) =>
          bot.logger.error(
            { event: "inventory.queueFailedNotDelivered", jobId: reference, err: postError },
            "admin not told",
          ),
      );
    });
  };

  return {
    queueInventory: (requested, full) =>
      queue(
        INVENTORY_JOB_KINDS.full,
        async () =>
          full || !(await services.store.latest()) ? INVENTORY_JOB_KINDS.full : INVENTORY_JOB_KINDS.incremental,
        requested,
      ),
    queueRings: (requested) => queue(RINGS_JOB, async () => RINGS_JOB, requested),
    async whatIf(change) {
      await ensure();
      return predictWhatIf({ rollout: services.rollout, catalog: services.catalog, now: bot.clock }, change);
    },
    stop() {
      clearInterval(queueCheck);
      shutdown.abort();
    },
  };
}
