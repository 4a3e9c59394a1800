import { translate } from "../locales/translate.js";

/**
 * Replaces every localized-text value `{ $t, params }` in card data with its string for `locale`. Capabilities put
 * these values in card data; rendering is the only place they become words, so one card can go to people who speak
 * different languages.
 */
export function resolveCardText(value: unknown, locale: string): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveCardText(item, locale));
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (typeof record.$t === "string") {
      return translate(locale, record.$t, (record.params as Record<string, string | number> | undefined) ?? {});
    }
    return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, resolveCardText(inner, locale)]));
  }
  return value;
}
