import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { renderCard } from "../../src/bot/render-card.js";
import type { TriageResultData } from "../../src/capabilities/triage/build-result-card.js";
import { CARD_NAMES, type CardMessage, type UndeclaredCardName } from "../../src/cards/card-message.js";
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

  it("types each declared card's data by its name, so a builder cannot bind the wrong shape", () => {
    const data = { headlineColor: "Default" } as TriageResultData;
    const result: CardMessage<"triage-result"> = { name: "triage-result", data };
    // @ts-expect-error the evidence card's data is not the result card's
    const wrong: CardMessage<"triage-evidence"> = { name: "triage-evidence", data };
    // @ts-expect-error a card name outside cards/ does not compile
    const unknown: CardMessage = { name: "no-such-card", data: {} };
    const anyCard: CardMessage = result;
    expect([wrong.name, unknown.name, anyCard.name]).toEqual(["triage-evidence", "no-such-card", "triage-result"]);
  });

  it("declares the data of every card, so a card added to cards/ without a data type fails to compile", () => {
    // Compile-time: with a card left undeclared, the expected type below becomes its name and `true` no longer fits.
    const everyCardDeclared: [UndeclaredCardName] extends [never] ? true : UndeclaredCardName = true;
    // @ts-expect-error rendering a named card checks its data: the error card needs its correlation id
    const missingField = () => renderCard("error", { message: "m" }, "en");
    // @ts-expect-error a field of the wrong type does not compile either (the pass's lifetime is a number)
    const wrongType: CardMessage<"tap-revealed">["data"]["lifetimeInMinutes"] = "60";
    expect([everyCardDeclared, typeof missingField, wrongType]).toEqual([true, "function", "60"]);
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
