import { type Activity, ActivityTypes, CardFactory, MessageFactory, type TurnContext } from "botbuilder";
import type { CardMessage, CardName } from "../cards/card-message.js";
import { resolveLocale } from "../locales/translate.js";
import { type AdaptiveCardJson, type RenderableData, renderCard } from "./render-card.js";

const ADAPTIVE_CARD_INVOKE = "adaptiveCard/action";
const ADAPTIVE_CARD_RESPONSE = "application/vnd.microsoft.card.adaptive";

/** The caller's locale for cards and messages (cs* ⇒ Czech, else English). */
export function localeOf(context: TurnContext): string {
  return resolveLocale(context.activity.locale);
}

/** A message activity carrying one Adaptive Card (for sendActivity or proactive sends). */
export function cardActivity(card: AdaptiveCardJson): Partial<Activity> {
  return MessageFactory.attachment(CardFactory.adaptiveCard(card));
}

/**
 * The replacement card an Action.Execute handler returns: `return replaceCard(context, "tap-approved", data)`.
 * Teams swaps the clicked card for it in place.
 */
export function replaceCard<Name extends CardName>(
  context: TurnContext,
  name: Name,
  data: RenderableData<Name>,
): AdaptiveCardJson {
  return renderCard(name, data, localeOf(context));
}

/** A capability's CardMessage rendered in `locale` (the caller's when omitted), e.g. as an Action.Execute answer. */
export function renderCardMessage(
  context: TurnContext,
  card: CardMessage,
  locale = localeOf(context),
): AdaptiveCardJson {
  return renderCard(card.name, card.data, locale);
}

/** Renders a capability's CardMessage in `locale` and sends it as a new message in the current conversation. */
export async function sendCardMessage(
  context: TurnContext,
  card: CardMessage,
  locale = localeOf(context),
): Promise<void> {
  await context.sendActivity(cardActivity(renderCardMessage(context, card, locale)));
}

export function isCardActionInvoke(context: TurnContext): boolean {
  return context.activity.type === ActivityTypes.Invoke && context.activity.name === ADAPTIVE_CARD_INVOKE;
}

/**
 * Answers with a card whatever the activity: an Action.Execute gets it as its invoke response (replacing the card),
 * anything else as a message. Used where the boundary cannot know which kind of turn failed.
 */
export async function answerWithCard(context: TurnContext, card: AdaptiveCardJson): Promise<void> {
  if (isCardActionInvoke(context)) {
    await context.sendActivity({
      type: "invokeResponse",
      value: { status: 200, body: { statusCode: 200, type: ADAPTIVE_CARD_RESPONSE, value: card } },
    });
    return;
  }
  if (context.activity.type === ActivityTypes.Invoke) {
    await context.sendActivity({ type: "invokeResponse", value: { status: 200 } });
  }
  await context.sendActivity(cardActivity(card));
}

/** Answers with plain text: an Action.Execute gets it as a message invoke response, anything else as a message. */
export async function answerWithText(context: TurnContext, text: string): Promise<void> {
  if (isCardActionInvoke(context)) {
    await context.sendActivity({
      type: "invokeResponse",
      value: {
        status: 200,
        body: { statusCode: 200, type: "application/vnd.microsoft.activity.message", value: text },
      },
    });
    return;
  }
  await context.sendActivity(text);
}
