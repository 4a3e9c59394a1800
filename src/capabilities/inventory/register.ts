import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Application } from "@microsoft/teams-ai";
import type { TurnContext } from "botbuilder";
import type { BotDependencies } from "../../bot/bot-dependencies.js";
import type { BotTurnState } from "../../bot/bot-turn-state.js";
import { cardActivity, localeOf } from "../../bot/card-replies.js";
import { onCommand } from "../../bot/on-command.js";
import { renderCard } from "../../bot/render-card.js";
import { createInventoryServices } from "../../cli/create-inventory-services.js";
import type { JobHandler } from "../../jobs/run-job-worker.js";
import { runJobWorker } from "../../jobs/run-job-worker.js";
import { translate } from "../../locales/translate.js";
import { createInventoryExportLink } from "../../storage/inventory-export-links.js";
import { parseWhatIf, splitArguments } from "../rollout/parse-what-if.js";
import { NoRolloutSnapshotError, predictWhatIf } from "../rollout/predict-what-if.js";
import { runRingReadiness } from "../rollout/run-ring-readiness.js";
import { findInsights } from "./find-insights.js";
import { inventoryCardData, ringsCardData, whatIfCardData } from "./inventory-card-data.js";
import { createInventoryJobHandlers, INVENTORY_JOB_KINDS } from "./inventory-jobs.js";
import { loadTargetMemberships } from "./load-target-memberships.js";
import { writeInventoryCsv } from "./write-inventory-csv.js";

const RINGS_JOB = "rollout.rings";

/** Who asked for a run and in which language: the instance that finishes it posts the result to them. */
interface RequestedBy {
  requestedBy?: string;
  locale?: string;
  ringIds?: string[];
}

/**
 * The administrators' rollout view in Teams: `inventory`, `rings`, `whatif …`, personal chat only, admins only
 * (checked from Graph on every message, never from what the message claims). Long runs are jobs on the queue: the
 * admin is answered at once, and whichever instance holds the background lease posts the result card when done.
 */
export function registerInventory(app: Application<BotTurnState>, bot: BotDependencies): void {
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
  const post = async (userId: string | undefined, card: ReturnType<typeof renderCard>) => {
    if (!userId) return;
    const sent = await bot.proactive.sendToUser(userId, cardActivity(card));
    if (sent.status !== "delivered") {
      bot.logger.warn(
        { event: "inventory.resultNotDelivered", status: sent.status },
        "admin's personal chat not reached",
      );
    }
  };
  const summaryCard = async (locale: string) => {
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
    try {
      const dir = await mkdtemp(join(tmpdir(), "inventory-csv-"));
      const file = join(dir, `${snapshot.id}.csv`);
      await writeInventoryCsv(file, services.store.users(snapshot.id), {
        fido2: policy.fido2,
        memberOf: memberships.of,
        catalog: services.catalog,
      });
      csvUrl = await createInventoryExportLink(
        bot.storage.account.containerClient("inventory-exports"),
        file,
        `${snapshot.id}-${randomUUID().slice(0, 8)}.csv`,
        bot.clock(),
      );
      await rm(dir, { recursive: true, force: true });
    } catch (error) {
      // The summary is still worth posting; the CSV stays one `npm run inventory -- --csv FILE` away.
      bot.logger.warn({ event: "inventory.csvLinkUnavailable", err: error }, "no CSV link for the summary card");
    }
    return renderCard("inventory-summary", inventoryCardData(insights, snapshot.id, locale, csvUrl), locale);
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
      const card = await summaryCard(payload.locale ?? "en");
      if (card) await post(payload.requestedBy, card);
    };
  const handlers: Record<string, JobHandler> = {
    [INVENTORY_JOB_KINDS.full]: afterwards(inventoryHandlers[INVENTORY_JOB_KINDS.full] as JobHandler),
    [INVENTORY_JOB_KINDS.incremental]: afterwards(inventoryHandlers[INVENTORY_JOB_KINDS.incremental] as JobHandler),
    [RINGS_JOB]: async (job) => {
      const payload = job.payload as RequestedBy;
      const locale = payload.locale ?? "en";
      const result = await runRingReadiness(
        {
          gateway: services.gateway,
          reader: services.reader,
          inventory: services.store,
          rollout: services.rollout,
          catalog: services.catalog,
          now: bot.clock,
        },
        { ...(payload.ringIds?.length ? { ringIds: payload.ringIds } : {}), runId: job.id },
      );
      await post(payload.requestedBy, renderCard("rings-summary", ringsCardData(result.rings, locale), locale));
    },
  };
  let working: Promise<void> | null = null;
  const work = () => {
    working ??= runJobWorker({ queue: services.queue, lease: services.lease, handlers, untilEmpty: true })
      .catch((error: unknown) => bot.logger.error({ event: "inventory.workerFailed", err: error }, "inventory worker"))
      .finally(() => {
        working = null;
      });
  };

  /** Admins only, personal chat only; answers the refusal itself and says whether to go on. */
  const allowed = async (context: TurnContext): Promise<boolean> => {
    const locale = localeOf(context);
    if (context.activity.conversation?.conversationType !== "personal") {
      await context.sendActivity(translate(locale, "inventory.personalChatOnly"));
      return false;
    }
    const roles = await bot.roles.resolveCallerRoles(context.activity.from?.aadObjectId ?? "");
    if (!roles.isAdmin) {
      await context.sendActivity(translate(locale, "inventory.adminsOnly"));
      return false;
    }
    return true;
  };
  /** Queues the job after the admin has their answer: storage and Graph are never awaited inside the turn. */
  const queue = (chooseKind: () => Promise<string>, payload: RequestedBy) => {
    void (async () => {
      await ensure();
      const kind = await chooseKind();
      const id = `${kind.replace(/\W/g, "-")}-${bot.clock().toISOString().replace(/[:.]/g, "")}-${randomUUID().slice(0, 8)}`;
      await services.queue.enqueue({ id, kind, payload });
      work();
    })().catch((error: unknown) => bot.logger.error({ event: "inventory.queueFailed", err: error }, "inventory job"));
  };

  onCommand(app, "inventory", async (context, _state, argumentText) => {
    if (!(await allowed(context))) return;
    const locale = localeOf(context);
    await context.sendActivity(translate(locale, "inventory.working"));
    const full = /--full\b/.test(argumentText);
    // Incremental when a snapshot exists (the audit log since then), a full run otherwise or when asked for.
    queue(
      async () =>
        full || !(await services.store.latest()) ? INVENTORY_JOB_KINDS.full : INVENTORY_JOB_KINDS.incremental,
      { requestedBy: context.activity.from?.aadObjectId, locale },
    );
  });

  onCommand(app, "rings", async (context, _state, argumentText) => {
    if (!(await allowed(context))) return;
    const locale = localeOf(context);
    await context.sendActivity(translate(locale, "inventory.workingRings"));
    const ringIds = splitArguments(argumentText).filter((word) => /^[0-9a-f-]{36}$/i.test(word));
    queue(async () => RINGS_JOB, { requestedBy: context.activity.from?.aadObjectId, locale, ringIds });
  });

  onCommand(app, "whatif", async (context, _state, argumentText) => {
    if (!(await allowed(context))) return;
    const locale = localeOf(context);
    const change = parseWhatIf(splitArguments(argumentText));
    if (typeof change === "string") {
      await context.sendActivity(translate(locale, "inventory.whatifUsage"));
      return;
    }
    try {
      await ensure();
      const result = await predictWhatIf(
        { rollout: services.rollout, catalog: services.catalog, now: bot.clock },
        change,
      );
      await context.sendActivity(
        cardActivity(renderCard("whatif-result", whatIfCardData(result, argumentText, locale), locale)),
      );
    } catch (error) {
      if (error instanceof NoRolloutSnapshotError) {
        await context.sendActivity(translate(locale, "inventory.noRollout"));
        return;
      }
      throw error;
    }
  });
}
