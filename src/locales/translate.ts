import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

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

/** Works from sources (tsx, vitest) and from a `dist/` build, which does not copy the JSON files. */
function localesDirectory(): string {
  const candidates = [__dirname, resolve(__dirname, "../../../src/locales")];
  const found = candidates.find((dir) => existsSync(join(dir, "en")));
  if (!found) throw new Error(`Locale tables must exist in one of: ${candidates.join(", ")}`);
  return found;
}
