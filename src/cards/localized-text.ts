/**
 * Text for a person, as a locale key (`<namespace>.<key>`, e.g. "tap.statusApprovedTitle") and its parameters. Card
 * data carries these values; they become words only when the card is rendered (src/bot/render-card.ts), in the
 * language of whoever receives it, so one card can go to people who speak different languages. A parameter may itself
 * be a LocalizedText ("Could not check {question}": the question's title is text too), resolved in the same language.
 */
export interface LocalizedText {
  key: string;
  params?: Record<string, TextParam>;
}

/** A parameter of a LocalizedText: a value as read (a name, a count) or text resolved in the reader's language. */
export type TextParam = string | number | LocalizedText | JoinedText;

/**
 * Several texts shown as one line or list ("Windows · checked 10:58", "- fix one\n- fix two"): the parts are resolved
 * like any LocalizedText and joined with `separator` at render time. It is how card builders compose text without
 * resolving it themselves.
 */
export interface JoinedText {
  join: Array<string | LocalizedText | JoinedText>;
  separator: string;
}

/** What a card field holding text may carry: a plain string (typed by a person, read from Graph) or text to resolve. */
export type CardText = string | LocalizedText | JoinedText;

/** `localizedText("tap.statusApprovedTitle")`. */
export function localizedText(key: string, params?: Record<string, TextParam>): LocalizedText {
  return params ? { key, params } : { key };
}

/** `joinedText([platform, checkedAt], " · ")`. */
export function joinedText(parts: Array<string | LocalizedText | JoinedText>, separator: string): JoinedText {
  return { join: parts, separator };
}

const KEY = /^[a-z][A-Za-z0-9]*\.[A-Za-z0-9._]+$/;

/** A LocalizedText value in card data: an object holding only a full locale key and, optionally, its parameters. */
export function isLocalizedText(value: unknown): value is LocalizedText {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  if (typeof record.key !== "string" || !KEY.test(record.key)) return false;
  return Object.keys(record).every(
    (name) => name === "key" || (name === "params" && typeof record.params === "object"),
  );
}

/** A JoinedText value in card data: an object holding only its parts and their separator. */
export function isJoinedText(value: unknown): value is JoinedText {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return (
    Array.isArray(record.join) &&
    typeof record.separator === "string" &&
    Object.keys(record).every((name) => name === "join" || name === "separator")
  );
}
