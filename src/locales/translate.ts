import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";

export const SupportedLocales = ["en", "cs"] as const;
export type SupportedLocale = (typeof SupportedLocales)[number];

/** Namespace → key → string, for one locale. */
export type LocaleTables = Record<string, Record<string, string>>;

/** Teams sends BCP 47 tags ("cs-CZ", "en-US"); Czech for any cs*, English for everything else. */
export function resolveLocale(tag: string | null | undefined): SupportedLocale {
  return tag?.trim().toLowerCase().startsWith("cs") ? "cs" : "en";
}

const cache = new Map<SupportedLocale, LocaleTables>();

/** Every namespace file of a locale (src/locales/<locale>/*.json), read once. */
export function localeTables(locale: string): LocaleTables {
  const resolved = resolveLocale(locale);
  const cached = cache.get(resolved);
  if (cached) return cached;
  const dir = join(localesDirectory(), resolved);
  const tables: LocaleTables = {};
  for (const file of readdirSync(dir).filter((name) => name.endsWith(".json"))) {
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
  const template = localeTables(locale)[namespace]?.[name] ?? localeTables("en")[namespace]?.[name] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, param: string) =>
    params[param] === undefined ? whole : String(params[param]),
  );
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
