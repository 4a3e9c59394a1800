import { resolveCardText } from "../../src/bot/resolve-card-text.js";

/**
 * A card's data as the reader sees it: every LocalizedText resolved in `locale`, as src/bot does when it renders the
 * card. Tests read words from it without rendering the whole template.
 */
export function cardWords(card: { data: object }, locale = "en"): Record<string, unknown> {
  return resolveCardText(card.data, locale) as Record<string, unknown>;
}
