import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";

/** A language the bot speaks: the name of a folder src/locales/<locale>/ (adding a language is adding that folder). */
export type SupportedLocale = string;
/** The language every other one is compared with and falls back to. */
export const DEFAULT_LOCALE: SupportedLocale = "en";
/** Not a table of strings: the facts detectLanguage reads about each language (src/locales/<locale>/language.json). */
export const LANGUAGE_FILE = "language.json";

/** Namespace → key → string, for one locale. */
export type LocaleTables = Record<string, Record<string, string>>;

let discovered: readonly SupportedLocale[] | null = null;

/** Every locale folder with a language file, the default first. */
export function supportedLocales(): readonly SupportedLocale[] {
  discovered ??= readdirSync(localesDirectory(), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(localesDirectory(), entry.name, LANGUAGE_FILE)))
    .map((entry) => entry.name)
    .sort((a, b) => (a === DEFAULT_LOCALE ? -1 : b === DEFAULT_LOCALE ? 1 : a.localeCompare(b)));
  return discovered;
}

export function isSupportedLocale(value: string | null | undefined): value is SupportedLocale {
  return !!value && supportedLocales().includes(value);
}

/** "en or cs": the languages the bot speaks, for error messages. */
export function describeSupportedLocales(): string {
  const all = supportedLocales();
  return all.length > 1 ? `${all.slice(0, -1).join(", ")} or ${all.at(-1)}` : (all[0] ?? DEFAULT_LOCALE);
}

/** Teams sends BCP 47 tags ("cs-CZ", "en-US"): the language subtag when the bot speaks it, else the default. */
export function resolveLocale(tag: string | null | undefined): SupportedLocale {
  const language = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return isSupportedLocale(language) ? language : DEFAULT_LOCALE;
}

const cache = new Map<SupportedLocale, LocaleTables>();

/** Every namespace file of a locale (src/locales/<locale>/*.json), read once. */
export function localeTables(locale: string): LocaleTables {
  const resolved = resolveLocale(locale);
  const cached = cache.get(resolved);
  if (cached) return cached;
  const dir = join(localesDirectory(), resolved);
  const tables: LocaleTables = {};
  for (const file of readdirSync(dir).filter((name) => name.endsWith(".json") && name !== LANGUAGE_FILE)) {
    tables[file.slice(0, -".json".length)] = JSON.parse(readFileSync(join(dir, file), "utf8")) as Record<
      string,
      string
    >;
  }
  cache.set(resolved, tables);
  return tables;
}

/**
 * `translate("cs", "common.welcome.title", { name })` — the locale's string with `{placeholders}` filled; falls back to
 * English, then to the key itself so a missing string is visible rather than silent.
 */
export function translate(locale: string, key: string, params: Record<string, string | number> = {}): string {
  const dot = key.indexOf(".");
  const namespace = key.slice(0, dot);
  const name = key.slice(dot + 1);
  const template = localeTables(locale)[namespace]?.[name] ?? localeTables(DEFAULT_LOCALE)[namespace]?.[name] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, param: string) =>
    params[param] === undefined ? whole : String(params[param]),
  );
}

/** The path of one file of a locale (src/locales/<locale>/<file>). */
export function localeFile(locale: SupportedLocale, file: string): string {
  return join(localesDirectory(), locale, file);
}

/**
 * Works from sources (tsx, vitest) and from a `dist/` build. tsc copies into dist/ only the JSON files some module
 * imports (a few namespaces of `en`, no `cs` at all), so a build must read the sources' folder, which the deployment
 * ships beside it: trusting dist/src/locales because `en` exists there made every card of a compiled instance fail.
 */
export function localesDirectory(moduleDirectory = __dirname): string {
  const sources = resolve(moduleDirectory, "../../../src/locales");
  const isBuild = basename(resolve(moduleDirectory, "../..")) === "dist";
  const candidates = isBuild ? [sources] : [moduleDirectory];
  const found = candidates.find((dir) => existsSync(join(dir, "en")));
  if (!found) throw new Error(`Locale tables must exist in one of: ${candidates.join(", ")}`);
  return found;
}
