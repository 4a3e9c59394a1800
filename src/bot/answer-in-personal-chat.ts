import type { Activity, TurnContext } from "botbuilder";
import { translate } from "../locales/translate.js";
import { isPersonalChat } from "./activity-facts.js";
import type { BotDependencies } from "./bot-dependencies.js";
import { localeOf } from "./card-replies.js";

/**
 * An answer that names people (a ledger extract, evidence): in a personal chat it is sent right there; asked for in a
 * channel or group chat it goes to the caller's personal chat, and the channel only hears `keys.sent` (or
 * `keys.notSent`, when the personal chat could not be reached, logged as `event`).
 */
export async function answerInPersonalChat(
  context: TurnContext,
  bot: Pick<BotDependencies, "proactive" | "logger">,
  answer: Partial<Activity>,
  options: { callerId: string; sentKey: string; notSentKey: string; event: string },
): Promise<void> {
  if (isPersonalChat(context)) {
    await context.sendActivity(answer);
    return;
  }
  const sent = await bot.proactive.sendToUser(options.callerId, answer);
  if (sent.status !== "delivered") {
    bot.logger.warn({ event: options.event, status: sent.status }, "caller's personal chat not reached");
  }
  await context.sendActivity(
    translate(localeOf(context), sent.status === "delivered" ? options.sentKey : options.notSentKey),
  );
}
