import type { Application } from "@microsoft/teams-ai";
import type { TurnContext } from "botbuilder";
import { actionLocaleOf, callerOf, messageLocaleOf, timeZoneOf } from "../../bot/activity-facts.js";
import type { BotDependencies } from "../../bot/bot-dependencies.js";
import type { BotTurnState } from "../../bot/bot-turn-state.js";
import { onCardAction } from "../../bot/card-actions.js";
import { renderCardMessage, sendCardMessage } from "../../bot/card-replies.js";
import { CardVerbs } from "../../bot/card-verbs.js";
import { createChannelMessenger } from "../../bot/create-channel-messenger.js";
import { createPromptDelivery } from "../../bot/prompt-delivery.js";
import { orRefusalText } from "../../bot/refusal-text.js";
import { turnScope } from "../../bot/turn-scope.js";
import { resolveLocale, translate } from "../../locales/translate.js";
import { foldText } from "../../text/fold-text.js";
import { ticketDeskOf } from "../tickets/ticket-desk-of.js";
import { answerCommonQuestion } from "./answer-common-question.js";
import * as talk from "./conversation.js";
import { parseChoices, parseErrorText, parseFollowUpAnswer, type TriageChoices } from "./conversation-choices.js";
import { classifySymptom } from "./engine/classify-symptom.js";
import { triageConversationOf } from "./triage-conversation-of.js";
import { TriagePhrases } from "./triage-phrases.js";
import { callerIdOf, TriageWork, triageCaller } from "./triage-work.js";

const callerIn = (context: TurnContext) => triageCaller(callerOf(context), timeZoneOf(context));

/**
 * Routes of the triage conversation: "I can't add a passkey" and the welcome card's button, the platform card, the
 * result card's follow-ups, "Check again" (the agent's too) and "Get help" (a ticket). The agent's own routes,
 * `triage <UPN or name>` and "Triage this user", are in agent/register.ts.
 */
export function registerTriage(app: Application<BotTurnState>, bot: BotDependencies): void {
  const conversation = triageConversationOf(bot);
  const desk = ticketDeskOf(bot);
  const channel = createChannelMessenger(app, bot, {
    channelId: desk.channelId,
    locale: desk.channelLocale,
    references: desk.tickets,
  });
  const delivery = createPromptDelivery(app, bot, {
    checkingCard: () => talk.acknowledgement(conversation),
  });
  const own = (context: TurnContext, choices: TriageChoices, fresh: boolean, locale: string, symptomText = "") =>
    TriageWork.ownCheck(conversation, callerIn(context), choices, { fresh, locale, symptomText });
  const agent = (context: TurnContext, targetUserId: string, choices: TriageChoices) =>
    TriageWork.agentCheck(conversation, callerIn(context), targetUserId, choices);

  app.message(
    async (context) => TriagePhrases.securityKeyTrouble.test(foldText(context.activity.text ?? "")),
    async (context) => {
      const locale = messageLocaleOf(context);
      await sendCardMessage(context, talk.askKeyModel(conversation, null, locale), locale);
    },
  );

  app.message(
    async (context) => TriagePhrases.cantAddPasskey.test(foldText(context.activity.text ?? "")),
    async (context) => {
      const locale = messageLocaleOf(context);
      await sendCardMessage(context, talk.startTriage(conversation, null, locale), locale);
    },
  );

  app.message(
    async (context) => {
      const text = context.activity.text ?? "";
      return !!text.trim() && (answerCommonQuestion(text) !== null || classifySymptom(text) !== null);
    },
    async (context) => {
      const text = context.activity.text ?? "";
      const locale = messageLocaleOf(context);
      const answer = answerCommonQuestion(text);
      if (answer) return sendCardMessage(context, talk.commonAnswerCard(answer), locale);
      const start = classifySymptom(text)?.start ?? null;
      if (start) await context.sendActivity(talk.startFromErrorText(locale, start));
      await sendCardMessage(context, talk.startTriage(conversation, start, locale), locale);
    },
  );

  onCardAction(app, CardVerbs.triageStart, async (context) =>
    renderCardMessage(context, talk.startTriage(conversation)),
  );

  onCardAction(app, CardVerbs.triagePlatform, async (context, _state, data) => {
    const locale = actionLocaleOf(context, data);
    const errorText = parseErrorText(data);
    const choices = talk.withClassifiedStart(conversation, parseChoices(data), errorText);
    // No dead ends: "Security key" without a model asks which one; "I'm not sure" asks which device.
    if (choices.platform === "securityKey" && !choices.aaGuid && data.askModel === "yes") {
      return renderCardMessage(context, talk.askKeyModel(conversation, choices.start, locale), locale);
    }
    if (choices.platform === "unknown" && data.askDevice === "yes") {
      return renderCardMessage(context, talk.askDevice(choices.start, locale), locale);
    }
    return delivery.respondPromptly(context, own(context, choices, true, locale, errorText), locale);
  });

  onCardAction(app, CardVerbs.triageAnswer, async (context, _state, data) => {
    const locale = actionLocaleOf(context, data);
    const choices = parseChoices(data);
    const answer = parseFollowUpAnswer(data);
    if (answer) choices.answers = { ...choices.answers, [answer.followUp]: answer.value };
    return delivery.respondPromptly(context, own(context, choices, false, locale), locale);
  });

  onCardAction(app, CardVerbs.triageRecheck, async (context, _state, data) =>
    orRefusalText(context, async () => {
      const choices = parseChoices(data);
      const caller = callerIdOf(callerIn(context));
      const locale = actionLocaleOf(context, data);
      // Forged or stale target ids from end users are ignored: only an agent's check again reads someone else.
      const forAgent = choices.targetUserId && choices.targetUserId !== caller && (await conversation.isAgent(caller));
      const work = forAgent
        ? agent(context, choices.targetUserId as string, choices)
        : own(context, choices, true, locale);
      return delivery.respondPromptly(context, work, locale);
    }),
  );

  onCardAction(app, CardVerbs.triageEscalate, async (context, _state, data) => {
    const locale = actionLocaleOf(context, data);
    const choices = { ...parseChoices(data), lang: resolveLocale(locale) };
    const caller = callerIn(context);
    const checked = await talk.checkOwnRegistration(conversation, callerIdOf(caller), caller.name, choices, false);
    if (!checked.outcome) return renderCardMessage(context, checked.card, locale);
    const { user } = checked.outcome.user;
    const { ticket, isNew } = await desk.open(channel.channelFor(context), user, locale, checked.outcome.diagnosis);
    turnScope(context, bot.logger).logger.info({ event: "tickets.opened", ticketId: ticket.id, isNew }, "escalated");
    await context.sendActivity(
      translate(locale, isNew ? "triage.escalated" : "triage.escalatedAlready", { ticketId: ticket.id }),
    );
    return renderCardMessage(context, checked.card, locale);
  });
}
