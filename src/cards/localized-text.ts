/**
 * Text for a person, as a locale key (`<namespace>.<key>`, e.g. "tap.statusApprovedTitle") and its parameters. Card
 * data carries these values; they become words only when the card is rendered (src/bot/render-card.ts), in the
 * language of whoever receives it, so one card can go to people who speak different languages.
 */
export interface LocalizedText {
  key: string;
  params?: Record<string, string | number>;
}

/** `localizedText("tap.statusApprovedTitle")`. */
export function localizedText(key: string, params?: Record<string, string | number>): LocalizedText {
  return params ? { key, params } : { key };
}

const KEY = /^[a-z][A-Za-z0-9]*\.[A-Za-z0-9.]+$/;

/** A LocalizedText value in card data: an object holding only a full locale key and, optionally, its parameters. */
export function isLocalizedText(value: unknown): value is LocalizedText {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  if (typeof record.key !== "string" || !KEY.test(record.key)) return false;
  return Object.keys(record).every(
    (name) => name === "key" || (name === "params" && typeof record.params === "object"),
  );
}
