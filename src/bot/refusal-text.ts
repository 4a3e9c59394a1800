import type { TurnContext } from "botbuilder";
import { translate } from "../locales/translate.js";
import { isRefusal } from "../refusal/refusal-error.js";
import { localeOf } from "./card-replies.js";

/**
 * The polite sentence for a refused request in `locale`, or null for anything that is a real failure. The one place a
 * refusal becomes words: the error boundary puts them on the refusal card, text answers send them as they are.
 */
export function refusalTextOf(error: unknown, locale: string): string | null {
  return isRefusal(error) ? translate(locale, error.messageKey, error.messageParams) : null;
}

/**
 * Runs a turn's work; a refusal it throws becomes the polite sentence in the caller's language (a text answer, as the
 * triage and ticket routes give), anything else goes on to the error boundary.
 */
export async function orRefusalText<T>(context: TurnContext, work: () => Promise<T>): Promise<T | string> {
  try {
    return await work();
  } catch (error) {
    const text = refusalTextOf(error, localeOf(context));
    if (text === null) throw error;
    return text;
  }
}
