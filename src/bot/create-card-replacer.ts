import type { Application } from "@microsoft/teams-ai";
import { type ConversationReference, type TurnContext, TurnContext as TurnContextClass } from "botbuilder";
import type { BotDependencies } from "./bot-dependencies.js";
import type { BotTurnState } from "./bot-turn-state.js";
import { cardActivity, localeOf } from "./card-replies.js";
import { botAppIdOf } from "./create-bot-adapter.js";
import type { CardToShow } from "./prompt-delivery.js";
import { renderCard } from "./render-card.js";

export interface CardReplacement {
  /** Delay before the clicked card is replaced. */
  afterMs: number;
  /** The card to put in its place, built when the time comes; null leaves the card as it is. */
  build(): Promise<CardToShow | null>;
  /** Runs once the card was replaced (e.g. to audit it). */
  afterReplaced?(): Promise<void>;
  /** Log event prefix: `<event>Impossible` when there is no card to replace, `<event>Failed` when it failed. */
  event: string;
  /** Fields for those log lines (which card it was). */
  details?: Record<string, string>;
}

/** Replaces clicked cards later, outside any turn; `stop` cancels every replacement still waiting. */
export interface CardReplacer {
  replaceLater(context: TurnContext, replacement: CardReplacement): void;
  stop(): void;
}

/** Timers that swap a clicked card (the activity the click came from) for another one after a while. */
export function createCardReplacer(
  app: Application<BotTurnState>,
  bot: Pick<BotDependencies, "config" | "logger">,
): CardReplacer {
  const timers = new Set<NodeJS.Timeout>();
  const botAppId = botAppIdOf(bot.config.bot);
  return {
    replaceLater(context, replacement) {
      const activityId = context.activity.replyToId;
      const reference = TurnContextClass.getConversationReference(context.activity) as Partial<ConversationReference>;
      const locale = localeOf(context);
      if (!activityId) {
        bot.logger.warn(
          { ...replacement.details, event: `${replacement.event}Impossible` },
          "clicked card has no activity id to update",
        );
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        void (async () => {
          const card = await replacement.build();
          if (!card) return;
          const rendered = renderCard(card.name, card.data, locale);
          await app.adapter.continueConversationAsync(botAppId, reference, async (chat) => {
            await chat.updateActivity({ ...cardActivity(rendered), id: activityId });
          });
          await replacement.afterReplaced?.();
        })().catch((error: unknown) =>
          bot.logger.warn(
            { ...replacement.details, err: error, event: `${replacement.event}Failed` },
            "clicked card not replaced",
          ),
        );
      }, replacement.afterMs);
      timer.unref();
      timers.add(timer);
    },
    stop() {
      for (const pending of timers) clearTimeout(pending);
      timers.clear();
    },
  };
}
