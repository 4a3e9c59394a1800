import type { Diagnosis } from "./engine/diagnosis.js";
import { agentQuestionTitle, localizeForAgent, type Translate, VERDICT_ICONS } from "./triage-card-data.js";

/** The approver reads it beside the agent's reason; the TAP request keeps at most this much. */
const MAX_LENGTH = 1000;

/**
 * Why a Temporary Access Pass is needed, from the server's own triage of the target (never from card text): whether
 * the person holds no usable MFA method, the "can prove it's them" verdict, and the first blocking question when it is
 * another one. Third person, for the approver.
 */
export function summarizeForTap(t: Translate, diagnosis: Diagnosis): string {
  const line = (question: Diagnosis["questions"][number]) =>
    `${VERDICT_ICONS[question.verdict]} ${agentQuestionTitle(t, question.question)} — ${localizeForAgent(t, question.summary)}`;
  const freshMfa = diagnosis.questions.find((q) => q.question === "freshMfa");
  const blocking = diagnosis.questions.find((q) => q.question === diagnosis.firstBlocking && q.question !== "freshMfa");
  return [
    diagnosis.needsTemporaryAccessPass ? t("triage.evidenceNeedsTap") : null,
    freshMfa ? line(freshMfa) : null,
    blocking ? line(blocking) : null,
  ]
    .filter((text): text is string => text !== null)
    .join("\n")
    .slice(0, MAX_LENGTH);
}
