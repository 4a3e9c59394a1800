import type { PasskeyProfile } from "../../../graph/model.js";
import {
  isWindowsHelloAaguid,
  MICROSOFT_AUTHENTICATOR_ANDROID_AAGUID,
  MICROSOFT_AUTHENTICATOR_IOS_AAGUID,
} from "../../authenticators/authenticator.js";
import { normalizeAaguid } from "../../authenticators/normalize-aaguid.js";
import { providerRequirements } from "../../authenticators/provider-requirements.js";
import { checkProfile, type ProfileCheck } from "./check-profile.js";
import { describeReadProblem } from "./describe-read-problem.js";
import type { Evidence, LocalizedText, QuestionResult, TriageInput } from "./diagnosis.js";
import { diagnosisText, LINKS } from "./diagnosis-text.js";
import { type AuthenticatorCandidate, candidateFor, inferAuthenticator } from "./infer-authenticator.js";
import { judgeAnySecurityKey } from "./judge-any-security-key.js";
import { profileAdminFixes } from "./profile-admin-fixes.js";
import { resolvePasskeyScope } from "./resolve-passkey-scope.js";
import { withUpnChange } from "./with-upn-change.js";

function describeProfile(profile: PasskeyProfile): string {
  const r = profile.keyRestrictions;
  const restriction = r?.isEnforced ? `${r.enforcementType} [${(r.aaGuids ?? []).length}]` : "off";
  return `types ${profile.passkeyTypes}; attestation ${profile.attestationEnforcement}; AAGUID restrictions ${restriction}`;
}

function candidateLabel(c: AuthenticatorCandidate): string {
  return c.name ? `${c.name} (${c.aaGuid})` : c.aaGuid;
}

/**
 * Question 4: does any passkey profile in scope accept this authenticator's AAGUID and attestation? And, where the
 * audit log was read (an agent's triage), is a passkey of this authenticator stuck behind a later UPN change?
 */
export function evaluateAuthenticator(input: TriageInput): QuestionResult {
  return withUpnChange(input, judgeAuthenticator(input));
}

function judgeAuthenticator(input: TriageInput): QuestionResult {
  const base: QuestionResult = {
    question: "authenticator",
    verdict: "unknown",
    summary: diagnosisText("authenticator.summary.unknown"),
    evidence: [],
    userFix: [],
    adminFix: [],
    links: [LINKS.passkeyPolicy, LINKS.passkeyDocs],
    followUps: [],
  };
  const inferred = inferAuthenticator(input);
  if (inferred.kind === "needsPlatform") return { ...base, missing: diagnosisText("missing.platformNotStated") };
  if (inferred.kind === "needsAaguid") return judgeAnySecurityKey(input, base);
  const { candidates } = inferred;
  const evidence: Evidence[] = candidates.map((c) => ({
    label: diagnosisText(
      inferred.source === "registeredKey"
        ? "evidence.authenticatorFromRegisteredKey"
        : inferred.source === "failedAttempt"
          ? "evidence.authenticatorFromFailedAttempt"
          : "evidence.authenticator",
    ),
    value: diagnosisText(
      c.canAttest === null
        ? "evidence.value.attestationUnknown"
        : c.canAttest
          ? "evidence.value.canAttest"
          : "evidence.value.cannotAttest",
      { authenticator: candidateLabel(c), passkeyType: c.passkeyType ?? "?" },
    ),
  }));
  for (const c of candidates) {
    if (c.facts?.isCompromised)
      evidence.push({ label: diagnosisText("evidence.compromised"), value: candidateLabel(c) });
  }

  const scope = resolvePasskeyScope(input.policy.fido2, input.snapshot.memberOfGroupIds, input.snapshot.user.id);
  if (scope.kind === "unreadable") {
    const read = scope.subject === "fido2Policy" ? input.policy.fido2 : input.snapshot.memberOfGroupIds;
    return { ...base, evidence, missing: read.ok ? undefined : describeReadProblem(scope.subject, read.problem) };
  }
  if (scope.kind !== "included") {
    // docs/personas.md: out of scope, no profile applies, so no passkey is accepted (question 1 names the fix).
    const wouldAccept = scope.allProfiles.filter((p) => candidates.every((c) => checkProfile(p, c).accepts === true));
    return {
      ...base,
      verdict: "fail",
      summary: diagnosisText("authenticator.summary.noProfileApplies"),
      evidence,
      userFix: [diagnosisText("common.userFix.askHelpdesk")],
      adminFix: wouldAccept.map((p) => diagnosisText("authenticator.adminFix.targetToProfile", { profile: p.name })),
    };
  }

  const perCandidate = candidates.map((c) => {
    const checks = scope.profiles.map((p) => checkProfile(p, c));
    const accepted = checks.some((k) => k.accepts === true)
      ? true
      : checks.every((k) => k.accepts === false)
        ? false
        : null;
    return { candidate: c, checks, accepted };
  });
  for (const profile of scope.profiles) {
    evidence.push({
      label: diagnosisText("evidence.profile", { profile: profile.name }),
      value: describeProfile(profile),
    });
  }
  for (const row of perCandidate) {
    for (const check of row.checks) {
      evidence.push({
        label: diagnosisText("evidence.profileVerdict", { profile: check.profile.name }),
        value: diagnosisText(
          check.accepts === true
            ? "evidence.value.profileAccepts"
            : check.accepts === false
              ? "evidence.value.profileRejects"
              : "evidence.value.profileDependsOnAttestation",
          { authenticator: candidateLabel(row.candidate), rejections: check.rejections.join(", ") },
        ),
      });
    }
  }

  const names = candidates.map((c) => c.name ?? c.aaGuid).join(", ");
  const acceptedCount = perCandidate.filter((r) => r.accepted === true).length;
  if (acceptedCount === perCandidate.length) {
    const acceptingProfile = perCandidate[0]?.checks.find((k) => k.accepts === true)?.profile.name ?? "";
    return {
      ...base,
      verdict: "pass",
      summary: diagnosisText("authenticator.summary.accepted", { authenticator: names, profile: acceptingProfile }),
      evidence,
    };
  }
  if (perCandidate.some((r) => r.accepted === null)) {
    return {
      ...base,
      evidence,
      summary: diagnosisText("authenticator.summary.attestationUnknown", { authenticator: names }),
      missing: diagnosisText("missing.attestationFacts", { authenticator: names }),
    };
  }

  const adminFix: LocalizedText[] = [];
  const rejectedRows = perCandidate.filter((r) => r.accepted === false);
  if (scope.profiles.length > 1) adminFix.push(diagnosisText("authenticator.adminFix.anyOneProfile"));
  for (const profile of scope.profiles) {
    adminFix.push(
      ...profileAdminFixes(
        profile,
        rejectedRows.map((r) => ({
          candidate: r.candidate,
          check: r.checks.find((k) => k.profile.id === profile.id) as ProfileCheck,
        })),
      ),
    );
  }
  const inScopeIds = new Set(scope.profiles.map((p) => p.id));
  for (const other of scope.allProfiles.filter((p) => !inScopeIds.has(p.id))) {
    if (rejectedRows.every((r) => checkProfile(other, r.candidate).accepts === true)) {
      adminFix.push(diagnosisText("authenticator.adminFix.targetToProfile", { profile: other.name }));
    }
  }
  const isWindowsHello = rejectedRows.some((r) => isWindowsHelloAaguid(r.candidate.aaGuid));
  if (isWindowsHello) adminFix.push(diagnosisText("authenticator.adminFix.windowsHelloRecipe"));

  const userFix: LocalizedText[] = [];
  // The person's own fix first: an authenticator some profile in their scope does accept (the allow-listed models, and
  // Microsoft Authenticator created in the app, which attests), then tidy-up, then the help desk.
  const rejectedIds = new Set(rejectedRows.map((r) => r.candidate.aaGuid));
  const alternatives = [
    ...scope.profiles
      .filter((p) => p.keyRestrictions?.isEnforced && p.keyRestrictions.enforcementType === "allow")
      .flatMap((p) => p.keyRestrictions?.aaGuids ?? []),
    MICROSOFT_AUTHENTICATOR_IOS_AAGUID,
    MICROSOFT_AUTHENTICATOR_ANDROID_AAGUID,
  ]
    .map((id) => normalizeAaguid(id))
    .filter((id): id is string => !!id && !rejectedIds.has(id))
    .map((id) => {
      const facts = input.catalog.lookup(id);
      const platform = facts?.platform === "ios" || facts?.platform === "android" ? facts.platform : "securityKey";
      return candidateFor(id, input, platform);
    })
    .filter((c) => c.name && scope.profiles.some((p) => checkProfile(p, c).accepts === true));
  const allowedNames = [...new Set(alternatives.map((c) => c.name as string))].slice(0, 5);
  if (allowedNames.length > 0)
    userFix.push(diagnosisText("authenticator.userFix.useAccepted", { names: allowedNames.join(", ") }));
  const attestationOnlyCrossDevice = rejectedRows.some(
    (r) => r.candidate.facts?.attestation === "inAppOnly" && r.checks.some((k) => k.rejections.includes("attestation")),
  );
  if (attestationOnlyCrossDevice) userFix.push(diagnosisText("authenticator.userFix.registerInApp"));
  for (const row of rejectedRows) {
    if (
      row.candidate.facts &&
      providerRequirements(row.candidate.aaGuid, row.candidate.facts).keepsOrphanWhenRejected
    ) {
      userFix.push(diagnosisText("authenticator.userFix.deleteOrphan", { provider: row.candidate.facts.name }));
    }
  }
  // The help desk only when nothing is the person's own to do.
  if (allowedNames.length === 0 && !attestationOnlyCrossDevice)
    userFix.push(diagnosisText("common.userFix.askHelpdesk"));

  if (acceptedCount > 0) {
    const rejectedNames = rejectedRows.map((r) => r.candidate.name ?? r.candidate.aaGuid).join(", ");
    return {
      ...base,
      verdict: "warn",
      summary: diagnosisText("authenticator.summary.partlyAccepted", { rejected: rejectedNames }),
      evidence,
      adminFix,
    };
  }
  const reasons = new Set(rejectedRows.flatMap((r) => r.checks.flatMap((k) => k.rejections)));
  const summaryKey = reasons.has("notAllowed")
    ? "authenticator.summary.notAllowed"
    : reasons.has("windowsHelloNotAllowListed") && !reasons.has("attestation") && !reasons.has("passkeyType")
      ? "authenticator.summary.windowsHelloNeedsAllowList"
      : reasons.has("blocked")
        ? "authenticator.summary.blocked"
        : reasons.has("attestation")
          ? "authenticator.summary.cannotAttest"
          : "authenticator.summary.wrongPasskeyType";
  return {
    ...base,
    verdict: "fail",
    summary: diagnosisText(summaryKey, { authenticator: names }),
    evidence,
    userFix,
    adminFix,
  };
}
