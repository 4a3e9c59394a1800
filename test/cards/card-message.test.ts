import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { renderCard } from "../../src/bot/render-card.js";
import { CARD_NAMES } from "../../src/cards/card-message.js";
import { isLocalizedText, localizedText } from "../../src/cards/localized-text.js";
import { translate } from "../../src/locales/translate.js";

const cardsDir = resolve(__dirname, "../../cards");

describe("the one card model", () => {
  it("names exactly the templates in cards/, so a card name is a typed key of that set", () => {
    const files = readdirSync(cardsDir)
      .filter((file) => file.endsWith(".card.json"))
      .map((file) => file.slice(0, -".card.json".length))
      .sort();
    expect([...CARD_NAMES].sort()).toEqual(files);
  });

  it("resolves localized text only when the card is rendered, in the receiver's language", () => {
    const data = { message: localizedText("tap.failureTargetGone"), correlationId: "c-1" };
    for (const locale of ["en", "cs"]) {
      const json = JSON.stringify(renderCard("error", data, locale));
      expect(json).toContain(JSON.stringify(translate(locale, "tap.failureTargetGone")).slice(1, -1));
    }
    expect(data.message).toEqual({ key: "tap.failureTargetGone" });
  });

  it("fills a localized text's parameters, and leaves look-alike data alone", () => {
    const text = localizedText("tap.statusNone", { upn: "a@b.c" });
    expect(isLocalizedText(text)).toBe(true);
    expect(isLocalizedText({ key: "not a key" })).toBe(false);
    expect(isLocalizedText({ key: "tap.statusNone", other: 1 })).toBe(false);
    expect(isLocalizedText("tap.statusNone")).toBe(false);
  });
});
