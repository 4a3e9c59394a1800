import type { Application } from "@microsoft/teams-ai";
import {
  type Activity,
  type ConversationReference,
  type TurnContext,
  TurnContext as TurnContextClass,
} from "botbuilder";
import type { BotDependencies } from "../../bot/bot-dependencies.js";
import type { BotTurnState } from "../../bot/bot-turn-state.js";
import { onCardAction } from "../../bot/card-actions.js";
import { cardActivity, localeOf } from "../../bot/card-replies.js";
import { CardVerbs } from "../../bot/card-verbs.js";
import { botAppIdOf } from "../../bot/create-bot-adapter.js";
import type { Logger } from "../../bot/create-logger.js";
import { describeError } from "../../bot/error-boundary.js";
import { type AdaptiveCardJson, renderCard } from "../../bot/render-card.js";
import { turnScope } from "../../bot/turn-scope.js";
import { NotFoundError } from "../../graph/graph-errors.js";
import { detectLanguage } from "../../locales/detect-language.js";
import { resolveLocale, translate } from "../../locales/translate.js";
import { TICKETS_TABLE, TicketRepository } from "../../storage/ticket-repository.js";
import type { AuthenticatorCatalog } from "../authenticators/create-authenticator-catalog.js";
import { assignTicket } from "../tickets/assign-ticket.js";
import type { HelpdeskChannel } from "../tickets/helpdesk-channel.js";
import { openTicket } from "../tickets/open-ticket.js";
import { buildTicketCard } from "../tickets/ticket-card-data.js";
import { NotAnAgentError, TicketAlreadyAssignedError, TicketNotFoundError } from "../tickets/ticket-errors.js";
import { answerCommonQuestion } from "./answer-common-question.js";
import {
  acknowledgement,
  askDevice,
  askKeyModel,
  checkOwnRegistration,
  personOf,
  requireAgent,
  resolveAgentTarget,
  startFromErrorText,
  startTriage,
  type TriageConversationDependencies,
  triageForAgent,
  withClassifiedStart,
} from "./conversation.js";
import { parseChoices, parseErrorText, parseFollowUpAnswer, type TriageChoices } from "./conversation-choices.js";
import { classifySymptom } from "./engine/classify-symptom.js";
import { diagnosePasskeyRegistration } from "./engine/diagnose-passkey-registration.js";
import { MY_SECURITY_INFO_URL } from "./engine/diagnosis-text.js";
import { createUserSnapshotCache, runTriage, type TriageEngineInput } from "./run-triage.js";
import { summarizeForTap } from "./summarize-for-tap.js";
import { buildAnswerCard, type CardMessage, localize, type Translate } from "./triage-card-data.js";

/** A result ready within this long replaces the clicked card directly; otherwise "Checking…" shows first. */
export const FAST_RESULT_MS = 700;

const CANT_ADD_PASSKEY =
  /(can'?t|cannot|can not|unable to|won'?t let me|fails? to) (add|register|create|set up)( a| my)? pass ?key|nejde (mi )?pridat|nemuzu pridat|nelze pridat|nedari se pridat|i can'?t add a passkey/;
/** "My YubiKey doesn't work", "bezpečnostní klíč nefunguje": the security-key path, model picker first. */
const SECURITY_KEY_TROUBLE =
  /(yubi ?key|security key|fido2? key|feitian|token2|titan key|bezpecnostni klic|klic fido)\b.*\b(doesn'?t|does not|won'?t|not|isn'?t|fails?|nejde|nefunguje|neni prijat)|\b(nejde|nefunguje)\b.*(yubi ?key|bezpecnostni klic)/;
const TRIAGE_COMMAND = /^\s*\/?triage(?:\s+(.*))?\s*$/is;

/**
 * Names every AAGUID the engine will look at (the chosen one and the user's registered keys) before it runs: with
 * the FIDO Metadata Service loaded, models the built-in list does not know are fetched once and then known to
 * `lookup`. A metadata failure only costs the name, never the triage.
 */
async function resolveAuthenticators(catalog: AuthenticatorCatalog, input: TriageEngineInput): Promise<void> {
  const ids = new Set<string>();
  if (input.aaGuid) ids.add(input.aaGuid);
  if (input.snapshot.methods.ok) {
    for (const method of input.snapshot.methods.value) {
      const aaGuid = (method as { aaGuid?: unknown }).aaGuid;
      if (typeof aaGuid === "string") ids.add(aaGuid);
    }
  }
  await Promise.all([...ids].map((id) => catalog.resolve(id).catch(() => null)));
}

function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/[’‘]/g, "'");
}

/**
 * Routes of the triage conversation: "I can't add a passkey" and the welcome card's button, the platform card, the
 * result card's follow-ups, "Check again" and "Get help", the agent's `triage <UPN or name>` and evidence card, and the
 * help-desk ticket ("Assign to me", "Triage this user").
 */
const tapSummarizers = new WeakMap<object, (targetUserId: string, locale: string) => Promise<string>>();

/**
 * The server's own triage summary of a person, for a TAP request (why a pass is needed), once triage is registered on
 * `app`. It reads through the same cached snapshots as the agent's evidence card, so pressing "Request TAP" right after
 * a triage costs no new Graph reads.
 */
export function tapTriageSummarizerOf(
  app: Application<BotTurnState>,
): ((targetUserId: string, locale: string) => Promise<string>) | undefined {
  return tapSummarizers.get(app);
}

export function registerTriage(app: Application<BotTurnState>, deps: BotDependencies): void {
  const catalog = deps.authenticatorCatalog;
  const snapshots = createUserSnapshotCache();
  const tickets = new TicketRepository(deps.storage.account.tableClient(TICKETS_TABLE));
  const channelId = deps.config.helpdeskChannelId;
  // Cards in the help-desk channel follow the channel's configured language, whoever caused them.
  const channelLocale = deps.config.helpdeskChannelLocale ?? "en";
  const botAppId = botAppIdOf(deps.config.bot);
  const pickerEntries = catalog.listForPicker().map((a) => ({ aaGuid: a.aaGuid, name: a.name }));
  const keyModels = catalog.listSecurityKeyModels();

  const isAgent = async (userId: string) => (await deps.roles.resolveCallerRoles(userId)).isAgent;
  const conversation: TriageConversationDependencies = {
    runTriage: (request) =>
      runTriage(
        {
          gateway: deps.graph,
          diagnose: async (input) => {
            await resolveAuthenticators(catalog, input);
            return diagnosePasskeyRegistration({ ...input, catalog });
          },
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
    securityKeyModels: () => keyModels,
    logRefusal: (callerId, action) =>
      deps.logger.warn({ event: "triage.refused", caller: callerId, action }, "agent-only action refused"),
  };

  tapSummarizers.set(app, async (targetUserId, locale) => {
    const outcome = await conversation.runTriage({
      userId: targetUserId,
      platform: "unknown",
      aaGuid: null,
      forAgent: true,
    });
    return summarizeForTap(translator(locale), outcome.diagnosis);
  });

  const translator =
    (locale: string): Translate =>
    (key, params) =>
      translate(locale, key, params);
  const render = (context: TurnContext, card: CardMessage, locale = localeOf(context)): AdaptiveCardJson =>
    renderCard(card.name, card.data, locale);
  /** A message's language: what the person wrote in, else the client's locale. */
  const messageLocale = (context: TurnContext): string =>
    detectLanguage(context.activity.text ?? "") ?? localeOf(context);
  /** A card action's language: the one the card was written in (carried as `lang`), else the client's locale. */
  const actionLocale = (context: TurnContext, data: unknown): string => {
    const lang = (data as { lang?: unknown } | null)?.lang;
    return lang === "cs" || lang === "en" ? lang : localeOf(context);
  };
  const callerOf = (context: TurnContext): string => {
    const id = context.activity.from?.aadObjectId;
    if (!id) throw new NotAnAgentError("unknown");
    return id;
  };
  const callerName = (context: TurnContext) => context.activity.from?.name ?? "";
  /** The caller's IANA time zone as Teams reports it (`localTimezone`), for times shown to an agent. */
  const zoneOf = (context: TurnContext): string | undefined => {
    const zone = (context.activity as { localTimezone?: unknown }).localTimezone;
    return typeof zone === "string" && zone.length > 0 && zone.length < 64 ? zone : undefined;
  };
  const isPersonal = (context: TurnContext) => context.activity.conversation?.conversationType === "personal";

  /** The polite sentence for a refused or impossible request; null for anything that is a real failure. */
  const refusalText = (locale: string, error: unknown, notAgentKey = "triage.agentOnly"): string | null => {
    if (error instanceof NotAnAgentError) return translate(locale, notAgentKey);
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

  /**
   * The finished work as what the person sees: the card, a polite refusal, or — for anything unexpected — the error
   * card with the turn's correlation id. Never rejects, so a late delivery cannot leave "Checking…" standing.
   */
  const settle = (work: Promise<CardMessage>, locale: string, logger: Logger, correlationId: string) =>
    work.then(
      (card): AdaptiveCardJson | string => renderCard(card.name, card.data, locale),
      (error: unknown): AdaptiveCardJson | string => {
        const text = refusalText(locale, error);
        if (text !== null) return text;
        logger.error({ event: "triage.checkFailed", err: error }, error instanceof Error ? error.message : "failed");
        return renderCard("error", { message: describeError(error, locale), correlationId }, locale);
      },
    );

  /** The settled work if it is ready within FAST_RESULT_MS, otherwise null (the work goes on). */
  const readyPromptly = <T>(pending: Promise<T>): Promise<T | null> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), FAST_RESULT_MS);
      void pending.then((value) => {
        clearTimeout(timer);
        resolve(value);
      });
    });

  const asActivity = (answer: AdaptiveCardJson | string): Partial<Activity> =>
    typeof answer === "string" ? { type: "message", text: answer } : cardActivity(answer);

  /**
   * Delivers a result that outlived its turn, through the adapter with the conversation's reference: it replaces the
   * activity `activityId` ("Checking your account…") in place, or arrives as a new message when there is none.
   */
  const deliverLater = async (
    reference: Partial<ConversationReference>,
    activityId: string | undefined,
    answer: AdaptiveCardJson | string,
    logger: Logger,
  ) => {
    try {
      await app.adapter.continueConversationAsync(botAppId, reference, async (context) => {
        if (activityId) await context.updateActivity({ ...asActivity(answer), id: activityId });
        else await context.sendActivity(asActivity(answer));
      });
      logger.info({ event: "triage.lateResultDelivered", updated: Boolean(activityId) }, "late result delivered");
    } catch (error) {
      logger.error({ event: "triage.lateUpdateFailed", err: error }, "result not delivered");
    }
  };

  const checkingCard = (locale: string) =>
    renderCard("triage-checking", acknowledgement(conversation, translator(locale)).data, locale);

  /**
   * Answers a card action promptly: the result itself when it is ready within FAST_RESULT_MS, otherwise "Checking your
   * account…" (with the queue position when Graph's reports budget is spent) now, and the result later in the same
   * card (updateActivity of the clicked card's activity).
   */
  const respondPromptly = async (
    context: TurnContext,
    work: () => Promise<CardMessage>,
    locale = localeOf(context),
  ): Promise<AdaptiveCardJson | string> => {
    const scope = turnScope(context, deps.logger);
    const result = settle(work(), locale, scope.logger, scope.correlationId);
    const fast = await readyPromptly(result);
    if (fast !== null) return fast;
    const reference = TurnContextClass.getConversationReference(context.activity);
    const clickedId = context.activity.replyToId;
    void result.then((answer) => deliverLater(reference, clickedId, answer, scope.logger));
    return checkingCard(locale);
  };

  /**
   * A message turn: the result when it is ready promptly, otherwise "Checking your account…" at once and the result
   * later in that same activity. With deliveryMode expectReplies there is no activity to update, so the result
   * follows as a second reply in the same turn.
   */
  const replyPromptly = async (context: TurnContext, work: () => Promise<CardMessage>): Promise<void> => {
    const locale = localeOf(context);
    const scope = turnScope(context, deps.logger);
    const result = settle(work(), locale, scope.logger, scope.correlationId);
    const fast = await readyPromptly(result);
    if (fast !== null) {
      await context.sendActivity(asActivity(fast));
      return;
    }
    const sent = await context.sendActivity(cardActivity(checkingCard(locale)));
    if (!sent?.id) {
      await context.sendActivity(asActivity(await result));
      return;
    }
    const reference = TurnContextClass.getConversationReference(context.activity);
    void result.then((answer) => deliverLater(reference, sent.id, answer, scope.logger));
  };

  /**
   * Evidence about another person never goes into a channel or group chat: it goes to the agent's personal chat
   * (proactive). Returns null when it was delivered, or the sentence that tells the agent why not.
   */
  const sendPrivately = async (
    agentId: string,
    locale: string,
    work: () => Promise<CardMessage>,
    logger: Logger,
    correlationId: string,
  ): Promise<string | null> => {
    const answer = await settle(work(), locale, logger, correlationId);
    const sent = await deps.proactive.sendToUser(agentId, asActivity(answer));
    if (sent.status === "delivered") return null;
    logger.warn({ event: "triage.evidenceNotDelivered", status: sent.status }, "agent's personal chat not reached");
    return translate(
      locale,
      sent.status === "pendingInstall" ? "tickets.personalChatPending" : "tickets.openPersonalChat",
    );
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
          const response = await channel.sendActivity(cardActivity(renderCard(card.name, card.data, channelLocale)));
          id = response?.id ?? "";
        });
        return id;
      },
      async update(activityId, card) {
        const rendered = renderCard(card.name, card.data, channelLocale);
        await app.adapter.continueConversationAsync(botAppId, await referenceFor(), async (channel) => {
          await channel.updateActivity({ ...cardActivity(rendered), id: activityId });
        });
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
    (context: TurnContext, choices: TriageChoices, fresh: boolean, symptomText = "", locale = localeOf(context)) =>
    async () =>
      (
        await checkOwnRegistration(
          conversation,
          translator(locale),
          callerOf(context),
          callerName(context),
          // The result card carries the language it is written in, so its buttons answer in it.
          { ...choices, lang: resolveLocale(locale) },
          fresh,
          symptomText,
        )
      ).card;

  const politely = async (
    context: TurnContext,
    work: () => Promise<AdaptiveCardJson | string>,
    notAgentKey?: string,
  ): Promise<AdaptiveCardJson | string> => {
    try {
      return await work();
    } catch (error) {
      const text = refusalText(localeOf(context), error, notAgentKey);
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
    const locale = localeOf(context);
    const t = translator(locale);
    const caller = callerOf(context);
    let target: Awaited<ReturnType<typeof resolveAgentTarget>>;
    try {
      target = await resolveAgentTarget(conversation, t, caller, query);
    } catch (error) {
      const text = refusalText(locale, error);
      if (text === null) throw error;
      await context.sendActivity(text);
      return;
    }
    const work = async (): Promise<CardMessage> => {
      if (target.kind === "choose") return target.card;
      if (target.kind === "none") throw new Error("unreachable: no target to triage");
      return triageForAgent(conversation, t, caller, target.user.id, parseChoices({}), true, zoneOf(context));
    };
    if (target.kind === "none") {
      await context.sendActivity(target.text);
    } else if (isPersonal(context)) {
      await replyPromptly(context, work);
    } else {
      // Typed in a channel or group chat: the people found and their evidence go to the agent's personal chat only.
      const scope = turnScope(context, deps.logger);
      const problem = await sendPrivately(caller, locale, work, scope.logger, scope.correlationId);
      await context.sendActivity(problem ?? t("triage.evidenceSentPrivately"));
    }
  });

  app.message(
    async (context) => SECURITY_KEY_TROUBLE.test(fold(context.activity.text ?? "")),
    async (context) => {
      // "My YubiKey doesn't work": straight to the security-key path, the model picker first.
      const locale = messageLocale(context);
      await context.sendActivity(cardActivity(render(context, askKeyModel(conversation, null, locale), locale)));
    },
  );

  app.message(
    async (context) => CANT_ADD_PASSKEY.test(fold(context.activity.text ?? "")),
    async (context) => {
      const locale = messageLocale(context);
      await context.sendActivity(cardActivity(render(context, startTriage(conversation, null, locale), locale)));
    },
  );

  app.message(
    async (context) => {
      const text = context.activity.text ?? "";
      return !!text.trim() && (answerCommonQuestion(text) !== null || classifySymptom(text) !== null);
    },
    async (context) => {
      const text = context.activity.text ?? "";
      const locale = messageLocale(context);
      const t = translator(locale);
      const answer = answerCommonQuestion(text);
      if (answer) {
        // Every answer ends where the person can act: the Security info page, as a button.
        const card = buildAnswerCard(answer.answer.map((a) => localize(t, a)).join("\n\n"), [
          { title: t("triage.openSecurityInfo"), url: MY_SECURITY_INFO_URL },
        ]);
        await context.sendActivity(cardActivity(render(context, card, locale)));
        return;
      }
      const start = classifySymptom(text)?.start ?? null;
      if (start) await context.sendActivity(startFromErrorText(t, start));
      await context.sendActivity(cardActivity(render(context, startTriage(conversation, start, locale), locale)));
    },
  );

  onCardAction(app, CardVerbs.triageStart, async (context) => render(context, startTriage(conversation)));

  onCardAction(app, CardVerbs.triagePlatform, async (context, _state, data) => {
    const locale = actionLocale(context, data);
    const errorText = parseErrorText(data);
    const choices = withClassifiedStart(conversation, parseChoices(data), errorText);
    const asks = data as { askModel?: unknown; askDevice?: unknown } | null;
    // No dead ends: "Security key" without a model asks which one; "I'm not sure" asks which device.
    if (choices.platform === "securityKey" && !choices.aaGuid && asks?.askModel === "yes") {
      return render(context, askKeyModel(conversation, choices.start, locale), locale);
    }
    if (choices.platform === "unknown" && asks?.askDevice === "yes") {
      return render(context, askDevice(choices.start, locale), locale);
    }
    return respondPromptly(context, ownCheck(context, choices, true, errorText, locale), locale);
  });

  onCardAction(app, CardVerbs.triageAnswer, async (context, _state, data) => {
    const locale = actionLocale(context, data);
    const choices = parseChoices(data);
    const answer = parseFollowUpAnswer(data);
    if (answer) choices.answers = { ...choices.answers, [answer.followUp]: answer.value };
    return respondPromptly(context, ownCheck(context, choices, false, "", locale), locale);
  });

  onCardAction(app, CardVerbs.triageRecheck, async (context, _state, data) =>
    politely(context, async () => {
      const choices = parseChoices(data);
      const caller = callerOf(context);
      // Forged or stale target ids from end users are ignored: only an agent's check again reads someone else.
      const locale = actionLocale(context, data);
      if (choices.targetUserId && choices.targetUserId !== caller && (await isAgent(caller))) {
        const t = translator(locale);
        const targetUserId = choices.targetUserId;
        return respondPromptly(
          context,
          () => triageForAgent(conversation, t, caller, targetUserId, choices, true, zoneOf(context)),
          locale,
        );
      }
      return respondPromptly(context, ownCheck(context, choices, true, "", locale), locale);
    }),
  );

  onCardAction(app, CardVerbs.triageEscalate, async (context, _state, data) => {
    const locale = actionLocale(context, data);
    const choices = { ...parseChoices(data), lang: resolveLocale(locale) };
    const t = translator(locale);
    const caller = callerOf(context);
    const { card, outcome } = await checkOwnRegistration(conversation, t, caller, callerName(context), choices, false);
    if (!outcome) return render(context, card, locale);
    const { ticket, isNew } = await openTicket(
      { tickets, helpdesk: helpdesk(context), channelTranslate: translator(channelLocale), now: deps.clock },
      personOf(outcome.user.user),
      locale,
      outcome.diagnosis,
    );
    turnScope(context, deps.logger).logger.info({ event: "tickets.opened", ticketId: ticket.id, isNew }, "escalated");
    await context.sendActivity(t(isNew ? "triage.escalated" : "triage.escalatedAlready", { ticketId: ticket.id }));
    return render(context, card, locale);
  });

  onCardAction(app, CardVerbs.triageUser, async (context, _state, data) =>
    politely(context, async () => {
      const locale = localeOf(context);
      const t = translator(locale);
      const caller = callerOf(context);
      const { ticketId } = data as { ticketId?: unknown };
      if (typeof ticketId !== "string") {
        const targetUserId = parseChoices(data).targetUserId;
        if (!targetUserId) throw new TicketNotFoundError("");
        const work = () =>
          triageForAgent(conversation, t, caller, targetUserId, parseChoices({}), true, zoneOf(context));
        if (isPersonal(context)) return respondPromptly(context, work);
        const scope = turnScope(context, deps.logger);
        return (
          (await sendPrivately(caller, locale, work, scope.logger, scope.correlationId)) ??
          t("triage.evidenceSentPrivately")
        );
      }
      await requireAgent(conversation, caller, "triage.user");
      const stored = await tickets.get(ticketId);
      if (!stored) throw new TicketNotFoundError(ticketId);
      const ticket = stored.value;
      // The agent sees the requester's situation: the device and authenticator they escalated with.
      const choices = parseChoices({ platform: ticket.diagnosis.platform, aaGuid: ticket.diagnosis.aaGuid ?? "" });
      const work = () => triageForAgent(conversation, t, caller, ticket.requester.id, choices, true, zoneOf(context));
      const ticketCard = renderCard(
        "ticket-helpdesk",
        buildTicketCard(translator(channelLocale), ticket).data,
        channelLocale,
      );
      if (isPersonal(context)) return respondPromptly(context, work);
      // Privacy: the evidence goes to the agent's personal chat; the channel only learns who is looking at it.
      const scope = turnScope(context, deps.logger);
      const delivery = sendPrivately(caller, locale, work, scope.logger, scope.correlationId).then(
        (problem) => ({ problem }),
        (error: unknown) => {
          scope.logger.error({ event: "triage.evidenceNotDelivered", err: error }, "evidence not delivered");
          return { problem: describeError(error, locale) };
        },
      );
      const ready = await readyPromptly(delivery);
      // Not reachable privately: the agent is told (an Action.Execute message answer is shown to the clicker only).
      if (ready?.problem) return ready.problem;
      await context.sendActivity(
        translate(channelLocale, "tickets.agentLooking", { agent: callerName(context) || caller, ticketId: ticket.id }),
      );
      return ticketCard;
    }),
  );

  onCardAction(app, CardVerbs.ticketAssign, async (context, _state, data) =>
    politely(
      context,
      async () => {
        const { ticketId } = data as { ticketId?: unknown };
        const result = await assignTicket(
          {
            tickets,
            helpdesk: helpdesk(context),
            channelTranslate: translator(channelLocale),
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
        return renderCard(result.card.name, result.card.data, channelLocale);
      },
      "tickets.agentsOnly",
    ),
  );
}
