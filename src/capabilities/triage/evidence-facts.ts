import { type CardText, localizedText } from "../../cards/localized-text.js";
import type { DirectoryAuditRecord, GraphRead, ReadProblem } from "../../graph/model.js";

/** One row of a FactSet on the agent's evidence card. */
export interface Fact {
  title: CardText;
  value: CardText;
}

export function problemText(problem: ReadProblem): CardText {
  switch (problem.kind) {
    case "notRequested":
      return localizedText("triage.evidenceNotRead", { reason: localizedText("triage.evidenceNotRequested") });
    case "throttled":
      return localizedText("triage.graphThrottled", { seconds: Math.ceil(problem.retryAfterSeconds) });
    case "accessDenied":
      // Evidence is for agents: they may forward the permission's name to whoever grants it.
      return localizedText("triage.evidenceNotRead", {
        reason: localizedText("agent.accessDenied", { permission: problem.missingPermission ?? "?" }),
      });
    default:
      return localizedText("triage.graphUnavailable", { seconds: 30 });
  }
}

/** A fact list that is never empty: an empty FactSet is invisible, and "none" is itself evidence. */
export function facts<T>(read: GraphRead<T[]>, toFact: (item: T) => Fact): Fact[] {
  if (!read.ok) return [{ title: "—", value: problemText(read.problem) }];
  if (read.value.length === 0) return [{ title: "—", value: localizedText("triage.evidenceNone") }];
  return read.value.map(toFact);
}

/** The authenticator an "Add Passkey" event names (additionalDetails "AAGuid"), by name: the key the person tried. */
export function auditAaguidText(
  audit: DirectoryAuditRecord,
  authenticatorName: (aaGuid: string) => string | null,
): CardText {
  const aaGuid = (audit.additionalDetails ?? []).find((d) => d.key?.toLowerCase() === "aaguid")?.value?.trim();
  if (!aaGuid) return "";
  return localizedText("triage.evidenceAuditAaguid", { aaGuid, name: authenticatorName(aaGuid.toLowerCase()) ?? "?" });
}
