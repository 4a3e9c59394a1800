import { describe, expect, it } from "vitest";
import { buildResultCard } from "../../../src/capabilities/triage/build-result-card.js";
import { parseChoices } from "../../../src/capabilities/triage/conversation-choices.js";
import type { QuestionResult, Verdict } from "../../../src/capabilities/triage/engine/diagnosis.js";
import { translate } from "../../../src/locales/translate.js";
import { cardWords } from "../../support/card-words.js";
import { diagnosisFixture } from "./conversation-fixtures.js";

const t = (key: string, params?: Record<string, string | number>) => translate("en", key, params);

function withVerdicts(verdicts: Verdict[]) {
  const base = diagnosisFixture();
  const questions = base.questions.map((q, i) => ({ ...q, verdict: verdicts[i] as Verdict })) as QuestionResult[];
  const firstFail = questions.find((q) => q.verdict === "fail")?.question ?? null;
  return { ...base, questions, firstBlocking: firstFail };
}

describe("the end user's result headline", () => {
  it.each<[Verdict[], string, string]>([
    [["pass", "pass", "pass", "pass"], "triage.headlineAllPass", "Default"],
    [["pass", "warn", "pass", "pass"], "triage.headlineWarn", "Default"],
    [["pass", "warn", "pass", "unknown"], "triage.headlineWarn", "Default"],
    [["pass", "pass", "pass", "unknown"], "triage.headlineUnknown", "Default"],
    [["pass", "warn", "fail", "pass"], "triage.headlineBlocked", "Attention"],
  ])("%j → %s", (verdicts, key, color) => {
    const card = buildResultCard(withVerdicts(verdicts), parseChoices({}), null);
    expect(cardWords(card).headline).toBe(
      t(key, { question: t(verdicts.includes("fail") ? "triage.questionPlatform" : "triage.questionFreshMfa") }),
    );
    expect(card.data.headlineColor).toBe(color);
  });

  it("never says everything looks right while something warns", () => {
    const card = buildResultCard(withVerdicts(["pass", "pass", "warn", "pass"]), parseChoices({}), null);
    expect(cardWords(card).headline).not.toBe(t("triage.headlineAllPass"));
  });
});
