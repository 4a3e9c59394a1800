import type { PasskeyProfile } from "../../../graph/model.js";
import {
  isWindowsHelloAaguid,
  MICROSOFT_AUTHENTICATOR_ANDROID_AAGUID,
  MICROSOFT_AUTHENTICATOR_IOS_AAGUID,
} from "../../authenticators/authenticator.js";
import { normalizeAaguid } from "../../authenticators/normalize-aaguid.js";
import { providerRequirements } from "../../authenticators/provider-requirements.js";
import { describeReadProblem } from "./describe-read-problem.js";
import type { Evidence, LocalizedText, QuestionResult, TriageInput } from "./diagnosis.js";
import { diagnosisText, LINKS } from "./diagnosis-text.js";
import { findUpnChange } from "./find-upn-change.js";
import { type AuthenticatorCandidate, candidateFor, inferAuthenticator } from "./infer-authenticator.js";
import { resolvePasskeyScope } from "./resolve-passkey-scope.js";

type Rejection = "passkeyType" | "attestation" | "notAllowed" | "blocked" | "windowsHelloNotAllowListed";

interface ProfileCheck {
  profile: PasskeyProfile;
  /** true accepts, false rejects, null: depends on a fact the catalog does not have. */
  accepts: boolean | null;
  rejections: Rejection[];
}

function passkeyTypesOf(profile: PasskeyProfile): Set<string> {
  return new Set(
    profile.passkeyTypes
      .split(",")
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean),
  );
}

/**
 * graph.md §3.2 step 5: type in passkeyTypes, attestation when enforced, allow/block list compared lower-case.
 * Windows Hello passkeys need more than "not blocked": only a profile whose key restrictions explicitly allow-list
 * their AAGUIDs accepts them (Microsoft's "Entra passkeys on Windows" required configuration, graph.md §5).
 * `signIn` judges an already registered passkey: key restrictions and types apply at sign-in, attestation does not.
 */
export function checkProfile(
  profile: PasskeyProfile,
  candidate: AuthenticatorCandidate,
  stage: "registration" | "signIn" = "registration",
): ProfileCheck {
  const rejections: Rejection[] = [];
  let uncertain = false;
  const types = passkeyTypesOf(profile);
  if (candidate.passkeyType === null) uncertain ||= !(types.has("devicebound") && types.has("synced"));
  else if (!types.has(candidate.passkeyType.toLowerCase())) rejections.push("passkeyType");
  if (stage === "registration" && profile.attestationEnforcement === "registrationOnly") {
    if (candidate.canAttest === false) rejections.push("attestation");
    if (candidate.canAttest === null) uncertain = true;
  }
  const restrictions = profile.keyRestrictions;
  if (restrictions?.isEnforced) {
    const listed = (restrictions.aaGuids ?? []).some((id) => normalizeAaguid(id) === candidate.aaGuid);
    if (restrictions.enforcementType === "allow" && !listed) rejections.push("notAllowed");
    if (restrictions.enforcementType === "block" && listed) rejections.push("blocked");
  }
  const isExplicitlyAllowed = restrictions?.isEnforced === true && restrictions.enforcementType === "allow";
  if (isWindowsHelloAaguid(candidate.aaGuid) && !isExplicitlyAllowed) rejections.push("windowsHelloNotAllowListed");
  const accepts = rejections.length > 0 ? false : uncertain ? null : true;
  return { profile, accepts, rejections };
}

function describeProfile(profile: PasskeyProfile): string {
  const r = profile.keyRestrictions;
  const restriction = r?.isEnforced ? `${r.enforcementType} [${(r.aaGuids ?? []).length}]` : "off";
  return `types ${profile.passkeyTypes}; attestation ${profile.attestationEnforcement}; AAGUID restrictions ${restriction}`;
}

function candidateLabel(c: AuthenticatorCandidate): string {
  return c.name ? `${c.name} (${c.aaGuid})` : c.aaGuid;
}

function adminFixesFor(
  profile: PasskeyProfile,
  rejected: Array<{ candidate: AuthenticatorCandidate; check: ProfileCheck }>,
) {
  const fixes: LocalizedText[] = [];
  const withReason = (reason: Rejection) => rejected.filter((r) => r.check.rejections.includes(reason));
  const aaguids = (rows: typeof rejected) => [...new Set(rows.map((r) => r.candidate.aaGuid))].join(", ");
  const notAllowed = withReason("notAllowed");
  if (notAllowed.length > 0) {
    fixes.push(
      diagnosisText("authenticator.adminFix.addToAllowList", { aaguids: aaguids(notAllowed), profile: profile.name }),
    );
  }
  const blocked = withReason("blocked");
  if (blocked.length > 0) {
    fixes.push(
      diagnosisText("authenticator.adminFix.removeFromBlockList", { aaguids: aaguids(blocked), profile: profile.name }),
    );
  }
  if (withReason("windowsHelloNotAllowListed").length > 0) {
    fixes.push(diagnosisText("authenticator.adminFix.windowsHelloAllowList", { profile: profile.name }));
  }
  if (withReason("attestation").length > 0) {
    fixes.push(diagnosisText("authenticator.adminFix.turnOffAttestation", { profile: profile.name }));
  }
  const wrongType = withReason("passkeyType");
  if (wrongType.length > 0) {
    fixes.push(
      diagnosisText("authenticator.adminFix.allowPasskeyType", {
        profile: profile.name,
        type: wrongType[0]?.candidate.passkeyType ?? "",
      }),
    );
  }
  return fixes;
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
    value: `${candidateLabel(c)} — ${c.passkeyType ?? "?"}, ${c.canAttest === null ? "attestation ?" : c.canAttest ? "can attest" : "cannot attest"}`,
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
        value: `${candidateLabel(row.candidate)}: ${check.accepts === true ? "accepts" : check.accepts === false ? `rejects (${check.rejections.join(", ")})` : "depends on attestation"}`,
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
      ...adminFixesFor(
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

/**
 * "A security key, I don't know which": what holds for every model is judged anyway. Every security key makes a
 * device-bound passkey, so profiles that take no device-bound passkeys refuse any key; a profile with device-bound on,
 * attestation off and no key restrictions takes any FIDO2 key. Anything else depends on the model, and the texts say
 * what would settle it (the model printed on the key; for the agent, the AAGuid of a failed attempt's audit event).
 */
function judgeAnySecurityKey(input: TriageInput, base: QuestionResult): QuestionResult {
  const unknown: QuestionResult = {
    ...base,
    summary: diagnosisText("authenticator.summary.whichKey"),
    missing: diagnosisText("missing.securityKeyModel"),
    userFix: [diagnosisText("authenticator.userFix.nameYourKey"), diagnosisText("authenticator.userFix.findModel")],
  };
  const scope = resolvePasskeyScope(input.policy.fido2, input.snapshot.memberOfGroupIds, input.snapshot.user.id);
  if (scope.kind !== "included" || scope.profiles.length === 0) return unknown;
  const takesDeviceBound = (p: PasskeyProfile) => passkeyTypesOf(p).has("devicebound");
  if (!scope.profiles.some(takesDeviceBound)) {
    return {
      ...base,
      verdict: "fail",
      summary: diagnosisText("authenticator.summary.noSecurityKeys"),
      userFix: [diagnosisText("common.userFix.askHelpdesk")],
      adminFix: scope.profiles.map((p) =>
        diagnosisText("authenticator.adminFix.allowPasskeyType", { profile: p.name, type: "deviceBound" }),
      ),
    };
  }
  const takesAnyKey = scope.profiles.find(
    (p) => takesDeviceBound(p) && p.attestationEnforcement !== "registrationOnly" && !p.keyRestrictions?.isEnforced,
  );
  if (takesAnyKey) {
    return {
      ...base,
      verdict: "pass",
      summary: diagnosisText("authenticator.summary.anyKeyAccepted", { profile: takesAnyKey.name }),
    };
  }
  return unknown;
}

/**
 * Microsoft's known issue: a passkey added before a UPN change cannot follow it; it must be deleted in Security info
 * and added again. When the person is adding that same authenticator again (or has not said which), the old passkey
 * is in the way: `warn`, the fix being the person's own. Another authenticator is not blocked by it, so the verdict
 * stands and only the advice is added; a profile that refuses the authenticator keeps its `fail`.
 */
function withUpnChange(input: TriageInput, result: QuestionResult): QuestionResult {
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
