import { randomUUID } from "node:crypto";
import type { TurnContext } from "botbuilder";
import { resolveLocale, type SupportedLocale } from "../locales/translate.js";
import type { Logger } from "./create-logger.js";

const SCOPE_KEY = Symbol("passkeyHelpdesk.turnScope");

/** What every part of a turn needs to know about it: its correlation id and logger, the caller's locale. */
export interface TurnScope {
  correlationId: string;
  logger: Logger;
  locale: SupportedLocale;
}

/** Starts a turn's scope (called first thing for every incoming activity). */
export function beginTurnScope(context: TurnContext, baseLogger: Logger): TurnScope {
  const correlationId = randomUUID();
  const scope: TurnScope = {
    correlationId,
    locale: resolveLocale(context.activity.locale),
    logger: baseLogger.child({
      correlationId,
      activityType: context.activity.type,
      activityName: context.activity.name,
      conversationType: context.activity.conversation?.conversationType,
      caller: context.activity.from?.aadObjectId,
    }),
  };
  context.turnState.set(SCOPE_KEY, scope);
  return scope;
}

/** The turn's scope; a fresh one (with the fallback logger) if the turn somehow started without one. */
export function turnScope(context: TurnContext, fallbackLogger: Logger): TurnScope {
  return (context.turnState.get(SCOPE_KEY) as TurnScope | undefined) ?? beginTurnScope(context, fallbackLogger);
}
