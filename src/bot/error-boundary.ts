import { INVOKE_RESPONSE_KEY, type TurnContext } from "botbuilder";
import { ThrottledError } from "../graph/graph-errors.js";
import { problemOf } from "../graph/problem-of.js";
import { translate } from "../locales/translate.js";
import type { RefusalError } from "../refusal/refusal-error.js";
import { isRefusal } from "../refusal/refusal-error.js";
import { answerWithCard, localeOf } from "./card-replies.js";
import type { Logger } from "./create-logger.js";
import { refusalTextOf } from "./refusal-text.js";
import { type AdaptiveCardJson, renderCard } from "./render-card.js";
import { turnScope } from "./turn-scope.js";

/** Card data failed validation: a stale card, or a payload someone edited by hand. */
export class MalformedCardDataError extends Error {
  constructor(
    readonly verb: string,
    detail: string,
  ) {
    super(`Card data for "${verb}" must match what the bot sent: ${detail}`);
    this.name = "MalformedCardDataError";
  }
}

/** An Action.Execute verb no handler knows: a card from an older version, or a forged one. */
export class UnknownCardVerbError extends Error {
  constructor(readonly verb: string) {
    super(`A card action must use a registered verb, got "${verb}"`);
    this.name = "UnknownCardVerbError";
  }
}

/** The sentence the person sees for an error: never a stack, never Graph's raw message. */
export function describeError(error: unknown, locale: string): string {
  const refusal = refusalTextOf(error, locale);
  if (refusal !== null) return refusal;
  if (error instanceof MalformedCardDataError) return translate(locale, "common.errorMalformedCard");
  if (error instanceof UnknownCardVerbError) return translate(locale, "common.errorUnknownAction");
  if (error instanceof ThrottledError)
    return translate(locale, "common.errorThrottled", { seconds: Math.max(1, Math.ceil(error.retryAfterSeconds)) });
  // problemOf is the one reading: a 401 (rejected credentials) is Graph unusable, not a permission to grant.
  const problem = problemOf(error);
  if (problem?.kind === "unavailable") return translate(locale, "common.errorGraphUnavailable");
  if (problem?.kind === "accessDenied")
    return translate(locale, "common.errorAccessDenied", { permission: problem.missingPermission ?? "?" });
  return translate(locale, "common.errorBody");
}

/** One log line per person and rule per minute: a flood of refusals must not flood the log (the ledger has each). */
const REFUSAL_LOG_WINDOW_MS = 60_000;
const refusalBursts = new Map<string, { since: number; suppressed: number }>();

function logRefusal(context: TurnContext, error: RefusalError, logger: Logger): void {
  const who = context.activity.from?.aadObjectId ?? context.activity.from?.id ?? "unknown";
  const key = `${who}:${error.rule}`;
  const now = Date.now();
  const burst = refusalBursts.get(key);
  if (burst && now - burst.since < REFUSAL_LOG_WINDOW_MS) {
    burst.suppressed += 1;
    return;
  }
  if (refusalBursts.size > 10_000) refusalBursts.clear();
  refusalBursts.set(key, { since: now, suppressed: 0 });
  turnScope(context, logger).logger.info(
    {
      event: "turn.refused",
      rule: error.rule,
      verb: context.activity.value?.action?.verb,
      suppressedSinceLast: burst?.suppressed ?? 0,
    },
    "refused by a business rule",
  );
}

/**
 * Logs the error once, with the turn's correlation id, and returns the friendly error card for it. A business refusal
 * gets a polite card that states the rule (no reference id: nothing broke) and is logged once per burst.
 */
export function errorCardFor(context: TurnContext, error: unknown, logger: Logger): AdaptiveCardJson {
  if (isRefusal(error)) {
    logRefusal(context, error, logger);
    return renderCard("refusal", { message: describeError(error, localeOf(context)) }, localeOf(context));
  }
  const scope = turnScope(context, logger);
  const isExpected = error instanceof MalformedCardDataError || error instanceof UnknownCardVerbError;
  scope.logger[isExpected ? "warn" : "error"](
    { err: error, event: "turn.failed", verb: context.activity.value?.action?.verb },
    error instanceof Error ? error.message : "non-Error thrown",
  );
  return renderCard(
    "error",
    { message: describeError(error, localeOf(context)), correlationId: scope.correlationId },
    localeOf(context),
  );
}

/** The adapter's onTurnError: whatever failed, the person gets an error card, and nothing escapes the turn. */
export function createTurnErrorHandler(logger: Logger): (context: TurnContext, error: Error) => Promise<void> {
  return async (context, error) => {
    try {
      const card = errorCardFor(context, error, logger);
      if (context.turnState.get(INVOKE_RESPONSE_KEY)) return;
      await answerWithCard(context, card);
    } catch (secondary) {
      turnScope(context, logger).logger.error(
        { err: secondary, event: "turn.errorCardFailed" },
        "could not send the error card",
      );
    }
  };
}
