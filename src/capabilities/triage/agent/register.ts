import type { Application } from "@microsoft/teams-ai";
import type { TurnContext } from "botbuilder";
import { callerOf, isPersonalChat, timeZoneOf } from "../../../bot/activity-facts.js";
import type { BotDependencies } from "../../../bot/bot-dependencies.js";
import type { BotTurnState } from "../../../bot/bot-turn-state.js";
import { onCardAction } from "../../../bot/card-actions.js";
import { localeOf, renderCardMessage } from "../../../bot/card-replies.js";
import { CardVerbs } from "../../../bot/card-verbs.js";
import { createPromptDelivery } from "../../../bot/prompt-delivery.js";
import { orRefusalText } from "../../../bot/refusal-text.js";
import { translate } from "../../../locales/translate.js";
import { ticketDeskOf } from "../../tickets/ticket-desk-of.js";
import { TicketNotFoundError } from "../../tickets/ticket-errors.js";
import * as talk from "../conversation.js";
import { parseChoices, type TriageChoices } from "../conversation-choices.js";
import { triageConversationOf } from "../triage-conversation-of.js";
import { TriagePhrases } from "../triage-phrases.js";
import { callerIdOf, TriageWork, triageCaller } from "../triage-work.js";

const callerIn = (context: TurnContext) => triageCaller(callerOf(context), timeZoneOf(context));

/**
 * Routes only a help-desk agent uses: `triage <UPN or name>` (a picker when several people match, then the evidence
 * card) and "Triage this user" on a picker or a ticket card. Evidence about someone else goes to the agent's personal
 * chat only. Registered before the end user's triage routes, whose free-text classifier would otherwise take
 * "triage …" for a description of a problem.
 */
export function registerAgentTriage(app: Application<BotTurnState>, bot: BotDependencies): void {
  const conversation = triageConversationOf(bot);
  const desk = ticketDeskOf(bot);
  const delivery = createPromptDelivery(app, bot, {
    checkingCard: () => talk.acknowledgement(conversation),
  });
  const agent = (context: TurnContext, targetUserId: string, choices: TriageChoices) =>
    TriageWork.agentCheck(conversation, callerIn(context), targetUserId, choices);

  app.message(TriagePhrases.triageCommand, async (context) => {
    const query = TriagePhrases.triageCommand.exec(context.activity.text ?? "")?.[1] ?? "";
    const locale = localeOf(context);
    const target = await orRefusalText(context, async () =>
      talk.resolveAgentTarget(conversation, locale, callerIdOf(callerIn(context)), query),
    );
    if (typeof target === "string" || target.kind === "none") {
      await context.sendActivity(typeof target === "string" ? target : target.text);
      return;
    }
    const work = async () =>
      target.kind === "choose" ? target.card : agent(context, target.user.id, parseChoices({}))();
    if (isPersonalChat(context)) return delivery.replyPromptly(context, work);
    // Typed in a channel or group chat: the people found and their evidence go to the agent's personal chat only.
    const caller = callerIdOf(callerIn(context));
    await context.sendActivity(
      (await delivery.respondPrivately(context, caller, locale, work, "triage.evidenceSentPrivately")) as string,
    );
  });

  onCardAction(app, CardVerbs.triageUser, async (context, _state, data) =>
    orRefusalText(context, async () => {
      const locale = localeOf(context);
      const caller = callerIdOf(callerIn(context));
      if (typeof data.ticketId !== "string") {
        const targetUserId = parseChoices(data).targetUserId;
        if (!targetUserId) throw new TicketNotFoundError("");
        const work = agent(context, targetUserId, parseChoices({}));
        return delivery.respondPrivately(context, caller, locale, work, "triage.evidenceSentPrivately");
      }
      // From a ticket card: the requester's situation, with the device and authenticator they escalated with.
      await talk.requireAgent(conversation, caller, "triage.user");
      const ticket = await desk.ticket(data.ticketId);
      const choices = parseChoices({ platform: ticket.diagnosis.platform, aaGuid: ticket.diagnosis.aaGuid ?? "" });
      const work = agent(context, ticket.requester.id, choices);
      if (isPersonalChat(context)) return delivery.respondPromptly(context, work);
      // Privacy: the evidence goes to the agent's personal chat; the channel only learns who is looking at it. Not
      // reachable privately: the agent is told (an Action.Execute message answer is shown to the clicker only).
      const problem = await delivery.sendPrivatelyPromptly(context, caller, locale, work);
      if (problem) return problem;
      const who = callerOf(context).name || caller;
      await context.sendActivity(
        translate(desk.channelLocale, "tickets.agentLooking", { agent: who, ticketId: ticket.id }),
      );
      return renderCardMessage(context, desk.card(ticket), desk.channelLocale);
    }),
  );
}
