import { describe, expect, it } from "vitest";
import { renderCard } from "../../../src/bot/render-card.js";
import { revealedCard } from "../../../src/capabilities/tap/tap-card-data.js";
import { aTapRequest } from "./tap-request-fixture.js";

/** Every node of a card with its type, for finding where a text ends up. */
function nodes(card: unknown): Array<Record<string, unknown>> {
  const found: Array<Record<string, unknown>> = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      found.push(node as Record<string, unknown>);
      Object.values(node).forEach(walk);
    }
  };
  walk(card);
  return found;
}

describe("the revealed TAP card", () => {
  it.each(["a**b**_c_", "x_y_z*1*[k](u)#`~"])(
    "shows %s character for character in a TextRun (no markdown processing), never in a markdown TextBlock",
    (value) => {
      const card = revealedCard(aTapRequest({ status: "issued" }), value);
      const rendered = renderCard(card.name, card.data, "en");
      const holding = nodes(rendered).filter((node) => typeof node.text === "string" && node.text.includes(value));
      expect(holding).toEqual([
        expect.objectContaining({ type: "TextRun", text: value, fontType: "Monospace", size: "ExtraLarge" }),
      ]);
      const richText = nodes(rendered).find(
        (node) => node.type === "RichTextBlock" && JSON.stringify(node.inlines).includes(JSON.stringify(value)),
      );
      expect(richText).toBeDefined();
    },
  );
});
