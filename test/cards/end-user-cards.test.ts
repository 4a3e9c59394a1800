import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as AC from "adaptivecards";
import { describe, expect, it } from "vitest";
import { renderCard } from "../../src/bot/render-card.js";
import { buildResultCard, buildUnavailableCard } from "../../src/capabilities/triage/build-result-card.js";
import { parseChoices } from "../../src/capabilities/triage/conversation-choices.js";
import type { QuestionResult, Verdict } from "../../src/capabilities/triage/engine/diagnosis.js";
import { MY_SECURITY_INFO_URL } from "../../src/capabilities/triage/engine/diagnosis-text.js";
import { translate } from "../../src/locales/translate.js";
import { diagnosisFixture } from "../capabilities/triage/conversation-fixtures.js";

/**
 * Every card a person (not an agent or an administrator) sees. Plain words, status in words, readable contrast, and
 * the Security info page one press away (issue 8 §4).
 */
const END_USER_CARDS = [
  "welcome",
  "help-user",
  "triage-platform",
  "triage-device",
  "triage-key-model",
  "triage-checking",
  "triage-result",
  "triage-answer",
  "refusal",
  "error",
  "please-wait",
  "tap-notice",
] as const;

const fixturesDir = resolve(__dirname, "fixtures");
const localesDir = resolve(__dirname, "../../src/locales");
const JARGON = /\bGraph\b|AAGUID|attestation|allow[ -]?list|Get-Tpm/i;
const LOCALES = ["en", "cs"] as const;

type Json = Record<string, unknown>;

/** Every string a person reads on a card: text blocks, text runs, facts, choices, action titles, placeholders. */
function visibleTexts(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) for (const child of node) visibleTexts(child, found);
  else if (node && typeof node === "object") {
    const record = node as Json;
    for (const key of ["text", "title", "value", "placeholder", "label", "altText"]) {
      const value = record[key];
      // A choice's or an action's value is data, not text; a fact's value is text.
      if (key === "value" && (record.type !== undefined || !("title" in record && !("type" in record)))) continue;
      if (typeof value === "string") found.push(value);
    }
    for (const value of Object.values(record)) visibleTexts(value, found);
  }
  return found;
}

function actionsOf(node: unknown, found: Json[] = []): Json[] {
  if (Array.isArray(node)) for (const child of node) actionsOf(child, found);
  else if (node && typeof node === "object") {
    const record = node as Json;
    if (typeof record.type === "string" && record.type.startsWith("Action.")) found.push(record);
    for (const value of Object.values(record)) actionsOf(value, found);
  }
  return found;
}

// --- WCAG 2.x contrast, with the colours of the Adaptive Cards SDK's default host config (the renderer we parse with).
function rgba(hex: string): [number, number, number, number] {
  const digits = hex.replace("#", "");
  const argb = digits.length === 8 ? digits : `FF${digits}`;
  const [a, r, g, b] = [0, 2, 4, 6].map((i) => Number.parseInt(argb.slice(i, i + 2), 16));
  return [r as number, g as number, b as number, (a as number) / 255];
}

function over(top: string, bottom: [number, number, number]): [number, number, number] {
  const [r, g, b, a] = rgba(top);
  return [r * a + bottom[0] * (1 - a), g * a + bottom[1] * (1 - a), b * a + bottom[2] * (1 - a)];
}

function luminance([r, g, b]: [number, number, number]): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

function contrast(a: [number, number, number], b: [number, number, number]): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** The SDK's default host config names a background for every container style (a bare HostConfig leaves them to CSS). */
const hostConfig = AC.defaultHostConfig;
const WHITE: [number, number, number] = [255, 255, 255];

/** Each text block with the contrast of its colour on the background of the container it sits in. */
function textContrasts(node: unknown, containerStyle = "default", found: Array<[string, number]> = []) {
  if (Array.isArray(node)) for (const child of node) textContrasts(child, containerStyle, found);
  else if (node && typeof node === "object") {
    const record = node as Json;
    const style = typeof record.style === "string" && record.type === "Container" ? record.style : containerStyle;
    if (record.type === "TextBlock" && typeof record.text === "string") {
      const definition = hostConfig.containerStyles.getStyleByName(style);
      const background = over(definition.backgroundColor ?? "#FFFFFF", WHITE);
      const colorName = (typeof record.color === "string" ? record.color : "default").toLowerCase();
      const colors = (definition.foregroundColors as unknown as Record<string, { default: string; subtle: string }>)[
        colorName
      ];
      if (!colors) throw new Error(`Unknown text colour "${String(record.color)}" on "${record.text}"`);
      const foreground = over(record.isSubtle === true ? colors.subtle : colors.default, background);
      found.push([
        `${style}/${colorName}${record.isSubtle ? "/subtle" : ""}: ${record.text}`,
        contrast(foreground, background),
      ]);
    }
    for (const value of Object.values(record)) textContrasts(value, style, found);
  }
  return found;
}

function fixture(name: string): Json {
  return JSON.parse(readFileSync(join(fixturesDir, `${name}.json`), "utf8")) as Json;
}

/** Result cards from the engine's own texts: every summary, fix and read problem a person can be shown. */
function personTextKeys(): string[] {
  const table = JSON.parse(readFileSync(join(localesDir, "en", "diagnosis.json"), "utf8")) as Record<string, string>;
  return Object.keys(table).filter((key) => /^\w+\.(summary|userFix)\.|^missing\./.test(key));
}

function resultCardFor(key: string, verdict: Verdict) {
  const base = diagnosisFixture();
  const params = { authenticator: "YubiKey 5", profile: "Default", permission: "X.Read.All", seconds: 5, minutes: 3 };
  const questions = base.questions.map((q, i) =>
    i === 1
      ? {
          ...q,
          verdict,
          summary: { key, params },
          userFix: [{ key, params }],
          ...(verdict === "unknown" ? { missing: { key, params } } : {}),
        }
      : { ...q, summary: { key: "policyScope.summary.inScope" }, userFix: [], verdict: "pass" as Verdict },
  ) as QuestionResult[];
  const diagnosis = { ...base, questions, firstBlocking: verdict === "fail" ? ("freshMfa" as const) : null };
  return buildResultCard(diagnosis, parseChoices({}), null);
}

describe("end-user cards", () => {
  it.each(LOCALES.flatMap((locale) => END_USER_CARDS.map((name) => [name, locale] as const)))(
    "%s (%s) speaks plainly: no Graph, AAGUID, attestation, allow list or Get-Tpm",
    (name, locale) => {
      const texts = visibleTexts(renderCard(name, fixture(name), locale));
      expect(texts.length).toBeGreaterThan(0);
      for (const text of texts) expect(text).not.toMatch(JARGON);
    },
  );

  it.each(LOCALES)("the result card in %s speaks plainly for every summary, fix and read problem", (locale) => {
    const keys = personTextKeys();
    expect(keys.length).toBeGreaterThan(80);
    for (const key of keys) {
      for (const verdict of ["fail", "unknown"] as const) {
        const card = renderCard("triage-result", resultCardFor(key, verdict).data, locale);
        for (const text of visibleTexts(card)) expect(text, `${locale} ${key}`).not.toMatch(JARGON);
      }
    }
  });

  it.each(LOCALES)("the result card in %s writes every status in words, not only as an icon or a colour", (locale) => {
    const t = (k: string) => translate(locale, k);
    for (const verdict of ["pass", "fail", "warn", "unknown"] as const) {
      const card = renderCard("triage-result", resultCardFor("freshMfa.summary.stale", verdict).data, locale);
      const texts = visibleTexts(card);
      const word = t(`triage.verdict${verdict[0]?.toUpperCase()}${verdict.slice(1)}`);
      expect(texts.some((text) => text.includes(`— ${word}`))).toBe(true);
      if (verdict === "fail") expect(texts).toContain(t("triage.blockingBadge"));
    }
  });

  it.each(LOCALES.flatMap((locale) => END_USER_CARDS.map((name) => [name, locale] as const)))(
    "%s (%s): every text passes WCAG AA contrast (4.5:1) on its background",
    (name, locale) => {
      for (const [text, ratio] of textContrasts(renderCard(name, fixture(name), locale))) {
        expect(ratio, text).toBeGreaterThanOrEqual(4.5);
      }
    },
  );

  it("the contrast check itself refuses Warning text on white and Attention text on an attention background", () => {
    const low = textContrasts({
      type: "AdaptiveCard",
      body: [
        { type: "TextBlock", text: "warning", color: "Warning" },
        { type: "Container", style: "attention", items: [{ type: "TextBlock", text: "badge", color: "Attention" }] },
      ],
    });
    expect(low.map(([, ratio]) => ratio < 4.5)).toEqual([true, true]);
  });

  it.each(LOCALES.flatMap((locale) => (["pass", "fail", "warn", "unknown"] as const).map((v) => [v, locale] as const)))(
    "a result with a %s question (%s) keeps WCAG AA contrast in every container style",
    (verdict, locale) => {
      const card = renderCard("triage-result", resultCardFor("freshMfa.summary.stale", verdict).data, locale);
      const contrasts = textContrasts(card);
      expect(contrasts.length).toBeGreaterThan(4);
      for (const [text, ratio] of contrasts) expect(ratio, text).toBeGreaterThanOrEqual(4.5);
    },
  );

  it.each(LOCALES)(
    "the result card (%s) offers Security info as a button, also when nothing could be read",
    (locale) => {
      const t = (k: string, params?: Record<string, string | number>) => translate(locale, k, params);
      const cards = [
        resultCardFor("freshMfa.summary.stale", "fail"),
        buildUnavailableCard("Wanda Hello", parseChoices({}), { kind: "unavailable", detail: "timeout" }),
      ];
      for (const card of cards) {
        const actions = actionsOf(renderCard("triage-result", card.data, locale));
        expect(actions).toContainEqual({
          type: "Action.OpenUrl",
          title: t("triage.openSecurityInfo"),
          url: "https://mysignins.microsoft.com/security-info",
        });
      }
      expect(MY_SECURITY_INFO_URL).toBe("https://mysignins.microsoft.com/security-info");
    },
  );
});
