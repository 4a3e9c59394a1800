import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Template } from "adaptivecards-templating";
import type { CardDataOf, CardName } from "../cards/card-message.js";
import { localeTables } from "../locales/translate.js";
import { resolveCardText } from "./resolve-card-text.js";

/** An Adaptive Card as JSON (what Teams receives in an attachment or an Action.Execute response). */
export interface AdaptiveCardJson {
  type: "AdaptiveCard";
  version: string;
  [property: string]: unknown;
}

/** A template placeholder survived rendering: the data lacked a field or the locale a key. */
export class UnboundCardTemplateError extends Error {
  constructor(
    readonly cardName: string,
    readonly unbound: string[],
  ) {
    super(`Card "${cardName}" must bind every placeholder; unbound: ${unbound.join(", ")}`);
    this.name = "UnboundCardTemplateError";
  }
}

/**
 * One parsed Template per card: constructing a Template parses every `${…}` of the card (ANTLR), which was the largest
 * single cost of a bot turn in the load profile (docs/RELIABILITY.md). A Template is reusable and `expand` is
 * synchronous, so sharing one per card is safe.
 */
const templates = new Map<CardName, Template>();

/** True for a union of several names ("some card"), false for one name. */
type IsUnion<T, All = T> = T extends unknown ? ([All] extends [T] ? false : true) : never;

/**
 * What renderCard accepts as card `Name`'s data: the declared type when one card is named at compile time; any object
 * when only "one of several cards" is known (a CardMessage passed on, already typed where it was built).
 */
export type RenderableData<Name extends CardName> = true extends IsUnion<Name> ? object : CardDataOf<Name>;

/**
 * Renders `cards/<name>.card.json` with `data` (its localized-text values resolved in `locale`) plus `t` = every
 * locale namespace for `locale`, so templates write `${t.<namespace>.<key>}` (inside a `$data` scope:
 * `${$root.t.<namespace>.<key>}`).
 */
export function renderCard<Name extends CardName>(
  name: Name,
  data: RenderableData<Name>,
  locale: string,
): AdaptiveCardJson {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`A card name must be kebab-case, got "${name}"`);
  let template = templates.get(name);
  if (template === undefined) {
    template = new Template(JSON.parse(readFileSync(join(cardsDirectory(), `${name}.card.json`), "utf8")));
    templates.set(name, template);
  }
  // Text people typed (a reason, a note, a name) may contain "${…}": it is data, shown as typed. It is masked while
  // the template is expanded and checked, so only the template's own placeholders can count as unbound.
  const masked = maskPlaceholders(resolveCardText(data, locale)) as object;
  const card = template.expand({ $root: { ...masked, t: localeTables(locale) } }) as AdaptiveCardJson;
  const unbound = [...JSON.stringify(card).matchAll(/\$\{[^}]*\}/g)].map((match) => match[0]);
  if (unbound.length > 0) throw new UnboundCardTemplateError(name, [...new Set(unbound)]);
  return unmaskPlaceholders(card) as AdaptiveCardJson;
}

/** A private-use character no one types: stands in for the "$" of a "${" found in data while a card is rendered. */
const MASKED_DOLLAR = "\uE000";

function maskPlaceholders(value: unknown): unknown {
  if (typeof value === "string") return value.replaceAll("${", `${MASKED_DOLLAR}{`);
  if (Array.isArray(value)) return value.map(maskPlaceholders);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, maskPlaceholders(inner)]));
  }
  return value;
}

function unmaskPlaceholders(value: unknown): unknown {
  if (typeof value === "string") return value.replaceAll(MASKED_DOLLAR, "$");
  if (Array.isArray(value)) return value.map(unmaskPlaceholders);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, unmaskPlaceholders(inner)]));
  }
  return value;
}

/** The top-level cards/ folder, found from sources and from a dist/ build alike. */
export function cardsDirectory(): string {
  const candidates = [resolve(__dirname, "../../cards"), resolve(__dirname, "../../../cards")];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`The cards folder must exist in one of: ${candidates.join(", ")}`);
  return found;
}
