import type { Application } from "@microsoft/teams-ai";
import { type ConversationReference, type TurnContext, TurnContext as TurnContextClass } from "botbuilder";
import type { BotDependencies } from "../../bot/bot-dependencies.js";
import type { BotTurnState } from "../../bot/bot-turn-state.js";
import { onCardAction } from "../../bot/card-actions.js";
import { cardActivity, localeOf } from "../../bot/card-replies.js";
import { CardVerbs } from "../../bot/card-verbs.js";
import { botAppIdOf } from "../../bot/create-bot-adapter.js";
import { type AdaptiveCardJson, renderCard } from "../../bot/render-card.js";
import { turnScope } from "../../bot/turn-scope.js";
import { NotFoundError } from "../../graph/graph-errors.js";
import { translate } from "../../locales/translate.js";
import { TICKETS_TABLE, TicketRepository } from "../../storage/ticket-repository.js";
import { createAuthenticatorCatalog } from "../authenticators/create-authenticator-catalog.js";
import { assignTicket } from "../tickets/assign-ticket.js";
import type { HelpdeskChannel } from "../tickets/helpdesk-channel.js";
import { openTicket } from "../tickets/open-ticket.js";
import { buildTicketCard } from "../tickets/ticket-card-data.js";
import { NotAnAgentError, TicketAlreadyAssignedError, TicketNotFoundError } from "../tickets/ticket-errors.js";
import { answerCommonQuestion } from "./answer-common-question.js";
import { classifySymptom } from "./classify-symptom.js";
import {
  acknowledgement,
  checkOwnRegistration,
  personOf,
  resolveAgentTarget,
  startFromErrorText,
  startTriage,
  type TriageConversationDependencies,
  triageForAgent,
  withClassifiedStart,
} from "./conversation.js";
import { parseChoices, parseErrorText, parseFollowUpAnswer, type TriageChoices } from "./conversation-choices.js";
import { diagnosePasskeyRegistration } from "./diagnose-passkey-registration.js";
import { createUserSnapshotCache, runTriage } from "./run-triage.js";
import { buildAnswerCard, type CardMessage, localize, type Translate } from "./triage-card-data.js";

/** A result ready within this long replaces the clicked card directly; otherwise "Checking…" shows first. */
const FAST_RESULT_MS = 700;

const CANT_ADD_PASSKEY =
  /(can'?t|cannot|can not|unable to|won'?t let me|fails? to) (add|register|create|set up)( a| my)? pass ?key|nejde (mi )?pridat|nemuzu pridat|nelze pridat|nedari se pridat|i can'?t add a passkey/;
const TRIAGE_COMMAND = /^\s*\/?triage(?:\s+(.*))?\s*$/is;

function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/[’‘]/g, "'");
}

/**
 * Routes of the triage conversation: "I can't add a passkey" and the welcome card's button, the platform card, the
 * result card's follow-ups, "Check again" and "Get help", the agent's `triage <UPN or name>` and evidence card, and the
 * help-desk ticket ("Assign to me", "Triage this user").
 */
export function registerTriage(app: Application<BotTurnState>, deps: BotDependencies): void {
  const catalog = createAuthenticatorCatalog();
  const snapshots = createUserSnapshotCache();
  const tickets = new TicketRepository(deps.storage.account.tableClient(TICKETS_TABLE));
  const channelId = deps.config.helpdeskChannelId;
  const botAppId = botAppIdOf(deps.config.bot);
  const pickerEntries = catalog.listForPicker().map((a) => ({ aaGuid: a.aaGuid, name: a.name }));

  const isAgent = async (userId: string) => (await deps.roles.resolveCallerRoles(userId)).isAgent;
  const conversation: TriageConversationDependencies = {
    runTriage: (request) =>
      runTriage(
        {
          gateway: deps.graph,
          diagnose: (input) => diagnosePasskeyRegistration({ ...input, catalog }),
          now: deps.clock,
          snapshots,
        },
        request,
      ),
    schedulerStatus: () => deps.graph.schedulerStatus(),
    getUser: (idOrUpn) => deps.graph.getUser(idOrUpn, "interactive"),
    findUsers: (text, top) => deps.graph.findUsers(text, top),
    isAgent,
    classifySymptom: (text) => classifySymptom(text)?.start ?? null,
    authenticatorName: (aaGuid) => catalog.lookup(aaGuid)?.name ?? null,
    authenticatorsForPicker: () => pickerEntries,
    logRefusal: (callerId, action) =>
      deps.logger.warn({ event: "triage.refused", caller: callerId, action }, "agent-only action refused"),
  };

  const translator =
    (locale: string): Translate =>
    (key, params) =>
      translate(locale, key, params);
  const render = (context: TurnContext, card: CardMessage): AdaptiveCardJson =>
    renderCard(card.name, card.data, localeOf(context));
  const callerOf = (context: TurnContext): string => {
    const id = context.activity.from?.aadObjectId;
    if (!id) throw new NotAnAgentError("unknown");
    return id;
  };
  const callerName = (context: TurnContext) => context.activity.from?.name ?? "";

  /** Later updates of a card outlive the turn: they go through the adapter with the conversation's reference. */
  const updateLater = async (reference: Partial<ConversationReference>, activityId: string, card: AdaptiveCardJson) => {
    await app.adapter.continueConversationAsync(botAppId, reference, async (context) => {
      await context.updateActivity({ ...cardActivity(card), id: activityId });
    });
  };

  /**
   * Answers a card action within a second: the result itself when it is ready fast, otherwise "Checking your
   * account…" now and the result later in the same card (updateActivity of the clicked card's activity).
   */
  const respondPromptly = async (context: TurnContext, work: () => Promise<CardMessage>): Promise<AdaptiveCardJson> => {
    const locale = localeOf(context);
    const pending = work();
    const fast = await Promise.race([
      pending.then((card) => ({ card })),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), FAST_RESULT_MS)),
    ]);
    if (fast) return render(context, fast.card);
    const activityId = context.activity.replyToId;
    const reference = TurnContextClass.getConversationReference(context.activity);
    const logger = turnScope(context, deps.logger).logger;
    if (activityId) {
      pending
        .then((card) => updateLater(reference, activityId, renderCard(card.name, card.data, locale)))
        .catch((error: unknown) =>
          logger.error({ event: "triage.lateUpdateFailed", err: error }, "result not delivered"),
        );
    }
    return renderCard("triage-checking", acknowledgement(conversation, translator(locale)).data, locale);
  };

  /** A message turn: the acknowledgement is sent at once and then updated in place with the result. */
  const sendThenUpdate = async (context: TurnContext, work: () => Promise<CardMessage>): Promise<void> => {
    const ack = acknowledgement(conversation, translator(localeOf(context)));
    const sent = await context.sendActivity(cardActivity(render(context, ack)));
    const card = render(context, await work());
    if (sent?.id) await context.updateActivity({ ...cardActivity(card), id: sent.id });
    else await context.sendActivity(cardActivity(card));
  };

  const helpdesk = (context: TurnContext): HelpdeskChannel => {
    const referenceFor = async (): Promise<Partial<ConversationReference>> => {
      const stored = await tickets.findChannelReference(channelId);
      if (stored) return stored as Partial<ConversationReference>;
      // Never heard from the channel yet: address it through the current connector (Teams and Playground alike).
      const own = TurnContextClass.getConversationReference(context.activity);
      return { ...own, conversation: { id: channelId, conversationType: "channel", isGroup: true, name: "" } };
    };
    return {
      async post(card) {
        let id = "";
        await app.adapter.continueConversationAsync(botAppId, await referenceFor(), async (channel) => {
          const response = await channel.sendActivity(cardActivity(renderCard(card.name, card.data, "en")));
          id = response?.id ?? "";
        });
        return id;
      },
      async update(activityId, card) {
        await updateLater(await referenceFor(), activityId, renderCard(card.name, card.data, "en"));
      },
    };
  };

  const notifyUser = async (userId: string, locale: string, key: string, params: Record<string, string | number>) => {
    const result = await deps.proactive.sendToUser(userId, { type: "message", text: translate(locale, key, params) });
    if (result.status !== "delivered") {
      deps.logger.warn(
        { event: "tickets.requesterNotReached", recipient: userId, status: result.status },
        "requester not told",
      );
    }
  };

  const ownCheck =
    (context: TurnContext, choices: TriageChoices, fresh: boolean, symptomText = "") =>
    async () =>
      (
        await checkOwnRegistration(
          conversation,
          translator(localeOf(context)),
          callerOf(context),
          callerName(context),
          choices,
          fresh,
          symptomText,
        )
      ).card;

  const refusal = (context: TurnContext, error: unknown): string | null => {
    const locale = localeOf(context);
    if (error instanceof NotAnAgentError) return translate(locale, "triage.agentOnly");
    if (error instanceof TicketAlreadyAssignedError) {
      return translate(locale, "tickets.alreadyAssigned", {
        ticketId: error.ticketId,
        name: error.assignee.displayName,
      });
    }
    if (error instanceof TicketNotFoundError)
      return translate(locale, "tickets.notFound", { ticketId: error.ticketId });
    return null;
  };
  const politely = async (context: TurnContext, work: () => Promise<AdaptiveCardJson | string>) => {
    try {
      return await work();
    } catch (error) {
      const text = refusal(context, error);
      if (text === null) throw error;
      return text;
    }
  };

  app.turn("beforeTurn", async (context) => {
    if (context.activity.conversation?.id?.startsWith(channelId)) {
      const reference = TurnContextClass.getConversationReference(context.activity);
      await tickets.saveChannelReference(channelId, {
        ...reference,
        activityId: undefined,
        conversation: { ...reference.conversation, id: channelId },
      });
    }
    return true;
  });

  app.message(TRIAGE_COMMAND, async (context) => {
    const query = TRIAGE_COMMAND.exec(context.activity.text ?? "")?.[1] ?? "";
    const t = translator(localeOf(context));
    try {
      const target = await resolveAgentTarget(conversation, t, callerOf(context), query);
      if (target.kind === "none") await context.sendActivity(target.text);
      else if (target.kind === "choose") await context.sendActivity(cardActivity(render(context, target.card)));
      else {
        await sendThenUpdate(context, () =>
          triageForAgent(conversation, t, callerOf(context), target.user.id, parseChoices({}), true),
        );
      }
    } catch (error) {
      const text = refusal(context, error);
      if (text === null) throw error;
      await context.sendActivity(text);
    }
  });

  app.message(
    async (context) => CANT_ADD_PASSKEY.test(fold(context.activity.text ?? "")),
    async (context) => {
      await context.sendActivity(cardActivity(render(context, startTriage(conversation))));
    },
  );

  app.message(
    async (context) => {
      const text = context.activity.text ?? "";
      return !!text.trim() && (answerCommonQuestion(text) !== null || classifySymptom(text) !== null);
    },
    async (context) => {
      const text = context.activity.text ?? "";
      const t = translator(localeOf(context));
      const answer = answerCommonQuestion(text);
      if (answer) {
        const card = buildAnswerCard(answer.answer.map((a) => localize(t, a)).join("\n\n"), []);
        await context.sendActivity(cardActivity(render(context, card)));
        return;
      }
      const start = classifySymptom(text)?.start ?? null;
      if (start) await context.sendActivity(startFromErrorText(t, start));
      await context.sendActivity(cardActivity(render(context, startTriage(conversation, start))));
    },
  );

  onCardAction(app, CardVerbs.triageStart, async (context) => render(context, startTriage(conversation)));

  onCardAction(app, CardVerbs.triagePlatform, async (context, _state, data) => {
    const errorText = parseErrorText(data);
    const choices = withClassifiedStart(conversation, parseChoices(data), errorText);
    return respondPromptly(context, ownCheck(context, choices, true, errorText));
  });

  onCardAction(app, CardVerbs.triageAnswer, async (context, _state, data) => {
    const choices = parseChoices(data);
    const answer = parseFollowUpAnswer(data);
    if (answer) choices.answers = { ...choices.answers, [answer.followUp]: answer.value };
    return respondPromptly(context, ownCheck(context, choices, false));
  });

  onCardAction(app, CardVerbs.triageRecheck, async (context, _state, data) =>
    politely(context, async () => {
      const choices = parseChoices(data);
      const caller = callerOf(context);
      if (choices.targetUserId && choices.targetUserId !== caller) {
        const t = translator(localeOf(context));
        const targetUserId = choices.targetUserId;
        return respondPromptly(context, () => triageForAgent(conversation, t, caller, targetUserId, choices, true));
      }
      return respondPromptly(context, ownCheck(context, choices, true));
    }),
  );

  onCardAction(app, CardVerbs.triageEscalate, async (context, _state, data) => {
    const choices = parseChoices(data);
    const locale = localeOf(context);
    const t = translator(locale);
    const caller = callerOf(context);
    const { card, outcome } = await checkOwnRegistration(conversation, t, caller, callerName(context), choices, false);
    if (!outcome) return render(context, card);
    const { ticket, isNew } = await openTicket(
      { tickets, helpdesk: helpdesk(context), channelTranslate: translator("en"), now: deps.clock },
      personOf(outcome.user.user),
      locale,
      outcome.diagnosis,
    );
    turnScope(context, deps.logger).logger.info({ event: "tickets.opened", ticketId: ticket.id, isNew }, "escalated");
    await context.sendActivity(t(isNew ? "triage.escalated" : "triage.escalatedAlready", { ticketId: ticket.id }));
    return render(context, card);
  });

  onCardAction(app, CardVerbs.triageUser, async (context, _state, data) =>
    politely(context, async () => {
      const t = translator(localeOf(context));
      const caller = callerOf(context);
      const { ticketId } = data as { ticketId?: unknown };
      let targetUserId = parseChoices(data).targetUserId;
      if (typeof ticketId === "string") {
        const stored = await tickets.get(ticketId);
        if (!stored) throw new TicketNotFoundError(ticketId);
        targetUserId = stored.value.requester.id;
      }
      if (!targetUserId) throw new TicketNotFoundError(String(ticketId ?? ""));
      const target = targetUserId;
      const card = await triageForAgent(conversation, t, caller, target, parseChoices({}), true);
      // From the channel the ticket card stays; the evidence goes to the agent as a new message.
      if (typeof ticketId === "string") {
        await context.sendActivity(cardActivity(render(context, card)));
        const stored = await tickets.get(ticketId);
        return stored
          ? renderCard("ticket-helpdesk", buildTicketCard(translator("en"), stored.value).data, "en")
          : render(context, card);
      }
      return render(context, card);
    }),
  );

  onCardAction(app, CardVerbs.ticketAssign, async (context, _state, data) =>
    politely(context, async () => {
      const { ticketId } = data as { ticketId?: unknown };
      const result = await assignTicket(
        {
          tickets,
          helpdesk: helpdesk(context),
          channelTranslate: translator("en"),
          isAgent,
          describeUser: async (userId) => {
            try {
              return personOf(await deps.graph.getUser(userId, "interactive"));
            } catch (error) {
              if (error instanceof NotFoundError) throw new NotAnAgentError(userId);
              throw error;
            }
          },
          notifyUser,
          now: deps.clock,
        },
        callerOf(context),
        String(ticketId ?? ""),
      );
      return renderCard(result.card.name, result.card.data, "en");
    }),
  );
}
