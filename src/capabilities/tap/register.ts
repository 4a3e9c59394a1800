import { randomUUID } from "node:crypto";
import type { Application } from "@microsoft/teams-ai";
import { type ConversationReference, type TurnContext, TurnContext as TurnContextClass } from "botbuilder";
import type { BotDependencies } from "../../bot/bot-dependencies.js";
import type { BotTurnState } from "../../bot/bot-turn-state.js";
import { onCardAction } from "../../bot/card-actions.js";
import { cardActivity, localeOf, replaceCard } from "../../bot/card-replies.js";
import { CardVerbs } from "../../bot/card-verbs.js";
import { botAppIdOf } from "../../bot/create-bot-adapter.js";
import { addHelpNote } from "../../bot/help-notes.js";
import { onCommand } from "../../bot/on-command.js";
import { renderCard } from "../../bot/render-card.js";
import { NotFoundError } from "../../graph/graph-errors.js";
import { InvalidGraphIdentifierError } from "../../graph/odata-literal.js";
import { translate } from "../../locales/translate.js";
import { AuditLedger } from "../../storage/audit-ledger.js";
import { TapRequestRepository } from "../../storage/tap-request-repository.js";
import { tapTriageSummarizerOf } from "../triage/register.js";
import { approveTapRequest, confirmTapRequest, declineTapRequest, denyTapRequest } from "./decide-tap-request.js";
import { expireTapRequests } from "./expire-tap-requests.js";
import { countPendingApprovals, listPendingApprovals, showPendingTapRequests } from "./list-pending-approvals.js";
import { reconcileTapRequests } from "./reconcile-tap-requests.js";
import { openTapRequestForm, requestTap } from "./request-tap.js";
import { cancelTapRequest, hiddenCard, hideTap, revealTap } from "./reveal-tap.js";
import { auditCard, showTapAudit } from "./show-tap-audit.js";
import { auditTap } from "./tap-audit.js";
import type { TapDependencies } from "./tap-dependencies.js";
import type { TapCard, TapMessenger } from "./tap-ports.js";
import type { Actor } from "./tap-request.js";
import { watchIssuedTaps } from "./watch-issued-taps.js";

const SWEEP_INTERVAL_MS = 60_000;
/** How long a revealed TAP stays on screen before the bot replaces the card with the hidden version. */
export const REVEAL_AUTO_HIDE_MS = 60_000;

export interface TapRegistration {
  deps: TapDependencies;
  ledger: AuditLedger;
  /** One pass of the background work (expiry sweeper, reconciliation, auto-revoke watcher); tests call it directly. */
  sweep(): Promise<void>;
  /** Delay before a revealed card is replaced by the hidden one (REVEAL_AUTO_HIDE_MS; tests shorten it). */
  revealAutoHideMs: number;
  stop(): void;
}

const registrations = new WeakMap<object, TapRegistration>();

/** The TAP capability's dependencies and background work, once registered on `app` (tests reach in through this). */
export function tapRegistrationOf(app: Application<BotTurnState>): TapRegistration | undefined {
  return registrations.get(app);
}

/**
 * Routes of the TAP capability: the card verbs (data carries only ids; everything else is read on the server), the
 * `tap <UPN>` and admin `audit <UPN>` text commands, and the background sweep (expiry, reconciliation, auto-revoke).
 */
export function registerTap(app: Application<BotTurnState>, bot: BotDependencies): void {
  const ledger = new AuditLedger(bot.storage.account.tableClient("AuditLedger"), bot.clock);
  const deps: TapDependencies = {
    graph: bot.graph,
    store: new TapRequestRepository(bot.storage.account.tableClient("TapRequests")),
    audit: ledger,
    roles: bot.roles,
    messenger: createTapMessenger(bot),
    settings: {
      tenantId: bot.config.tenantId,
      agentsGroupId: bot.config.groups.agentsGroupId,
      adminsGroupId: bot.config.groups.adminsGroupId,
      approversGroupId: bot.config.groups.tapApproversGroupId,
      requestExpiryMinutes: bot.config.tapRequestExpiryMinutes,
    },
    clock: bot.clock,
    newId: randomUUID,
  };

  const registration: TapRegistration = {
    deps,
    ledger,
    sweep: async () => undefined,
    revealAutoHideMs: REVEAL_AUTO_HIDE_MS,
    stop: () => undefined,
  };
  registrations.set(app, registration);

  const reply = (context: TurnContext, card: TapCard) =>
    replaceCard(context, card.name, localizeTapData(card.data, localeOf(context)) as object);
  const idOf = (data: Record<string, unknown>) => data.requestId;

  /** This turn's dependencies: the triage summary is written in the caller's language. */
  const depsFor = (context: TurnContext): TapDependencies => {
    const summarize = tapTriageSummarizerOf(app);
    const locale = localeOf(context);
    return summarize ? { ...deps, summarizeTriage: (targetUserId) => summarize(targetUserId, locale) } : deps;
  };

  onCardAction(app, CardVerbs.tapRequestForm, async (context, _state, data) =>
    reply(context, await openTapRequestForm(depsFor(context), actorOf(context), String(data.targetUserId ?? ""))),
  );
  onCardAction(app, CardVerbs.tapSubmit, async (context, _state, data) =>
    reply(
      context,
      await requestTap(depsFor(context), actorOf(context), {
        ...data,
        targetUserId: String(data.targetUserId ?? ""),
      }),
    ),
  );
  onCardAction(app, CardVerbs.tapConfirm, async (context, _state, data) =>
    reply(context, await confirmTapRequest(deps, actorOf(context), idOf(data))),
  );
  onCardAction(app, CardVerbs.tapDecline, async (context, _state, data) =>
    reply(context, await declineTapRequest(deps, actorOf(context), idOf(data))),
  );
  onCardAction(app, CardVerbs.tapApprove, async (context, _state, data) =>
    reply(context, await approveTapRequest(deps, actorOf(context), idOf(data))),
  );
  onCardAction(app, CardVerbs.tapDeny, async (context, _state, data) =>
    reply(context, await denyTapRequest(deps, actorOf(context), idOf(data), data.denialReason)),
  );
  const hideTimers = new Set<NodeJS.Timeout>();
  /**
   * The revealed value must not linger in the chat: after a while the bot swaps the card (the clicked activity, in the
   * agent's personal chat) for the hidden version, whether or not the agent pressed Hide. The value itself is not
   * kept for this: the hidden card is built from the stored request.
   */
  const scheduleAutoHide = (context: TurnContext, requestId: string) => {
    const activityId = context.activity.replyToId;
    const reference = TurnContextClass.getConversationReference(context.activity) as Partial<ConversationReference>;
    const locale = localeOf(context);
    if (!activityId) {
      bot.logger.warn({ event: "tap.autoHideImpossible", requestId }, "revealed card has no activity id to update");
      return;
    }
    const timer = setTimeout(() => {
      hideTimers.delete(timer);
      void (async () => {
        const stored = await deps.store.get(requestId);
        if (!stored) return;
        const card = hiddenCard(stored.value);
        const rendered = renderCard(card.name, localizeTapData(card.data, locale) as object, locale);
        await app.adapter.continueConversationAsync(botAppIdOf(bot.config.bot), reference, async (chat) => {
          await chat.updateActivity({ ...cardActivity(rendered), id: activityId });
        });
        await auditTap(deps, "tap.autoHidden", stored.value, null, { afterMs: registration.revealAutoHideMs });
      })().catch((error: unknown) =>
        bot.logger.warn({ err: error, event: "tap.autoHideFailed", requestId }, "revealed card not replaced"),
      );
    }, registration.revealAutoHideMs);
    timer.unref();
    hideTimers.add(timer);
  };

  onCardAction(app, CardVerbs.tapReveal, async (context, _state, data) => {
    const card = await revealTap(
      deps,
      actorOf(context),
      idOf(data),
      context.activity.conversation?.conversationType ?? undefined,
    );
    if (card.name === "tap-revealed") scheduleAutoHide(context, String(card.data.requestId));
    return reply(context, card);
  });
  onCardAction(app, CardVerbs.tapHide, async (context, _state, data) =>
    reply(context, await hideTap(deps, actorOf(context), idOf(data))),
  );
  onCardAction(app, CardVerbs.tapCancel, async (context, _state, data) =>
    reply(context, await cancelTapRequest(deps, actorOf(context), idOf(data))),
  );

  // `tap <UPN>` and `audit <UPN>`, as listed in BotCommands and the manifest's commandLists.
  onCommand(app, "tap", async (context, _state, argumentText) => {
    const [first, ...rest] = argumentText.trim().split(/\s+/);
    if (first?.toLowerCase() === "status") {
      const statusUpn = singleWord(rest.join(" "));
      if (!statusUpn) {
        await context.sendActivity(translate(localeOf(context), "tap.statusUsage"));
        return;
      }
      const found = await findTarget(bot, statusUpn);
      const cards = found ? await showPendingTapRequests(deps, actorOf(context), found.id) : [];
      if (cards.length === 0) {
        await context.sendActivity(translate(localeOf(context), "tap.statusNone", { upn: statusUpn }));
        return;
      }
      for (const card of cards) await context.sendActivity(cardActivity(reply(context, card)));
      return;
    }
    const upn = singleWord(argumentText);
    if (!upn) {
      await context.sendActivity(translate(localeOf(context), "tap.tapUsage"));
      return;
    }
    const target = await findTarget(bot, upn);
    await context.sendActivity(
      cardActivity(reply(context, await openTapRequestForm(deps, actorOf(context), target?.id ?? upn))),
    );
  });
  onCommand(app, "approvals", async (context) => {
    const cards = await listPendingApprovals(deps, actorOf(context));
    if (cards.length === 0) {
      await context.sendActivity(translate(localeOf(context), "tap.approvalsNone"));
      return;
    }
    for (const card of cards) await context.sendActivity(cardActivity(reply(context, card)));
  });
  // A manager who opens the bot after the request learns on the welcome and help cards that a decision waits.
  addHelpNote(app, async (context) => {
    const actor = actorOf(context);
    if (!actor.id) return null;
    const count = await countPendingApprovals(deps, actor);
    return count > 0 ? translate(localeOf(context), "tap.pendingApprovalsNote", { count }) : null;
  });

  onCommand(app, "audit", async (context, _state, argumentText) => {
    const locale = localeOf(context);
    const upn = singleWord(argumentText);
    if (!upn) {
      await context.sendActivity(translate(locale, "tap.auditUsage"));
      return;
    }
    const actor = actorOf(context);
    const entries = await showTapAudit(deps, ledger, actor, upn);
    const timeZone = (context.activity as { localTimezone?: string }).localTimezone ?? "UTC";
    const answer =
      entries.length === 0
        ? { type: "message", text: translate(locale, "tap.auditEmpty", { upn }) }
        : cardActivity(reply(context, await auditCard(deps, entries, upn, { locale, timeZone })));
    if (context.activity.conversation?.conversationType === "personal") {
      await context.sendActivity(answer);
      return;
    }
    // A ledger extract names people and what was done to their sign-in: never in a channel or group chat.
    const sent = await bot.proactive.sendToUser(actor.id, answer);
    if (sent.status !== "delivered") {
      bot.logger.warn({ event: "tap.auditNotDelivered", status: sent.status }, "admin's personal chat not reached");
    }
    await context.sendActivity(
      translate(locale, sent.status === "delivered" ? "tap.auditSentPrivately" : "tap.auditOpenPersonalChat"),
    );
  });

  const sweep = async () => {
    await reconcileTapRequests(deps);
    await expireTapRequests(deps);
    await watchIssuedTaps(deps);
  };
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweep()
      .catch((error: unknown) =>
        bot.logger.warn({ err: error, event: "tap.sweepFailed" }, "TAP background sweep failed"),
      )
      .finally(() => {
        running = false;
      });
  }, SWEEP_INTERVAL_MS);
  timer.unref();
  registration.sweep = sweep;
  registration.stop = () => {
    clearInterval(timer);
    for (const pending of hideTimers) clearTimeout(pending);
    hideTimers.clear();
  };
}

/** The one word after a command, or null when there is none or more than one. */
function singleWord(argumentText: string): string | null {
  const words = argumentText.trim().split(/\s+/).filter(Boolean);
  return words.length === 1 ? (words[0] as string) : null;
}

/**
 * The user a typed UPN names, or null when the directory has none (or it is not a UPN at all); the form's
 * preconditions then refuse it with the named rule instead of a generic error.
 */
async function findTarget(bot: BotDependencies, upn: string) {
  try {
    return await bot.graph.getUser(upn);
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof InvalidGraphIdentifierError) return null;
    throw error;
  }
}

/** The person behind an activity, as Teams identifies them (never anything from card data). */
export function actorOf(context: TurnContext): Actor {
  const activity = context.activity;
  const channelTenant = (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  return {
    id: activity.from?.aadObjectId ?? "",
    tenantId: activity.conversation?.tenantId ?? channelTenant ?? "",
    name: activity.from?.name ?? null,
  };
}

/** Replaces every `{ $t, params }` in card data with the string for `locale`. */
export function localizeTapData(value: unknown, locale: string): unknown {
  if (Array.isArray(value)) return value.map((item) => localizeTapData(item, locale));
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (typeof record.$t === "string") {
      return translate(locale, record.$t, (record.params as Record<string, string | number> | undefined) ?? {});
    }
    return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, localizeTapData(inner, locale)]));
  }
  return value;
}

class RecipientNotReachableError extends Error {
  constructor(reason: string) {
    super(`A proactive card must reach its recipient: ${reason}`);
    this.name = "RecipientNotReachableError";
  }
}

function createTapMessenger(bot: BotDependencies): TapMessenger {
  const localeOfUser = async (userId: string) => {
    try {
      return (await bot.graph.getUser(userId)).preferredLanguage ?? "en";
    } catch {
      return "en";
    }
  };
  return {
    async sendToUser(user, card) {
      const locale = await localeOfUser(user.id);
      const rendered = renderCard(card.name, localizeTapData(card.data, locale) as object, locale);
      const result = await bot.proactive.sendToUser(user.id, cardActivity(rendered));
      if (result.status !== "delivered") throw new RecipientNotReachableError(result.reason);
    },
  };
}
