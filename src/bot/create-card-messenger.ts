import type { BotDependencies } from "./bot-dependencies.js";
import { cardActivity } from "./card-replies.js";
import type { CardToShow } from "./prompt-delivery.js";
import { renderCard } from "./render-card.js";

/** A proactive card did not reach its recipient (no personal chat yet, or the install is still pending). */
export class RecipientNotReachableError extends Error {
  constructor(reason: string) {
    super(`A proactive card must reach its recipient: ${reason}`);
    this.name = "RecipientNotReachableError";
  }
}

/** Sends cards to people's personal chats, each in the person's own language. */
export interface CardMessenger {
  /** Throws RecipientNotReachableError when the card was not delivered. */
  sendToUser(user: { id: string }, card: CardToShow): Promise<void>;
  /** Sends in a known language; false (and logged as `event`) when the personal chat was not reached. */
  sendToUserIn(userId: string, card: CardToShow, locale: string, event: string): Promise<boolean>;
}

/**
 * Proactive cards in the recipient's language: their directory `preferredLanguage`, English when it is unset or
 * cannot be read (logged: a person then gets English when they may have wanted Czech).
 */
export function createCardMessenger(bot: Pick<BotDependencies, "graph" | "proactive" | "logger">): CardMessenger {
  const localeOfUser = async (userId: string) => {
    try {
      return (await bot.graph.getUser(userId)).preferredLanguage ?? "en";
    } catch (error) {
      bot.logger.warn(
        { event: "proactive.localeUnknown", recipient: userId, err: error },
        "recipient's language not read; English",
      );
      return "en";
    }
  };
  return {
    async sendToUser(user, card) {
      const locale = await localeOfUser(user.id);
      const rendered = renderCard(card.name, card.data, locale);
      const result = await bot.proactive.sendToUser(user.id, cardActivity(rendered));
      if (result.status !== "delivered") throw new RecipientNotReachableError(result.reason);
    },
    async sendToUserIn(userId, card, locale, event) {
      const sent = await bot.proactive.sendToUser(userId, cardActivity(renderCard(card.name, card.data, locale)));
      if (sent.status === "delivered") return true;
      bot.logger.warn({ event, status: sent.status }, "personal chat not reached");
      return false;
    },
  };
}
