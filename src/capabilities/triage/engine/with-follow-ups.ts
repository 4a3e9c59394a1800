import type { DirectoryDevice } from "../../../graph/model.js";
import type { Evidence, FollowUpId, LocalizedText, QuestionResult, TriageInput } from "./diagnosis.js";
import { diagnosisText } from "./diagnosis-text.js";

/** What one platform branch of question 3 found, before it becomes the question's result. */
export interface PlatformFindings {
  verdict: "pass" | "fail" | "warn";
  summary: LocalizedText;
  evidence: Evidence[];
  userFix: LocalizedText[];
  adminFix: LocalizedText[];
  followUps: FollowUpId[];
  links?: QuestionResult["links"];
}

export type PlatformOutcome = PlatformFindings | { missing: LocalizedText };

export function majorVersion(version: string | null): number | null {
  const major = Number.parseInt(version ?? "", 10);
  return Number.isFinite(major) ? major : null;
}

/** The device of that OS the person used most recently, when Entra knows one. */
export function latestDevice(devices: DirectoryDevice[], os: RegExp): DirectoryDevice | null {
  return (
    devices
      .filter((d) => os.test(d.operatingSystem ?? ""))
      .sort((a, b) =>
        (b.approximateLastSignInDateTime ?? "").localeCompare(a.approximateLastSignInDateTime ?? ""),
      )[0] ?? null
  );
}

export function deviceEvidence(device: DirectoryDevice): Evidence {
  return {
    label: diagnosisText("evidence.device"),
    value: `${device.displayName ?? device.deviceId ?? device.id} — ${device.operatingSystem ?? "?"} ${device.operatingSystemVersion ?? "?"} (${device.trustType ?? "—"})`,
  };
}

/** Unanswered follow-ups leave a warning that names them; a "no" is a failure with its fix. */
export function withFollowUps(
  input: TriageInput,
  findings: PlatformFindings,
  questions: Array<{
    id: FollowUpId;
    blocksWhen: boolean;
    summary: LocalizedText;
    userFix: LocalizedText[];
    adminFix?: LocalizedText[];
    verdict?: "fail" | "warn";
  }>,
): PlatformFindings {
  const answers = input.answers ?? {};
  const result = { ...findings };
  for (const q of questions) {
    const answer = answers[q.id];
    if (answer === undefined) {
      result.followUps = [...result.followUps, q.id];
      continue;
    }
    result.evidence = [...result.evidence, { label: diagnosisText(`evidence.answer.${q.id}`), value: String(answer) }];
    if (answer === q.blocksWhen) {
      const verdict = q.verdict ?? "fail";
      if (result.verdict !== "fail" && (verdict === "fail" || result.verdict === "pass")) {
        result.verdict = verdict;
        result.summary = q.summary;
      }
      result.userFix = [...result.userFix, ...q.userFix];
      result.adminFix = [...result.adminFix, ...(q.adminFix ?? [])];
    }
  }
  // docs/personas.md: unanswered follow-ups leave `pass` (nothing Graph can see argues against the platform); they
  // are still offered, and a blocking answer turns the verdict to warn or fail.
  if (result.verdict === "pass" && result.followUps.length > 0) {
    result.summary = diagnosisText("platform.summary.needsAnswers");
  }
  return result;
}
