import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { renderCard } from "../../../src/bot/render-card.js";
import { resolveCardText } from "../../../src/bot/resolve-card-text.js";
import { createAuthenticatorCatalog } from "../../../src/capabilities/authenticators/create-authenticator-catalog.js";
import { buildTicketCard } from "../../../src/capabilities/tickets/ticket-card-data.js";
import { buildResultCard } from "../../../src/capabilities/triage/build-result-card.js";
import type { TriageChoices } from "../../../src/capabilities/triage/conversation-choices.js";
import type { Diagnosis, QuestionId } from "../../../src/capabilities/triage/engine/diagnosis.js";
import { buildEvidenceCard } from "../../../src/capabilities/triage/triage-card-evidence.js";
import { translate } from "../../../src/locales/translate.js";
import { cardWords } from "../../support/card-words.js";
import { diagnosisFixture, policyFixture, question, userSnapshotFixture } from "./conversation-fixtures.js";

const root = resolve(__dirname, "../../../src/locales");
const table = (locale: string, name: string) =>
  JSON.parse(readFileSync(join(root, locale, `${name}.json`), "utf8")) as Record<string, string>;
const catalog = createAuthenticatorCatalog();
const authenticatorName = (aaGuid: string) => catalog.lookup(aaGuid)?.name ?? null;
const choices: TriageChoices = { platform: "windows", aaGuid: null, answers: {}, start: null, targetUserId: null };

/** Words that address the reader as "you": English, and Czech pronouns and second-person plural verb forms. */
const SECOND_PERSON: Record<string, RegExp> = {
  en: /\b(you|your|yours|yourself)\b/i,
  cs: /(?<!\p{L})(vy|vás|vám|vámi|váš|vaše|vašeho|vašemu|vaši|vašich|vašem|jste|máte|nemáte|můžete|nemůžete|smíte|používáte|přihlásili|použijte)(?!\p{L})/iu,
};

/** Texts a read problem or a summary shows on the evidence card; each must exist in the third person. */
const SPOKEN_TO_THE_PERSON = /(^\w+\.summary\.)|(^missing\.)/;

/** A diagnosis whose four questions carry real engine keys, second person in the person's own tables. */
function realDiagnosis(summaries: Record<QuestionId, string>, missing?: string): Diagnosis {
  return diagnosisFixture({
    questions: [
      question({ question: "policyScope", summary: { key: summaries.policyScope } }),
      question({ question: "freshMfa", verdict: "fail", summary: { key: summaries.freshMfa } }),
      question({ question: "platform", verdict: "warn", summary: { key: summaries.platform } }),
      question({
        question: "authenticator",
        verdict: "unknown",
        summary: { key: summaries.authenticator },
        ...(missing ? { missing: { key: missing, params: { permission: "UserAuthenticationMethod.Read.All" } } } : {}),
      }),
    ],
    firstBlocking: "freshMfa",
    needsTemporaryAccessPass: true,
  });
}

const SUMMARIES: Record<QuestionId, string> = {
  policyScope: "policyScope.summary.inScope",
  freshMfa: "freshMfa.summary.noMfaMethod",
  platform: "platform.summary.windowsNoPin",
  authenticator: "authenticator.summary.unknown",
};

describe("the agent's evidence speaks about the person in the third person", () => {
  it.each(["en", "cs"])("%s: every summary and read problem that speaks to the person has an agent twin", (locale) => {
    const diagnosis = table(locale, "diagnosis");
    const agent = table(locale, "agent");
    const spoken = Object.keys(diagnosis).filter(
      (key) => SPOKEN_TO_THE_PERSON.test(key) && SECOND_PERSON[locale]?.test(diagnosis[key] ?? ""),
    );
    expect(spoken.length).toBeGreaterThan(20);
    for (const key of spoken) expect(agent[key], `${locale} agent.${key}`).toBeDefined();
  });

  it.each(["en", "cs"])("%s: no agent text says you", (locale) => {
    const agent = table(locale, "agent");
    for (const [key, text] of Object.entries(agent)) {
      // "Try again shortly" speaks to the agent reading the card, which is right; the person is never "you".
      const aboutThePerson = text.replace(/Try again (shortly|later)\.|Zkuste to (za chvíli znovu|později)\./g, "");
      expect(aboutThePerson, `${locale} agent.${key}`).not.toMatch(SECOND_PERSON[locale] as RegExp);
    }
  });

  it.each(["en", "cs"])("%s: the evidence card's titles, summaries and read problems are third person", (locale) => {
    const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
    const diagnosis = realDiagnosis(SUMMARIES, "missing.methods.accessDenied");
    const card = buildEvidenceCard(
      { diagnosis, policy: policyFixture(), user: userSnapshotFixture(), groupNames: {} },
      choices,
      authenticatorName,
    );
    const rows = cardWords(card, locale).questions as Array<{ title: string; summary: string; missing: string }>;
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      for (const text of [row.title, row.summary, row.missing]) {
        expect(text, locale).not.toMatch(SECOND_PERSON[locale] as RegExp);
        expect(text).not.toMatch(/^(agent|diagnosis)\./);
      }
    }
    expect(rows[1]?.summary).toBe(t("agent.freshMfa.summary.noMfaMethod"));
    const rendered = JSON.stringify(renderCard("triage-evidence", card.data, locale));
    expect(rendered).toContain(t("agent.blockingBadge"));
    expect(rendered).not.toContain(t("triage.blockingBadge"));
  });

  it.each(["en", "cs"])("%s: the person's own card still says you", (locale) => {
    const card = buildResultCard(realDiagnosis(SUMMARIES), choices, null);
    const rows = cardWords(card, locale).questions as Array<{ title: string; summary: string }>;
    expect(rows.map((r) => r.title).join(" ")).toMatch(SECOND_PERSON[locale] as RegExp);
    expect(rows[1]?.summary).toMatch(SECOND_PERSON[locale] as RegExp);
  });

  it("the help-desk ticket names the questions about the requester, not to the agent", () => {
    const card = buildTicketCard({
      id: "T-1",
      requester: { userId: "u", displayName: "Wanda Hello", userPrincipalName: "w@contoso.example" },
      createdDateTime: "2026-11-22T10:00:00.000Z",
      status: "open",
      assignee: null,
      diagnosis: {
        platform: "windows",
        aaGuid: null,
        authenticatorName: null,
        firstBlocking: "freshMfa",
        needsTemporaryAccessPass: true,
        verdicts: [{ question: "freshMfa", verdict: "fail" }],
      },
    } as unknown as Parameters<typeof buildTicketCard>[0]);
    const data = resolveCardText(card.data, "en") as Record<string, unknown>;
    expect(data.firstBlocking).toBe("Can the user prove their identity right now?");
    expect(JSON.stringify(data)).not.toMatch(SECOND_PERSON.en as RegExp);
  });
});
