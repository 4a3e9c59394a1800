import { isJoinedText, isLocalizedText } from "../cards/localized-text.js";
import { resolveText } from "../cards/resolve-text.js";

/**
 * Replaces every LocalizedText value `{ key, params }` (and every JoinedText of them) in card data with its string for
 * `locale`: rendering is the only place card text becomes words.
 */
export function resolveCardText(value: unknown, locale: string): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveCardText(item, locale));
  if (isLocalizedText(value) || isJoinedText(value)) return resolveText(value, locale);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, resolveCardText(inner, locale)]));
  }
  return value;
}
