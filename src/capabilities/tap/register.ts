import type { Application } from "@microsoft/teams-ai";
import type { TurnContext } from "botbuilder";
import { callerOf, timeZoneOf } from "../../bot/activity-facts.js";
import { answerInPersonalChat } from "../../bot/answer-in-personal-chat.js";
import type { BotDependencies } from "../../bot/bot-dependencies.js";
import type { BotTurnState } from "../../bot/bot-turn-state.js";
import { onCardAction } from "../../bot/card-actions.js";
import { cardActivity, localeOf, renderCardMessage } from "../../bot/card-replies.js";
import { type CardVerb, CardVerbs } from "../../bot/card-verbs.js";
import type { StopBackgroundWork } from "../../bot/create-bot-application.js";
import { createCardMessenger } from "../../bot/create-card-messenger.js";
import { createCardReplacer } from "../../bot/create-card-replacer.js";
import { addHelpNote } from "../../bot/help-notes.js";
import { onCommand } from "../../bot/on-command.js";
import { translate } from "../../locales/translate.js";
import { triageConversationOf } from "../triage/triage-conversation-of.js";
import { autoHideRevealedTap } from "./auto-hide-revealed-tap.js";
import { createTapDependencies } from "./create-tap-dependencies.js";
import { approveTapRequest, confirmTapRequest, declineTapRequest, denyTapRequest } from "./decide-tap-request.js";
import { findTapTarget, singleWord } from "./find-tap-target.js";
import { listPendingApprovals, pendingApprovalsNote } from "./list-pending-approvals.js";
import { openTapRequestForm, requestTap } from "./request-tap.js";
import { cancelTapRequest, hideTap, revealTap } from "./reveal-tap.js";
import { auditCard, showTapAudit } from "./show-tap-audit.js";
import { showTapStatus } from "./show-tap-status.js";
import { TapCardPayloads } from "./tap-card-payloads.js";
import type { TapDependencies } from "./tap-dependencies.js";
import type { TapCard } from "./tap-ports.js";
import { startTapRegistration } from "./tap-registration.js";
import type { Actor } from "./tap-request.js";

/**
 * Routes of the TAP capability: the card verbs (data carries only ids; everything else is read on the server), the
 * `tap <UPN>`, `approvals` and admin `audit <UPN>` text commands, and the background sweep.
 */
export function registerTap(app: Application<BotTurnState>, bot: BotDependencies): StopBackgroundWork {
  const { deps, ledger } = createTapDependencies(bot, createCardMessenger(bot));
  const replacer = createCardReplacer(app, bot);
  const registration = startTapRegistration(app, { deps, ledger, logger: bot.logger, stopAlso: replacer.stop });

  const reply = (context: TurnContext, card: TapCard) => renderCardMessage(context, card);
  const send = (context: TurnContext, card: TapCard) => context.sendActivity(cardActivity(reply(context, card)));
  const say = (context: TurnContext, key: string, params?: Record<string, string | number>) =>
    context.sendActivity(translate(localeOf(context), key, params));
  /** This turn's dependencies: the server's own triage summary is written in the caller's language. */
  const depsFor = (context: TurnContext): TapDependencies => ({
    ...deps,
    summarizeTriage: (userId) => triageConversationOf(bot).summarizeForTap(userId, localeOf(context)),
  });

  const { request, deny, form, submit } = TapCardPayloads;
  onCardAction(
    app,
    CardVerbs.tapRequestForm,
    async (context, _state, data) =>
      reply(context, await openTapRequestForm(depsFor(context), callerOf(context), data.targetUserId ?? "")),
    { schema: form },
  );
  onCardAction(
    app,
    CardVerbs.tapSubmit,
    async (context, _state, data) =>
      reply(
        context,
        await requestTap(depsFor(context), callerOf(context), { ...data, targetUserId: data.targetUserId ?? "" }),
      ),
    { schema: submit },
  );
  /** A verb that acts on one request: the use case reads the request and checks the caller itself. */
  const onRequest = (
    verb: CardVerb,
    act: (deps: TapDependencies, actor: Actor, requestId: unknown) => Promise<TapCard>,
  ) =>
    onCardAction(
      app,
      verb,
      async (context, _state, data) => reply(context, await act(deps, callerOf(context), data.requestId)),
      { schema: request },
    );
  onRequest(CardVerbs.tapConfirm, confirmTapRequest);
  onRequest(CardVerbs.tapDecline, declineTapRequest);
  onRequest(CardVerbs.tapApprove, approveTapRequest);
  onRequest(CardVerbs.tapHide, hideTap);
  onRequest(CardVerbs.tapCancel, cancelTapRequest);
  onCardAction(
    app,
    CardVerbs.tapDeny,
    async (context, _state, data) =>
      reply(context, await denyTapRequest(deps, callerOf(context), data.requestId, data.denialReason)),
    { schema: deny },
  );
  onCardAction(
    app,
    CardVerbs.tapReveal,
    async (context, _state, data) => {
      const conversationType = context.activity.conversation?.conversationType ?? undefined;
      const card = await revealTap(deps, callerOf(context), data.requestId, conversationType);
      if (card.name === "tap-revealed") {
        const requestId = String(card.data.requestId);
        replacer.replaceLater(context, autoHideRevealedTap(deps, requestId, registration.revealAutoHideMs));
      }
      return reply(context, card);
    },
    { schema: request },
  );

  // `tap <UPN>`, `tap status <UPN>`, `approvals` and `audit <UPN>`, as listed in BotCommands and the manifest.
  onCommand(app, "tap", async (context, _state, argumentText) => {
    const [first, ...rest] = argumentText.trim().split(/\s+/);
    if (first?.toLowerCase() === "status") {
      const status = await showTapStatus(deps, bot.graph, callerOf(context), rest.join(" "));
      if ("line" in status) return void (await say(context, status.line.key, status.line.params));
      for (const card of status.cards) await send(context, card);
      return;
    }
    const upn = singleWord(argumentText);
    if (!upn) return void (await say(context, "tap.tapUsage"));
    const target = await findTapTarget(bot.graph, upn);
    await send(context, await openTapRequestForm(deps, callerOf(context), target?.id ?? upn));
  });
  onCommand(app, "approvals", async (context) => {
    const cards = await listPendingApprovals(deps, callerOf(context));
    if (cards.length === 0) return void (await say(context, "tap.approvalsNone"));
    for (const card of cards) await send(context, card);
  });
  addHelpNote(app, (context) => pendingApprovalsNote(deps, callerOf(context), localeOf(context)));

  onCommand(app, "audit", async (context, _state, argumentText) => {
    const locale = localeOf(context);
    const upn = singleWord(argumentText);
    if (!upn) return void (await say(context, "tap.auditUsage"));
    const actor = callerOf(context);
    const entries = await showTapAudit(deps, ledger, actor, upn);
    const timeZone = timeZoneOf(context) ?? "UTC";
    const answer =
      entries.length === 0
        ? { type: "message", text: translate(locale, "tap.auditEmpty", { upn }) }
        : cardActivity(reply(context, await auditCard(deps, entries, upn, { locale, timeZone })));
    // A ledger extract names people and what was done to their sign-in: never in a channel or group chat.
    await answerInPersonalChat(context, bot, answer, {
      callerId: actor.id,
      sentKey: "tap.auditSentPrivately",
      notSentKey: "tap.auditOpenPersonalChat",
      event: "tap.auditNotDelivered",
    });
  });
  return registration.stop;
}
