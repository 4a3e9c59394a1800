import { isLocalizedText } from "../cards/localized-text.js";
import { translate } from "../locales/translate.js";

/**
 * Replaces every LocalizedText value `{ key, params }` in card data with its string for `locale`: rendering is the
 * only place card text becomes words.
 */
export function resolveCardText(value: unknown, locale: string): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveCardText(item, locale));
  if (isLocalizedText(value)) return translate(locale, value.key, value.params ?? {});
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, resolveCardText(inner, locale)]));
  }
  return value;
}
