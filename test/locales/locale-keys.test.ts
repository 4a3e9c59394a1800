import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveLocale, translate } from "../../src/locales/translate.js";

const root = resolve(__dirname, "../../src/locales");
const namespaces = readdirSync(join(root, "en")).filter((name) => name.endsWith(".json"));

function keys(locale: string, file: string): string[] {
  return Object.keys(JSON.parse(readFileSync(join(root, locale, file), "utf8"))).sort();
}

describe("locale tables", () => {
  it.each(namespaces)("%s has the same keys in English and Czech", (file) => {
    expect(keys("cs", file)).toEqual(keys("en", file));
  });

  it.each(namespaces)("%s has no empty string and the same {placeholders} in both languages", (file) => {
    const read = (locale: string) =>
      JSON.parse(readFileSync(join(root, locale, file), "utf8")) as Record<string, string>;
    const [en, cs] = [read("en"), read("cs")];
    const placeholders = (text: string | undefined) => [...new Set(text?.match(/\{\w+\}/g) ?? [])].sort();
    for (const key of Object.keys(en)) {
      expect(en[key]?.trim(), `en ${key}`).not.toBe("");
      expect(cs[key]?.trim(), `cs ${key}`).not.toBe("");
      expect(placeholders(cs[key]), `placeholders of ${key}`).toEqual(placeholders(en[key]));
    }
  });

  it("has no Czech namespace without its English twin", () => {
    expect(
      readdirSync(join(root, "cs"))
        .filter((name) => name.endsWith(".json"))
        .sort(),
    ).toEqual([...namespaces].sort());
  });
});

describe("translate", () => {
  it("picks Czech for any cs tag and English for everything else", () => {
    expect(resolveLocale("cs-CZ")).toBe("cs");
    expect(resolveLocale("CS")).toBe("cs");
    expect(resolveLocale("de-DE")).toBe("en");
    expect(resolveLocale(undefined)).toBe("en");
    expect(translate("cs-CZ", "common.errorTitle")).toBe("Něco se pokazilo");
    expect(translate("fr-FR", "common.errorTitle")).toBe("Something went wrong");
  });

  it("fills placeholders and leaves unknown keys visible", () => {
    expect(translate("en", "common.errorThrottled", { seconds: 7 })).toContain("7 seconds");
    expect(translate("en", "common.noSuchKey")).toBe("common.noSuchKey");
  });
});
