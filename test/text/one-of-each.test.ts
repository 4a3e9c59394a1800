import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { foldText } from "../../src/text/fold-text.js";
import { GUID_SOURCE, isGuid } from "../../src/text/is-guid.js";

const SRC = resolve(__dirname, "../../src");

function sources(): Array<{ path: string; text: string }> {
  return readdirSync(SRC, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => ({ path: relative(SRC, join(SRC, file)), text: readFileSync(join(SRC, file), "utf8") }));
}

describe("one text fold and one GUID check for the whole product", () => {
  it("only src/text/is-guid.ts spells out the shape of a GUID", () => {
    const found = sources()
      .filter(({ text }) => /\{8\}-\[0-9a-f/i.test(text) || /\[0-9a-f-\]\{36\}/i.test(text))
      .map(({ path }) => path);
    expect(found).toEqual(["text/is-guid.ts"]);
  });

  it("only src/text/fold-text.ts strips diacritics to compare what people type", () => {
    const found = sources()
      .filter(({ text }) => /normalize\("NFD"\)/.test(text))
      .map(({ path }) => path);
    expect(found).toEqual(["text/fold-text.ts"]);
  });

  it("folds Czech with or without diacritics, quotes and spacing to one form", () => {
    expect(foldText("  Nepodařilo se  PŘIDAT „klíč“ ")).toBe(foldText('nepodarilo se pridat "klic"'));
    expect(foldText("Can’t add")).toBe("can't add");
  });

  it("accepts a GUID in either case, in a pattern too, and nothing else", () => {
    expect(isGuid("fa2b99dc-9e39-4257-8f92-4a30d23c4118")).toBe(true);
    expect(isGuid("FA2B99DC-9E39-4257-8F92-4A30D23C4118")).toBe(true);
    expect(isGuid("{fa2b99dc-9e39-4257-8f92-4a30d23c4118}")).toBe(false);
    expect(isGuid("fa2b99dc-9e39-4257-8f92-4a30d23c411")).toBe(false);
    expect(isGuid("fa2b99dc-9e39-4257-8f92-4a30d23c4118 or 1 eq 1")).toBe(false);
    expect(new RegExp(`^${GUID_SOURCE}$`).test("00000000-0000-0000-0000-000000000000")).toBe(true);
  });
});
