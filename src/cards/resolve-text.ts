import { translate } from "../locales/translate.js";
import { isJoinedText, type TextParam } from "./localized-text.js";

/**
 * One text in `locale`: a parameter that is text itself is resolved in the same language first. Card text goes through
 * it only when src/bot renders the card; text kept as words (a TAP request's reason) goes through it once, when stored.
 */
export function resolveText(text: TextParam, locale: string): string {
  if (typeof text === "string") return text;
  if (typeof text === "number") return String(text);
  if (isJoinedText(text)) return text.join.map((part) => resolveText(part, locale)).join(text.separator);
  const params = Object.fromEntries(
    Object.entries(text.params ?? {}).map(([name, param]) => [
      name,
      typeof param === "object" ? resolveText(param, locale) : param,
    ]),
  );
  return translate(locale, text.key, params);
}
