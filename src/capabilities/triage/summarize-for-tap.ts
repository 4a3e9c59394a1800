import { joinedText, type LocalizedText, localizedText } from "../../cards/localized-text.js";
import { resolveText } from "../../cards/resolve-text.js";
import { VERDICT_ICONS } from "../../cards/verdict-icons.js";
import type { Diagnosis } from "./engine/diagnosis.js";
import { TriageCardText } from "./triage-card-text.js";

/** The approver reads it beside the agent's reason; the TAP request keeps at most this much. */
const MAX_LENGTH = 1000;

/**
 * Why a Temporary Access Pass is needed, from the server's own triage of the target (never from card text): whether
 * the person holds no usable MFA method, the "can prove it's them" verdict, and the first blocking question when it is
 * another one. Third person, for the approver.
 */
export function summarizeForTap(locale: string, diagnosis: Diagnosis): string {
  const line = (question: Diagnosis["questions"][number]) =>
    joinedText(
      [
        VERDICT_ICONS[question.verdict],
        TriageCardText.agentQuestion(question.question),
        "—",
        TriageCardText.forAgent(question.summary),
      ],
      " ",
    );
  const freshMfa = diagnosis.questions.find((q) => q.question === "freshMfa");
  const blocking = diagnosis.questions.find((q) => q.question === diagnosis.firstBlocking && q.question !== "freshMfa");
  const lines = [
    diagnosis.needsTemporaryAccessPass ? localizedText("triage.evidenceNeedsTap") : null,
    freshMfa ? line(freshMfa) : null,
    blocking ? line(blocking) : null,
  ].filter((text): text is LocalizedText | ReturnType<typeof line> => text !== null);
  // Kept as words: the TAP request stores the reason the approver reads, in the requesting agent's language.
  return resolveText(joinedText(lines, "\n"), locale).slice(0, MAX_LENGTH);
}
