import type { BotDependencies } from "../../bot/bot-dependencies.js";
import { createTriageConversation, type TriageConversation } from "./create-triage-conversation.js";

const conversations = new WeakMap<BotDependencies, TriageConversation>();

/**
 * The one triage conversation of a bot (its dependencies object): the triage routes and the TAP request's triage
 * summary share it, and with it the cache of user snapshots.
 */
export function triageConversationOf(bot: BotDependencies): TriageConversation {
  let conversation = conversations.get(bot);
  if (!conversation) {
    conversation = createTriageConversation({
      graph: bot.graph,
      catalog: bot.authenticatorCatalog,
      roles: bot.roles,
      clock: bot.clock,
      logger: bot.logger,
    });
    conversations.set(bot, conversation);
  }
  return conversation;
}
