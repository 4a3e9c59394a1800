import type { TeamsAdapter } from "@microsoft/teams-ai";
// Deep imports (here and in create-bot-adapter.ts, bot-turn-state.ts): the package index also loads the AI planners and
// gpt-tokenizer's tables, ~18 MB of every instance's memory for code this bot never runs.
import { Application } from "@microsoft/teams-ai/lib/Application";
import { ActivityTypes, type TurnContext, TurnContext as TurnContextClass } from "botbuilder";
import { AccessDeniedError, NotFoundError } from "../graph/graph-errors.js";
import { runWithGraphRequestContext } from "../graph/graph-request-context.js";
import { translate } from "../locales/translate.js";
import type { StoredConversationReference } from "../storage/conversation-reference-repository.js";
import type { BotDependencies } from "./bot-dependencies.js";
import { BotTurnState } from "./bot-turn-state.js";
import { onCardAction, useCardActionLogger } from "./card-actions.js";
import { answerWithCard, answerWithText, cardActivity, isCardActionInvoke, localeOf } from "./card-replies.js";
import { CardVerbs } from "./card-verbs.js";
import { createTurnErrorHandler, errorCardFor, UnknownCardVerbError } from "./error-boundary.js";
import { helpNotesFor } from "./help-notes.js";
import { onCommand } from "./on-command.js";
import { type AdaptiveCardJson, renderCard } from "./render-card.js";
import { type RateLimitedAction, TurnRateLimiter } from "./turn-rate-limiter.js";
import { beginTurnScope, turnScope } from "./turn-scope.js";
import { WELCOMED_CONVERSATIONS_TABLE, welcomeClaims } from "./welcome-claims.js";

/**
 * A capability's routes: `registerTriage(app, deps)`, `registerTap(app, deps)`… A capability that starts background
 * timers returns the function that stops them, so closing the bot leaves nothing running.
 */
export type RegisterCapability = (app: Application<BotTurnState>, deps: BotDependencies) => void | StopBackgroundWork;

export type StopBackgroundWork = () => void;

export interface Bot {
  app: Application<BotTurnState>;
  adapter: TeamsAdapter;
  /** The logic for `adapter.process`: scope, tenant check, conversation reference, then the Application. */
  handleTurn(context: TurnContext): Promise<void>;
  /** Stops every capability's background timers (sweeps, auto-hide); turns already running finish on their own. */
  stop(): void;
}

/**
 * Builds the Teams AI Application (no AI planner) with the foundation's routes around the capabilities': welcome
 * on install, help by role, and — registered last, so they only catch what nothing else did — help for unknown text
 * and an error card for unknown card verbs.
 */
export function createBotApplication(
  deps: BotDependencies,
  adapter: TeamsAdapter,
  capabilities: readonly RegisterCapability[],
  options: { rateLimiter?: TurnRateLimiter } = {},
): Bot {
  const rateLimiter = options.rateLimiter ?? new TurnRateLimiter();
  const { logger, config } = deps;
  const app = new Application<BotTurnState>({
    adapter,
    botAppId: config.bot.kind === "anonymous" ? undefined : config.bot.appId,
    // No storage: turn state lives for one turn (ADR 0010). Every durable fact has its own table, and persisting an
    // empty conversation and user state cost two Blob reads before every turn.
    turnStateFactory: () => new BotTurnState(),
    startTypingTimer: false,
    removeRecipientMention: true,
  });
  adapter.onTurnError = createTurnErrorHandler(logger);
  useCardActionLogger(app, logger);

  const helpCard = async (context: TurnContext, intro = ""): Promise<AdaptiveCardJson> => {
    const caller = context.activity.from?.aadObjectId;
    const { roles, unreadableBecause } = caller ? await rolesOrEndUser(deps, caller) : { roles: END_USER };
    const name = roles.isAdmin ? "help-admin" : roles.isAgent ? "help-agent" : "help-user";
    const notes = await helpNotesFor(app, context, logger);
    // Without the group permission nobody's role can be known: everyone still gets what everyone can do, told why.
    const rolesNote = unreadableBecause
      ? translate(localeOf(context), "common.helpRolesUnknown", { permission: unreadableBecause })
      : "";
    return renderCard(name, { intro: [intro, rolesNote, notes].filter(Boolean).join("\n\n") }, localeOf(context));
  };

  const welcomes = welcomeClaims(deps.storage.account.tableClient(WELCOMED_CONVERSATIONS_TABLE));
  const welcome = async (context: TurnContext): Promise<void> => {
    const conversationId = context.activity.conversation?.id;
    if (!conversationId || !(await welcomes.claim(conversationId))) return;
    const notes = await helpNotesFor(app, context, logger);
    await context.sendActivity(cardActivity(renderCard("welcome", { notes }, localeOf(context))));
  };

  app.conversationUpdate("membersAdded", async (context) => {
    const botId = context.activity.recipient?.id;
    if ((context.activity.membersAdded ?? []).some((member) => member.id === botId)) await welcome(context);
  });
  app.activity(ActivityTypes.InstallationUpdate, async (context) => {
    const action = String(context.activity.action ?? "");
    const conversationId = context.activity.conversation?.id;
    if (action.startsWith("add")) await welcome(context);
    if (action.startsWith("remove") && conversationId) await welcomes.release(conversationId);
  });

  onCommand(app, "help", async (context) => {
    await context.sendActivity(cardActivity(await helpCard(context)));
  });
  onCardAction(app, CardVerbs.helpShow, async (context) => helpCard(context));

  const stoppers: StopBackgroundWork[] = [];
  for (const register of capabilities) {
    const stop = register(app, deps);
    if (stop) stoppers.push(stop);
  }

  app.message(
    async (context) => context.activity.type === ActivityTypes.Message,
    async (context) => {
      await context.sendActivity(
        cardActivity(await helpCard(context, translate(localeOf(context), "common.helpUnknownText"))),
      );
    },
  );
  app.addRoute(
    async (context) => isCardActionInvoke(context),
    async (context) => {
      const verb = String(context.activity.value?.action?.verb ?? "");
      await answerWithCard(context, errorCardFor(context, new UnknownCardVerbError(verb), logger));
    },
    true,
  );

  return {
    app,
    adapter,
    stop() {
      for (const stop of stoppers.splice(0)) stop();
    },
    async handleTurn(context) {
      // FORCE_LOCALE (local demos): every card and message of this turn in that language, whatever the client sent.
      if (deps.config.forcedLocale) context.activity.locale = deps.config.forcedLocale;
      const scope = beginTurnScope(context, logger);
      scope.logger.debug({ event: "turn.started" }, "turn started");
      if (!isFromConfiguredTenant(context, deps)) {
        scope.logger.warn(
          { event: "turn.foreignTenant", tenant: tenantOf(context) },
          "activity from another tenant refused",
        );
        if (context.activity.type === ActivityTypes.Message || isCardActionInvoke(context)) {
          await answerWithText(context, translate(localeOf(context), "common.tenantRefused"));
        }
        return;
      }
      // Stored before the turn runs, and a failure fails the turn (the error card, within the invoke budget): storage
      // that cannot take this write cannot lease the tenant's shared Graph budget either, so a turn run on regardless
      // would wait on its first Graph call until storage came back, and Teams would get no answer at all.
      await captureConversationReference(context, deps);
      const person = context.activity.from?.aadObjectId ?? context.activity.from?.id;
      const limited = rateLimitedActionOf(context);
      if (person && limited) {
        const decision = rateLimiter.take(person, limited);
        if (!decision.allowed) {
          scope.logger.info(
            { event: "turn.rateLimited", action: limited, retryAfterSeconds: decision.retryAfterSeconds },
            "turn rate-limited",
          );
          await answerPleaseWait(context, limited, decision.retryAfterSeconds);
          return;
        }
      }
      await runWithGraphRequestContext({ person, priority: limited === "tapAction" ? "tap" : undefined }, () =>
        app.run(context),
      );
      turnScope(context, logger).logger.debug({ event: "turn.finished" }, "turn finished");
    },
  };
}

const END_USER = { isAgent: false, isAdmin: false };

/** The turns a person could repeat to crowd out others: re-checks (reports budget) and every TAP action. */
function rateLimitedActionOf(context: TurnContext): RateLimitedAction | undefined {
  if (isCardActionInvoke(context)) {
    const verb = String((context.activity.value as { action?: { verb?: unknown } } | undefined)?.action?.verb ?? "");
    if (verb === CardVerbs.triageRecheck) return "triageRecheck";
    if (verb.startsWith("tap.")) return "tapAction";
    return undefined;
  }
  if (context.activity.type !== ActivityTypes.Message || typeof context.activity.text !== "string") return undefined;
  const text = context.activity.text.replace(/<at>.*?<\/at>/gi, "").trim();
  return /^\/?tap(\s|$)/i.test(text) ? "tapAction" : undefined;
}

/**
 * "Please wait N s". A pressed button keeps its card (an Action.Execute answered with a message leaves the card as it
 * was, so nothing is lost); a typed command gets the card.
 */
async function answerPleaseWait(context: TurnContext, action: RateLimitedAction, seconds: number): Promise<void> {
  const locale = localeOf(context);
  const message = translate(locale, action === "tapAction" ? "common.pleaseWaitTap" : "common.pleaseWaitRecheck", {
    seconds,
  });
  if (isCardActionInvoke(context)) {
    await answerWithText(context, message);
    return;
  }
  await context.sendActivity(cardActivity(renderCard("please-wait", { message }, locale)));
}

/**
 * Someone the directory does not know (yet) still gets the end-user help rather than an error, and so does everyone
 * when the app may not read group memberships (403): help must keep working with a permission missing.
 */
async function rolesOrEndUser(
  deps: BotDependencies,
  caller: string,
): Promise<{ roles: typeof END_USER; unreadableBecause?: string }> {
  try {
    return { roles: await deps.roles.resolveCallerRoles(caller) };
  } catch (error) {
    if (error instanceof NotFoundError) return { roles: END_USER };
    if (error instanceof AccessDeniedError && error.status === 403) {
      deps.logger.warn({ event: "roles.unreadable", missingPermission: error.missingPermission }, "roles unreadable");
      return { roles: END_USER, unreadableBecause: error.missingPermission ?? "GroupMember.Read.All" };
    }
    throw error;
  }
}

function tenantOf(context: TurnContext): string | undefined {
  const activity = context.activity;
  return (
    activity.conversation?.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id
  );
}

/**
 * Only the configured tenant is served. Teams always names the tenant; a missing one is tolerated in anonymous local
 * mode only, where the client is a local tool (Agents Playground, tests).
 */
function isFromConfiguredTenant(context: TurnContext, deps: BotDependencies): boolean {
  const tenant = tenantOf(context);
  if (!tenant) return deps.config.bot.kind === "anonymous";
  return tenant.toLowerCase() === deps.config.tenantId.toLowerCase();
}

/** Personal-chat references are what proactive messages (approval requests, results) are sent through. */
async function captureConversationReference(context: TurnContext, deps: BotDependencies): Promise<void> {
  const activity = context.activity;
  const aadObjectId = activity.from?.aadObjectId;
  if (!aadObjectId || activity.conversation?.conversationType !== "personal" || !activity.serviceUrl) return;
  const reference = TurnContextClass.getConversationReference(activity) as StoredConversationReference;
  await deps.storage.conversationReferences.save(aadObjectId, { ...reference, activityId: undefined });
}
