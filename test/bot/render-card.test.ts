import { describe, expect, it } from "vitest";
import { renderCard, UnboundCardTemplateError } from "../../src/bot/render-card.js";
import type { CardName } from "../../src/cards/card-message.js";

describe("renderCard", () => {
  it("binds data and the caller's locale strings", () => {
    const card = renderCard("error", { message: "Zkuste to znovu.", correlationId: "c-1" }, "cs-CZ");
    const text = JSON.stringify(card);
    expect(text).toContain("Něco se pokazilo");
    expect(text).toContain("Zkuste to znovu.");
    expect(text).toContain("c-1");
  });

  it("throws a named error when a placeholder is left unbound", () => {
    // @ts-expect-error the data lacks correlationId on purpose: the compiler refuses it, and so does rendering
    expect(() => renderCard("error", { message: "no correlation id" }, "en")).toThrow(UnboundCardTemplateError);
  });

  it("refuses card names that could leave the cards folder", () => {
    expect(() => renderCard("../package" as CardName, {}, "en")).toThrow(/kebab-case/);
  });
});
