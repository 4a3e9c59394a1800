import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { languageFacts } from "../../src/locales/detect-language.js";
import {
  DEFAULT_LOCALE,
  LANGUAGE_FILE,
  resolveLocale,
  supportedLocales,
  translate,
} from "../../src/locales/translate.js";

const root = resolve(__dirname, "../../src/locales");
const namespaces = readdirSync(join(root, DEFAULT_LOCALE)).filter(
  (name) => name.endsWith(".json") && name !== LANGUAGE_FILE,
);
/** Every language the bot speaks, compared with English: adding a language is adding a folder that passes these. */
const others = supportedLocales().filter((locale) => locale !== DEFAULT_LOCALE);

function table(locale: string, file: string): Record<string, string> {
  return JSON.parse(readFileSync(join(root, locale, file), "utf8")) as Record<string, string>;
}

describe("locale tables", () => {
  it("speak English and at least one other language, each a folder of src/locales with a language file", () => {
    expect(supportedLocales()[0]).toBe(DEFAULT_LOCALE);
    expect(supportedLocales()).toContain("cs");
    const folders = readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    expect(folders.map((entry) => entry.name).sort()).toEqual([...supportedLocales()].sort());
  });

  it.each(supportedLocales())("%s has a language file naming the language and how to recognise it", (locale) => {
    const facts = languageFacts(locale);
    expect(facts.name.trim()).not.toBe("");
    if (locale !== DEFAULT_LOCALE) {
      expect((facts.letters ?? "").length + (facts.words ?? []).length, locale).toBeGreaterThan(0);
    }
  });

  it.each(others.flatMap((locale) => namespaces.map((file) => [locale, file] as const)))(
    "%s/%s has the same keys as English",
    (locale, file) => {
      expect(Object.keys(table(locale, file)).sort()).toEqual(Object.keys(table(DEFAULT_LOCALE, file)).sort());
    },
  );

  it.each(others.flatMap((locale) => namespaces.map((file) => [locale, file] as const)))(
    "%s/%s has no empty string and the same {placeholders} as English",
    (locale, file) => {
      const [en, other] = [table(DEFAULT_LOCALE, file), table(locale, file)];
      const placeholders = (text: string | undefined) => [...new Set(text?.match(/\{\w+\}/g) ?? [])].sort();
      for (const key of Object.keys(en)) {
        expect(en[key]?.trim(), `en ${key}`).not.toBe("");
        expect(other[key]?.trim(), `${locale} ${key}`).not.toBe("");
        expect(placeholders(other[key]), `placeholders of ${key}`).toEqual(placeholders(en[key]));
      }
    },
  );

  it.each(others)("%s has no namespace without its English twin", (locale) => {
    expect(
      readdirSync(join(root, locale))
        .filter((name) => name.endsWith(".json") && name !== LANGUAGE_FILE)
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
