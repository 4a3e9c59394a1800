import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as AC from "adaptivecards";
import { afterAll, describe, expect, it } from "vitest";
import { registeredCardVerbs } from "../../src/bot/card-actions.js";
import { CardVerbs } from "../../src/bot/card-verbs.js";
import { renderCard } from "../../src/bot/render-card.js";
import type { CardName } from "../../src/cards/card-message.js";
import { buildRegisteredBot } from "../support/bot-application.js";

const cardsDir = resolve(__dirname, "../../cards");
const fixturesDir = resolve(__dirname, "fixtures");
const cardNames = readdirSync(cardsDir)
  .filter((file) => file.endsWith(".card.json"))
  .map((file) => file.slice(0, -".card.json".length))
  .sort();

/** Every Action.Execute verb anywhere in a card (body, ActionSets, inline actions, fallbacks). */
function executeVerbs(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const child of node) executeVerbs(child, found);
  else if (node && typeof node === "object") {
    const record = node as Record<string, unknown>;
    if (record.type === "Action.Execute" && typeof record.verb === "string") found.add(record.verb);
    for (const value of Object.values(record)) executeVerbs(value, found);
  }
  return found;
}

/**
 * Text that Adaptive Cards requires to be a string but that templating turned into a number or boolean (a value that
 * is one whole `${expression}` keeps the data's type): hosts render such a fact or text block blank.
 */
function nonStringTexts(node: unknown, path = "$", found: string[] = []): string[] {
  if (Array.isArray(node)) {
    node.forEach((child, i) => {
      nonStringTexts(child, `${path}[${i}]`, found);
    });
  } else if (node && typeof node === "object") {
    const record = node as Record<string, unknown>;
    const textKeys =
      record.type === "TextBlock" || record.type === "TextRun"
        ? ["text"]
        : "title" in record && "value" in record && !("type" in record)
          ? ["title", "value"]
          : [];
    for (const key of textKeys) if (typeof record[key] !== "string") found.push(`${path}.${key}`);
    for (const [key, value] of Object.entries(record)) nonStringTexts(value, `${path}.${key}`, found);
  }
  return found;
}

function parseEvents(card: object): string[] {
  const adaptiveCard = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  adaptiveCard.parse(card, context);
  const events = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
  // Teams' chart elements (Chart.Donut, Chart.VerticalBar…) are not in the SDK's registry: it renders their fallback,
  // which is exactly what Teams on iOS shows. An unknown element is an error only when it has no fallback.
  const chartWithFallback = /^Unknown element type "Chart\.[A-Za-z]+"\. Fallback will be used if present\.$/;
  return [...events, ...adaptiveCard.validateProperties().validationEvents.map((event) => event.message)].filter(
    (message) => !(chartWithFallback.test(message) && JSON.stringify(card).includes('"fallback"')),
  );
}

describe.each(cardNames)("card %s", (name) => {
  it("has a fixture to render it with", () => {
    expect(existsSync(join(fixturesDir, `${name}.json`))).toBe(true);
  });

  it.each(["en", "cs"])("renders in %s with every placeholder bound and parses as an Adaptive Card 1.5", (locale) => {
    const fixture = JSON.parse(readFileSync(join(fixturesDir, `${name}.json`), "utf8")) as object;
    const card = renderCard(name as CardName, fixture, locale);
    expect(JSON.stringify(card)).not.toContain("${");
    expect(card.type).toBe("AdaptiveCard");
    expect(card.version).toBe("1.5");
    expect(parseEvents(card)).toEqual([]);
    expect(nonStringTexts(card)).toEqual([]);
  });

  it("uses only declared card verbs", () => {
    const template = JSON.parse(readFileSync(join(cardsDir, `${name}.card.json`), "utf8")) as unknown;
    const declared = new Set<string>(Object.values(CardVerbs));
    expect([...executeVerbs(template)].filter((verb) => !declared.has(verb))).toEqual([]);
  });
});

describe("card verbs", () => {
  const usedInCards = new Set<string>();
  for (const name of cardNames) {
    executeVerbs(JSON.parse(readFileSync(join(cardsDir, `${name}.card.json`), "utf8")), usedInCards);
  }
  const bot = buildRegisteredBot();
  const registered = new Set(registeredCardVerbs(bot.app));
  // Its background timers (sweeps, the inventory's queue check) would otherwise tick on in this worker process.
  afterAll(() => bot.stop());

  it.each(Object.values(CardVerbs))("%s appears in a card and has a registered handler", (verb) => {
    expect({ verb, inCard: usedInCards.has(verb), hasHandler: registered.has(verb) }).toEqual({
      verb,
      inCard: true,
      hasHandler: true,
    });
  });
});
