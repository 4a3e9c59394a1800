import type { CardMessage } from "../../cards/card-message.js";

/** The help-desk channel as the ticket flow needs it; src/bot implements it with a proactive message. */
export interface HelpdeskChannel {
  /** Posts a card to the channel and returns the activity id, so later changes update the same card. */
  post(card: CardMessage): Promise<string>;
  update(activityId: string, card: CardMessage): Promise<void>;
}

/** A one-line message to a person's personal chat: a locale key (`<namespace>.<key>`) translated in `locale`. */
export type NotifyUser = (
  userId: string,
  locale: string,
  key: string,
  params: Record<string, string | number>,
) => Promise<void>;
