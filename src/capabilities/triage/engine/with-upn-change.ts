import type { Evidence, QuestionResult, TriageInput } from "./diagnosis.js";
import { diagnosisText, LINKS } from "./diagnosis-text.js";
import { findUpnChange } from "./find-upn-change.js";
import { inferAuthenticator } from "./infer-authenticator.js";

/**
 * Microsoft's known issue: a passkey added before a UPN change cannot follow it; it must be deleted in Security info
 * and added again. When the person is adding that same authenticator again (or has not said which), the old passkey
 * is in the way: `warn`, the fix being the person's own. Another authenticator is not blocked by it, so the verdict
 * stands and only the advice is added; a profile that refuses the authenticator keeps its `fail`.
 */
export function withUpnChange(input: TriageInput, result: QuestionResult): QuestionResult {
  const found = findUpnChange(input.snapshot);
  if (!found) return result;
  const { change, passkeys } = found;
  const inferred = inferAuthenticator(input);
  const tried = new Set(inferred.kind === "candidates" ? inferred.candidates.map((c) => c.aaGuid) : []);
  const inTheWay = passkeys.filter((p) => tried.size === 0 || (p.aaGuid !== null && tried.has(p.aaGuid)));
  const shown = inTheWay[0] ?? (passkeys[0] as (typeof passkeys)[number]);
  const passkey = shown.displayName ?? shown.aaGuid ?? "—";
  const date = change.activityDateTime.slice(0, 10);
  const evidence: Evidence[] = [
    {
      label: diagnosisText("evidence.upnChange"),
      value: `${change.oldUpn ?? "?"} → ${change.newUpn ?? "?"} (${change.activityDateTime}${change.initiatedBy ? `, ${change.initiatedBy}` : ""})`,
    },
    ...passkeys.map((p) => ({
      label: diagnosisText("evidence.passkeyBeforeUpnChange"),
      value: `${p.displayName ?? "—"} (${p.aaGuid ?? "?"}, ${p.createdDateTime})`,
    })),
  ];
  const userFix = [diagnosisText("authenticator.userFix.upnChanged", { passkey })];
  const adminFix = [
    diagnosisText("authenticator.adminFix.upnChanged", {
      oldUpn: change.oldUpn ?? "?",
      newUpn: change.newUpn ?? "?",
      date,
      passkey,
    }),
  ];
  const links = result.links.some((l) => l.url === LINKS.mySecurityInfo.url)
    ? result.links
    : [LINKS.mySecurityInfo, ...result.links];
  const isInTheWay = inTheWay.length > 0 && result.verdict === "pass";
  return {
    ...result,
    ...(isInTheWay
      ? { verdict: "warn" as const, summary: diagnosisText("authenticator.summary.upnChanged", { date, passkey }) }
      : {}),
    evidence: [...result.evidence, ...evidence],
    userFix: isInTheWay ? [...userFix, ...result.userFix] : [...result.userFix, ...userFix],
    adminFix: [...result.adminFix, ...adminFix],
    links,
  };
}
