import { normalizeAaguid } from "../../authenticators/normalize-aaguid.js";
import { classifySymptom } from "./classify-symptom.js";
import { type Diagnosis, QUESTION_ORDER, type QuestionResult, type TriageInput } from "./diagnosis.js";
import { evaluateAuthenticator } from "./evaluate-authenticator.js";
import { evaluateFreshMfa } from "./evaluate-fresh-mfa.js";
import { evaluatePlatform } from "./evaluate-platform.js";
import { evaluatePolicyScope } from "./evaluate-policy-scope.js";
import { inferAuthenticator } from "./infer-authenticator.js";

/**
 * Walks the four questions of passkey-domain.md against Graph state already read. Pure: the same input gives the same
 * diagnosis; each question is evaluated even when an earlier one fails, so the help desk sees every fix at once.
 */
export function diagnosePasskeyRegistration(input: TriageInput): Diagnosis {
  const policyScope = evaluatePolicyScope(input);
  const { needsTemporaryAccessPass, ...freshMfa } = evaluateFreshMfa(input);
  const results: Record<QuestionResult["question"], QuestionResult> = {
    policyScope,
    freshMfa,
    platform: evaluatePlatform(input),
    authenticator: evaluateAuthenticator(input),
  };
  const questions = QUESTION_ORDER.map((id) => results[id]);
  const inferred = inferAuthenticator(input);
  const single =
    inferred.kind === "candidates" && inferred.candidates.length === 1 ? inferred.candidates[0] : undefined;
  const classification = input.symptomText
    ? classifySymptom(input.symptomText, {
        hasRecentPolicyChange: policyScope.summary.key === "policyScope.summary.recentChange",
      })
    : null;
  return {
    userId: input.snapshot.user.id,
    userPrincipalName: input.snapshot.user.userPrincipalName,
    displayName: input.snapshot.user.displayName ?? input.snapshot.user.userPrincipalName,
    platform: input.platform ?? "unknown",
    aaGuid: single?.aaGuid ?? normalizeAaguid(input.aaGuid),
    authenticatorName:
      single?.name ??
      (inferred.kind === "candidates" && inferred.candidates.length > 1
        ? inferred.candidates.map((c) => c.name ?? c.aaGuid).join(" / ")
        : null),
    questions,
    firstBlocking: questions.find((q) => q.verdict === "fail")?.question ?? null,
    needsTemporaryAccessPass,
    suggestedStart: classification?.start ?? null,
    checkedDateTime: input.now.toISOString(),
  };
}
