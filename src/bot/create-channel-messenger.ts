import type { Application } from "@microsoft/teams-ai";
import { type ConversationReference, type TurnContext, TurnContext as TurnContextClass } from "botbuilder";
import type { BotDependencies } from "./bot-dependencies.js";
import type { BotTurnState } from "./bot-turn-state.js";
import { cardActivity } from "./card-replies.js";
import { botAppIdOf } from "./create-bot-adapter.js";
import type { CardToShow } from "./prompt-delivery.js";
import { renderCard } from "./render-card.js";

/** Where a channel's conversation reference is kept, so any instance can post to it later. */
export interface ChannelReferenceStore {
  findChannelReference(channelId: string): Promise<Record<string, unknown> | null>;
  saveChannelReference(channelId: string, reference: object): Promise<void>;
}

/** Cards posted to, and updated in, one channel. */
export interface ChannelPoster {
  /** Posts a card and returns the activity id, so later changes update the same card. */
  post(card: CardToShow): Promise<string>;
  update(activityId: string, card: CardToShow): Promise<void>;
}

export interface ChannelMessenger {
  /** Keeps the channel's reference when an activity comes from it (call in beforeTurn). */
  remember(context: TurnContext): Promise<void>;
  /** The channel as seen from this turn: its stored reference, else addressed through the current connector. */
  channelFor(context: TurnContext): ChannelPoster;
}

/**
 * Proactive posts to one configured channel (the help-desk channel). Cards there follow the channel's configured
 * language, whoever caused them.
 */
export function createChannelMessenger(
  app: Application<BotTurnState>,
  bot: Pick<BotDependencies, "config">,
  options: { channelId: string; locale: string; references: ChannelReferenceStore },
): ChannelMessenger {
  const { channelId, locale, references } = options;
  const botAppId = botAppIdOf(bot.config.bot);
  return {
    async remember(context) {
      if (!context.activity.conversation?.id?.startsWith(channelId)) return;
      const reference = TurnContextClass.getConversationReference(context.activity);
      await references.saveChannelReference(channelId, {
        ...reference,
        activityId: undefined,
        conversation: { ...reference.conversation, id: channelId },
      });
    },
    channelFor(context) {
      const referenceFor = async (): Promise<Partial<ConversationReference>> => {
        const stored = await references.findChannelReference(channelId);
        if (stored) return stored as Partial<ConversationReference>;
        // Never heard from the channel yet: address it through the current connector (Teams and Playground alike).
        const own = TurnContextClass.getConversationReference(context.activity);
        return { ...own, conversation: { id: channelId, conversationType: "channel", isGroup: true, name: "" } };
      };
      return {
        async post(card) {
          let id = "";
          await app.adapter.continueConversationAsync(botAppId, await referenceFor(), async (channel) => {
            const response = await channel.sendActivity(cardActivity(renderCard(card.name, card.data, locale)));
            id = response?.id ?? "";
          });
          return id;
        },
        async update(activityId, card) {
          const rendered = renderCard(card.name, card.data, locale);
          await app.adapter.continueConversationAsync(botAppId, await referenceFor(), async (channel) => {
            await channel.updateActivity({ ...cardActivity(rendered), id: activityId });
          });
        },
      };
    },
  };
}
