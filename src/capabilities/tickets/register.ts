import type { Application } from "@microsoft/teams-ai";
import { callerOf } from "../../bot/activity-facts.js";
import type { BotDependencies } from "../../bot/bot-dependencies.js";
import type { BotTurnState } from "../../bot/bot-turn-state.js";
import { onCardAction } from "../../bot/card-actions.js";
import { CardVerbs } from "../../bot/card-verbs.js";
import { createChannelMessenger } from "../../bot/create-channel-messenger.js";
import { orRefusalText } from "../../bot/refusal-text.js";
import { renderCard } from "../../bot/render-card.js";
import { ticketDeskOf } from "./ticket-desk-of.js";
import { NotAnAgentError } from "./ticket-errors.js";

/**
 * Routes of the help-desk tickets: the channel's conversation is remembered whenever it speaks (so any instance can
 * post tickets to it later), and "Assign to me" on a ticket card. Opening a ticket ("Get help") and "Triage this
 * user" are triage routes that use the same desk.
 */
export function registerTickets(app: Application<BotTurnState>, bot: BotDependencies): void {
  const desk = ticketDeskOf(bot);
  const channel = createChannelMessenger(app, bot, {
    channelId: desk.channelId,
    locale: desk.channelLocale,
    references: desk.tickets,
  });

  app.turn("beforeTurn", async (context) => {
    await channel.remember(context);
    return true;
  });

  onCardAction(app, CardVerbs.ticketAssign, async (context, _state, data) =>
    orRefusalText(context, async () => {
      const caller = callerOf(context).id;
      if (!caller) throw new NotAnAgentError("unknown", "tickets.agentsOnly");
      const result = await desk.assign(channel.channelFor(context), caller, String(data.ticketId ?? ""));
      return renderCard(result.card.name, result.card.data, desk.channelLocale);
    }),
  );
}
