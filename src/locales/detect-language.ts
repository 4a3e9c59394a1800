import type { SupportedLocale } from "./translate.js";

/** Letters only Czech uses among the languages the bot speaks. */
const CZECH_LETTERS = /[ěščřžůťďňĚŠČŘŽŮŤĎŇ]/;
/** Common Czech words of a help request, written without diacritics as people often type them. */
const CZECH_WORDS =
  /\b(nejde|nemuzu|nemohu|nefunguje|pridat|klic|klice|heslo|prihlasit|prihlaseni|ztratil[a]?|telefonem|muj|moje|prosim|dekuji|pomoc|co je|jak)\b/;

/**
 * The language a person wrote in, when the text says so: Czech replies to a Czech message even when the Teams client
 * reports `en-US`. null when the text does not tell (then the client's locale decides).
 */
export function detectLanguage(text: string): SupportedLocale | null {
  if (CZECH_LETTERS.test(text)) return "cs";
  const folded = text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  if (CZECH_WORDS.test(folded)) return "cs";
  return /[a-z]{3,}/i.test(text) ? "en" : null;
}
