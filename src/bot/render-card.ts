import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Template } from "adaptivecards-templating";
import { localeTables } from "../locales/translate.js";

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

const templates = new Map<string, unknown>();

/**
 * Renders `cards/<name>.card.json` with `data` plus `t` = every locale namespace for `locale`, so templates write
 * `${t.<namespace>.<key>}` (inside a `$data` scope: `${$root.t.<namespace>.<key>}`).
 */
export function renderCard(name: string, data: object, locale: string): AdaptiveCardJson {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`A card name must be kebab-case, got "${name}"`);
  let payload = templates.get(name);
  if (payload === undefined) {
    payload = JSON.parse(readFileSync(join(cardsDirectory(), `${name}.card.json`), "utf8")) as unknown;
    templates.set(name, payload);
  }
  const card = new Template(payload).expand({ $root: { ...data, t: localeTables(locale) } }) as AdaptiveCardJson;
  const unbound = [...JSON.stringify(card).matchAll(/\$\{[^}]*\}/g)].map((match) => match[0]);
  if (unbound.length > 0) throw new UnboundCardTemplateError(name, [...new Set(unbound)]);
  return card;
}

/** The top-level cards/ folder, found from sources and from a dist/ build alike. */
export function cardsDirectory(): string {
  const candidates = [resolve(__dirname, "../../cards"), resolve(__dirname, "../../../cards")];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`The cards folder must exist in one of: ${candidates.join(", ")}`);
  return found;
}
