import type { Application } from "@microsoft/teams-ai";
import {
  type Activity,
  type ConversationReference,
  type TurnContext,
  TurnContext as TurnContextClass,
} from "botbuilder";
import type { CardMessage } from "../cards/card-message.js";
import { translate } from "../locales/translate.js";
import type { BotDependencies } from "./bot-dependencies.js";
import type { BotTurnState } from "./bot-turn-state.js";
import { cardActivity, localeOf } from "./card-replies.js";
import { botAppIdOf } from "./create-bot-adapter.js";
import type { Logger } from "./create-logger.js";
import { describeError } from "./error-boundary.js";
import { refusalTextOf } from "./refusal-text.js";
import { type AdaptiveCardJson, renderCard } from "./render-card.js";
import { turnScope } from "./turn-scope.js";

/** A result ready within this long replaces the clicked card directly; otherwise "Checking…" shows first. */
export const FAST_RESULT_MS = 700;

/** A card a capability asks for: the one card model (src/cards/card-message.ts). */
export type CardToShow = CardMessage;

/** Work that ends in a card; it may throw a refusal (shown as its sentence) or a failure (the error card). */
export type CardWork = () => Promise<CardToShow>;

export interface PromptDeliveryOptions {
  /** The card shown while the work goes on ("Checking your account…"). */
  checkingCard(locale: string): CardToShow;
}

/** The three ways a capability answers with work that may outlive the turn's invoke budget. */
export interface PromptDelivery {
  /**
   * A card action: the result itself when it is ready within FAST_RESULT_MS, otherwise the checking card now and the
   * result later in the same card (updateActivity of the clicked card's activity).
   */
  respondPromptly(context: TurnContext, work: CardWork, locale?: string): Promise<AdaptiveCardJson | string>;
  /**
   * A message turn: the result when it is ready promptly, otherwise the checking card at once and the result later in
   * that same activity. With deliveryMode expectReplies there is no activity to update, so the result follows as a
   * second reply in the same turn.
   */
  replyPromptly(context: TurnContext, work: CardWork): Promise<void>;
  /**
   * Evidence about another person never goes into a channel or group chat: it goes to the agent's personal chat
   * (proactive). Returns null when it was delivered, or the sentence that tells the agent why not.
   */
  sendPrivately(context: TurnContext, agentId: string, locale: string, work: CardWork): Promise<string | null>;
  /**
   * sendPrivately without waiting past FAST_RESULT_MS: the sentence for the agent when the personal chat was found
   * unreachable (or the delivery failed) by then, otherwise null (delivered, or still on its way).
   */
  sendPrivatelyPromptly(context: TurnContext, agentId: string, locale: string, work: CardWork): Promise<string | null>;
  /**
   * Evidence about someone else: promptly in a personal chat; asked for in a channel or group chat, it goes to the
   * agent's personal chat and the answer there is `sentKey` (or why it could not be sent).
   */
  respondPrivately(
    context: TurnContext,
    agentId: string,
    locale: string,
    work: CardWork,
    sentKey: string,
  ): Promise<AdaptiveCardJson | string>;
}

/** The settled work if it is ready within FAST_RESULT_MS, otherwise null (the work goes on). */
export function readyPromptly<T>(pending: Promise<T>): Promise<T | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), FAST_RESULT_MS);
    void pending.then((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

function asActivity(answer: AdaptiveCardJson | string): Partial<Activity> {
  return typeof answer === "string" ? { type: "message", text: answer } : cardActivity(answer);
}

/**
 * The finished work as what the person sees: the card, a polite refusal, or — for anything unexpected — the error
 * card with the turn's correlation id. Never rejects, so a late delivery cannot leave "Checking…" standing.
 */
function settle(
  work: Promise<CardToShow>,
  locale: string,
  logger: Logger,
  correlationId: string,
): Promise<AdaptiveCardJson | string> {
  // A throw from rendering the result (not only from the work) must reach the same handler: the late deliveries
  // below chain on this promise without a catch of their own.
  return work
    .then((card): AdaptiveCardJson | string => renderCard(card.name, card.data, locale))
    .catch((error: unknown): AdaptiveCardJson | string => {
      const text = refusalTextOf(error, locale);
      if (text !== null) return text;
      logger.error({ event: "triage.checkFailed", err: error }, error instanceof Error ? error.message : "failed");
      try {
        return renderCard("error", { message: describeError(error, locale), correlationId }, locale);
      } catch (renderError) {
        logger.error({ event: "card.errorCardFailed", err: renderError }, "error card not rendered");
        return `${describeError(error, locale)} (${correlationId})`;
      }
    });
}

/** Delivery timing and private delivery for `app`: bot mechanics, so capabilities only say what the work is. */
export function createPromptDelivery(
  app: Application<BotTurnState>,
  bot: Pick<BotDependencies, "config" | "logger" | "proactive">,
  options: PromptDeliveryOptions,
): PromptDelivery {
  const botAppId = botAppIdOf(bot.config.bot);
  const checkingCard = (locale: string) => {
    const card = options.checkingCard(locale);
    return renderCard(card.name, card.data, locale);
  };

  /**
   * Delivers a result that outlived its turn, through the adapter with the conversation's reference: it replaces the
   * activity `activityId` ("Checking your account…") in place, or arrives as a new message when there is none.
   */
  const deliverLater = async (
    reference: Partial<ConversationReference>,
    activityId: string | undefined,
    answer: AdaptiveCardJson | string,
    logger: Logger,
  ) => {
    try {
      await app.adapter.continueConversationAsync(botAppId, reference, async (context) => {
        if (activityId) await context.updateActivity({ ...asActivity(answer), id: activityId });
        else await context.sendActivity(asActivity(answer));
      });
      logger.info({ event: "triage.lateResultDelivered", updated: Boolean(activityId) }, "late result delivered");
    } catch (error) {
      logger.error({ event: "triage.lateUpdateFailed", err: error }, "result not delivered");
    }
  };

  const delivery: PromptDelivery = {
    async respondPromptly(context, work, locale = localeOf(context)) {
      const scope = turnScope(context, bot.logger);
      const result = settle(work(), locale, scope.logger, scope.correlationId);
      const fast = await readyPromptly(result);
      if (fast !== null) return fast;
      const reference = TurnContextClass.getConversationReference(context.activity);
      const clickedId = context.activity.replyToId;
      void result.then((answer) => deliverLater(reference, clickedId, answer, scope.logger));
      return checkingCard(locale);
    },

    async replyPromptly(context, work) {
      const locale = localeOf(context);
      const scope = turnScope(context, bot.logger);
      const result = settle(work(), locale, scope.logger, scope.correlationId);
      const fast = await readyPromptly(result);
      if (fast !== null) {
        await context.sendActivity(asActivity(fast));
        return;
      }
      const sent = await context.sendActivity(cardActivity(checkingCard(locale)));
      if (!sent?.id) {
        await context.sendActivity(asActivity(await result));
        return;
      }
      const reference = TurnContextClass.getConversationReference(context.activity);
      void result.then((answer) => deliverLater(reference, sent.id, answer, scope.logger));
    },

    async sendPrivately(context, agentId, locale, work) {
      const scope = turnScope(context, bot.logger);
      const answer = await settle(work(), locale, scope.logger, scope.correlationId);
      const sent = await bot.proactive.sendToUser(agentId, asActivity(answer));
      if (sent.status === "delivered") return null;
      scope.logger.warn(
        { event: "triage.evidenceNotDelivered", status: sent.status },
        "agent's personal chat not reached",
      );
      return translate(
        locale,
        sent.status === "pendingInstall" ? "tickets.personalChatPending" : "tickets.openPersonalChat",
      );
    },

    async sendPrivatelyPromptly(context, agentId, locale, work) {
      const scope = turnScope(context, bot.logger);
      const sending = delivery.sendPrivately(context, agentId, locale, work).catch((error: unknown) => {
        scope.logger.error({ event: "triage.evidenceNotDelivered", err: error }, "evidence not delivered");
        return describeError(error, locale);
      });
      return (await readyPromptly(sending)) ?? null;
    },

    async respondPrivately(context, agentId, locale, work, sentKey) {
      if (context.activity.conversation?.conversationType === "personal")
        return delivery.respondPromptly(context, work);
      return (await delivery.sendPrivately(context, agentId, locale, work)) ?? translate(locale, sentKey);
    },
  };
  return delivery;
}
