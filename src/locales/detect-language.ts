import { readFileSync } from "node:fs";
import { foldText } from "../text/fold-text.js";
import { DEFAULT_LOCALE, LANGUAGE_FILE, localeFile, type SupportedLocale, supportedLocales } from "./translate.js";

/** src/locales/<locale>/language.json: what tells a message in that language from one in the default language. */
export interface LanguageFacts {
  /** The language's own name, e.g. "Čeština". */
  name: string;
  /** Letters only this language uses among the languages the bot speaks (e.g. ě, ř, ů). */
  letters?: string;
  /** Common words of a help request, folded (lower-case, no diacritics: people often type without them). */
  words?: string[];
}

const facts = new Map<SupportedLocale, LanguageFacts>();

export function languageFacts(locale: SupportedLocale): LanguageFacts {
  let found = facts.get(locale);
  if (!found) {
    found = JSON.parse(readFileSync(localeFile(locale, LANGUAGE_FILE), "utf8")) as LanguageFacts;
    facts.set(locale, found);
  }
  return found;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The language a person wrote in, when the text says so: a Czech message gets Czech replies even when the Teams client
 * reports `en-US`. A language's own letters decide first, then its common words; text with words but no sign of
 * another language is the default language. null when the text does not tell (then the client's locale decides).
 */
export function detectLanguage(text: string): SupportedLocale | null {
  const others = supportedLocales().filter((locale) => locale !== DEFAULT_LOCALE);
  for (const locale of others) {
    const letters = languageFacts(locale).letters ?? "";
    if (letters && [...text].some((character) => letters.includes(character))) return locale;
  }
  const folded = foldText(text);
  for (const locale of others) {
    const words = (languageFacts(locale).words ?? []).map((word) => escapeRegExp(foldText(word)));
    if (words.length > 0 && new RegExp(`\\b(${words.join("|")})\\b`).test(folded)) return locale;
  }
  return /[a-z]{3,}/i.test(text) ? DEFAULT_LOCALE : null;
}
