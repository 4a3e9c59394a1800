import type { Application } from "@microsoft/teams-ai";
import type { TurnContext } from "botbuilder";
import type { ZodType, ZodTypeDef } from "zod";
import type { BotTurnState } from "./bot-turn-state.js";
import { type CardVerb, CardVerbs } from "./card-verbs.js";
import type { Logger } from "./create-logger.js";
import { errorCardFor, MalformedCardDataError } from "./error-boundary.js";
import type { AdaptiveCardJson } from "./render-card.js";

/** An Action.Execute handler: returns the card that replaces the clicked one (or a short text answer). */
export type CardActionHandler<TData> = (
  context: TurnContext,
  state: BotTurnState,
  data: TData,
) => Promise<AdaptiveCardJson | string>;

export interface CardActionOptions<TData> {
  /** Validates `data` (card data merged with the card's inputs); a mismatch answers with a polite error card. */
  schema?: ZodType<TData, ZodTypeDef, unknown>;
}

const registeredVerbs = new WeakMap<object, Set<string>>();
const loggers = new WeakMap<object, Logger>();
const knownVerbs = new Set<string>(Object.values(CardVerbs));

/** Lets the error boundary inside card actions log through the bot's logger (set once by createBotApplication). */
export function useCardActionLogger(app: Application<BotTurnState>, logger: Logger): void {
  loggers.set(app, logger);
}

/**
 * Registers the handler for one card verb. Errors thrown by the handler, and data that is not an object or fails
 * `schema`, are answered with the error card (correlation id, logged); nothing is thrown at the person.
 */
export function onCardAction<TData = Record<string, unknown>>(
  app: Application<BotTurnState>,
  verb: CardVerb,
  handler: CardActionHandler<TData>,
  options: CardActionOptions<TData> = {},
): void {
  if (!knownVerbs.has(verb)) throw new Error(`A card verb must be declared in CardVerbs, got "${verb}"`);
  const verbs = registeredVerbs.get(app) ?? new Set<string>();
  if (verbs.has(verb)) throw new Error(`A card verb must have exactly one handler; "${verb}" is registered twice`);
  verbs.add(verb);
  registeredVerbs.set(app, verbs);

  app.adaptiveCards.actionExecute<unknown>(verb, async (context, state, raw) => {
    try {
      if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
        throw new MalformedCardDataError(verb, "data must be an object");
      }
      let data = raw as TData;
      if (options.schema) {
        const parsed = options.schema.safeParse(raw);
        if (!parsed.success) {
          throw new MalformedCardDataError(
            verb,
            parsed.error.issues.map((issue) => `${issue.path.join(".") || "data"}: ${issue.message}`).join("; "),
          );
        }
        data = parsed.data;
      }
      return await handler(context, state, data);
    } catch (error) {
      const logger = loggers.get(app);
      if (!logger) throw error;
      return errorCardFor(context, error, logger);
    }
  });
}

/** The verbs registered on this Application (the card contract test compares them with CardVerbs and the cards). */
export function registeredCardVerbs(app: Application<BotTurnState>): string[] {
  return [...(registeredVerbs.get(app) ?? [])].sort();
}
