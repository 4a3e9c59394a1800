import type {
  AuthenticationMethod,
  Fido2Method,
  SignInRecord,
  TemporaryAccessPassMethod,
  TemporaryAccessPassPolicy,
} from "../../../graph/model.js";
import type { PasskeyType } from "../../authenticators/authenticator.js";
import { normalizeAaguid } from "../../authenticators/normalize-aaguid.js";
import { describeReadProblem } from "./describe-read-problem.js";
import type { Evidence, LocalizedText, QuestionResult, TriageInput } from "./diagnosis.js";
import { diagnosisText, LINKS } from "./diagnosis-text.js";
import { checkProfile } from "./evaluate-authenticator.js";
import { findRegistrationLoop, type SignInFactor } from "./find-registration-loop.js";
import { candidateFor } from "./infer-authenticator.js";
import { matchPolicyTargets } from "./match-policy-targets.js";
import { resolvePasskeyScope } from "./resolve-passkey-scope.js";

/** Entra's rule: adding a strong credential needs MFA within the last 5 minutes. */
export const MFA_FRESHNESS_MINUTES = 5;
/** A different rule: after signing in with a one-time TAP, registration must complete within 10 minutes. */
export const ONE_TIME_TAP_WINDOW_MINUTES = 10;

const TAP_TYPE = "#microsoft.graph.temporaryAccessPassAuthenticationMethod";

/** Method types that can satisfy MFA at sign-in (password, e-mail and security questions cannot; a TAP is separate). */
const MFA_METHOD_LABELS: Record<string, string> = {
  "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod": "Microsoft Authenticator",
  "#microsoft.graph.phoneAuthenticationMethod": "Phone (SMS/voice)",
  "#microsoft.graph.softwareOathAuthenticationMethod": "Software OATH token",
  "#microsoft.graph.hardwareOathAuthenticationMethod": "Hardware OATH token",
  "#microsoft.graph.fido2AuthenticationMethod": "Passkey (FIDO2)",
  "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod": "Windows Hello for Business",
  "#microsoft.graph.platformCredentialAuthenticationMethod": "Platform credential",
  "#microsoft.graph.x509CertificateAuthenticationMethod": "Certificate",
  "#microsoft.graph.externalAuthenticationMethod": "External MFA",
};

export type FreshMfaResult = QuestionResult & {
  /** No MFA method usable now and no usable TAP: only an agent-issued TAP bootstraps this person. */
  needsTemporaryAccessPass: boolean;
};

const MINUTE_MS = 60_000;
const FRESHNESS_MS = MFA_FRESHNESS_MINUTES * MINUTE_MS;
const TAP_WINDOW_MS = ONE_TIME_TAP_WINDOW_MINUTES * MINUTE_MS;
const FIDO2_TYPE = "#microsoft.graph.fido2AuthenticationMethod";
/** authenticationDetails that only replay an earlier MFA ("MFA requirement satisfied by claim in the token"). */
const REPLAYED_MFA = /claim in the token|previously satisfied|satisfied by token/i;

function isTapSignIn(signIn: SignInRecord): boolean {
  return (signIn.authenticationDetails ?? []).some(
    (d) => d.succeeded !== false && /temporary access pass/i.test(d.authenticationMethod ?? ""),
  );
}

/**
 * When MFA was last *performed* in this sign-in (passkey-domain.md Q2): the latest succeeded step that is neither the
 * password nor a replay of an older MFA claim. A sign-in whose MFA was only satisfied by a claim proves nothing fresh.
 */
export function mfaPerformedAt(signIn: SignInRecord): number | null {
  if ((signIn.status?.errorCode ?? 0) !== 0) return null;
  if (signIn.authenticationRequirement !== "multiFactorAuthentication") return null;
  const times = (signIn.authenticationDetails ?? [])
    .filter(
      (d) =>
        d.succeeded !== false &&
        !/^password$/i.test(d.authenticationMethod ?? "") &&
        !REPLAYED_MFA.test(d.authenticationMethod ?? "") &&
        !REPLAYED_MFA.test(d.authenticationStepResultDetail ?? ""),
    )
    .map((d) => Date.parse(d.authenticationStepDateTime ?? signIn.createdDateTime))
    .filter(Number.isFinite);
  return times.length > 0 ? Math.max(...times) : null;
}

/**
 * Whether a registered passkey can still sign in: key restrictions and passkey types apply at sign-in (graph.md §6),
 * so a passkey whose AAGUID no profile in the person's scope accepts any more cannot satisfy MFA. null: unreadable.
 */
function isPasskeyUsableNow(input: TriageInput, method: Fido2Method): boolean | null {
  const scope = resolvePasskeyScope(input.policy.fido2, input.snapshot.memberOfGroupIds, input.snapshot.user.id);
  if (scope.kind === "unreadable") return null;
  if (scope.kind !== "included") return false;
  const aaGuid = normalizeAaguid(method.aaGuid);
  if (!aaGuid) return null;
  const candidate = candidateFor(aaGuid, input, "unknown");
  const stated = method.passkeyType;
  const passkeyType: PasskeyType | null =
    stated === "synced" ? "synced" : stated === "deviceBound" ? "deviceBound" : null;
  const registered = { ...candidate, passkeyType: passkeyType ?? candidate.passkeyType };
  const checks = scope.profiles.map((p) => checkProfile(p, registered, "signIn").accepts);
  if (checks.some((accepts) => accepts === true)) return true;
  return checks.every((accepts) => accepts === false) ? false : null;
}

function formatInstant(ms: number): string {
  return new Date(ms).toISOString();
}

function tapEvidence(tap: TemporaryAccessPassMethod): Evidence[] {
  const start = tap.startDateTime ?? tap.createdDateTime ?? null;
  const expires =
    start && tap.lifetimeInMinutes ? formatInstant(Date.parse(start) + tap.lifetimeInMinutes * MINUTE_MS) : "—";
  return [
    { label: diagnosisText("evidence.tapState"), value: tap.methodUsabilityReason ?? String(tap.isUsable) },
    { label: diagnosisText("evidence.tapOneTime"), value: String(tap.isUsableOnce) },
    { label: diagnosisText("evidence.tapExpires"), value: expires },
  ];
}

type TapTargeting =
  | { kind: "targeted" }
  | { kind: "notTargeted" | "policyDisabled" }
  | { kind: "unknown"; missing: LocalizedText };

function tapTargeting(input: TriageInput): TapTargeting {
  const read = input.policy.temporaryAccessPass;
  if (!read.ok) return { kind: "unknown", missing: describeReadProblem("tapPolicy", read.problem) };
  const policy: TemporaryAccessPassPolicy = read.value;
  if (policy.state !== "enabled") return { kind: "policyDisabled" };
  const match = matchPolicyTargets(
    policy.includeTargets ?? [],
    policy.excludeTargets ?? [],
    input.snapshot.user.id,
    input.snapshot.memberOfGroupIds,
  );
  if (match.kind === "included") return { kind: "targeted" };
  if (match.kind === "membershipUnknown" && !input.snapshot.memberOfGroupIds.ok) {
    return {
      kind: "unknown",
      missing: describeReadProblem("groupMembership", input.snapshot.memberOfGroupIds.problem),
    };
  }
  return { kind: "notTargeted" };
}

/** What a TAP the person holds is worth right now, by Graph's own verdict and by the instants and the TAP policy. */
type TapState =
  | { kind: "usable" }
  | { kind: "notYetValid"; startMs: number | null }
  | { kind: "expired" }
  | { kind: "oneTimeUsed" }
  | { kind: "disabledByPolicy" }
  | { kind: "multiUseRefused" };

export function temporaryAccessPassState(
  tap: TemporaryAccessPassMethod,
  policy: TemporaryAccessPassPolicy | null,
  now: Date,
): TapState["kind"] {
  return tapState(tap, policy, now).kind;
}

function tapState(tap: TemporaryAccessPassMethod, policy: TemporaryAccessPassPolicy | null, now: Date): TapState {
  const startMs = Date.parse(tap.startDateTime ?? tap.createdDateTime ?? "");
  const hasStart = Number.isFinite(startMs);
  const reason = tap.methodUsabilityReason;
  if (reason === "OneTimeUsed") return { kind: "oneTimeUsed" };
  if (reason === "DisabledByPolicy") return { kind: "disabledByPolicy" };
  if (reason === "NotYetValid" || (hasStart && now.getTime() < startMs)) {
    return { kind: "notYetValid", startMs: hasStart ? startMs : null };
  }
  if (reason === "Expired") return { kind: "expired" };
  if (hasStart && tap.lifetimeInMinutes && now.getTime() >= startMs + tap.lifetimeInMinutes * MINUTE_MS) {
    return { kind: "expired" };
  }
  // A multi-use pass while the policy demands one-time passes is refused at sign-in ("User Credential Policy").
  if (policy?.isUsableOnce === true && tap.isUsableOnce === false) return { kind: "multiUseRefused" };
  if (tap.isUsable !== true) return { kind: "expired" };
  return { kind: "usable" };
}

const FACTORS_OF_METHOD: Record<string, SignInFactor[]> = {
  "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod": ["microsoftAuthenticatorPush"],
  "#microsoft.graph.phoneAuthenticationMethod": ["sms", "voice"],
  "#microsoft.graph.softwareOathAuthenticationMethod": ["softwareOath"],
  "#microsoft.graph.hardwareOathAuthenticationMethod": ["hardwareOath"],
  "#microsoft.graph.fido2AuthenticationMethod": ["fido2"],
  "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod": ["windowsHelloForBusiness"],
  "#microsoft.graph.x509CertificateAuthenticationMethod": ["x509CertificateMultiFactor"],
};

/** Question 2: can the person prove it is them right now, or does a TAP have to bootstrap them? */
export function evaluateFreshMfa(input: TriageInput): FreshMfaResult {
  const result = evaluateMfaAndTap(input);
  const conditionalAccess = input.policy.conditionalAccess;
  if (!conditionalAccess || !input.snapshot.methods.ok || input.snapshot.user.accountEnabled === false) return result;
  if (!conditionalAccess.ok) {
    const unread = { label: diagnosisText("evidence.conditionalAccessUnread"), value: conditionalAccess.problem.kind };
    return { ...result, evidence: [...result.evidence, unread] };
  }
  const memberOf = input.snapshot.memberOfGroupIds.ok ? input.snapshot.memberOfGroupIds.value : [];
  const factors = new Set<SignInFactor>(["password"]);
  for (const m of input.snapshot.methods.value) {
    if (m["@odata.type"] === FIDO2_TYPE && isPasskeyUsableNow(input, m as Fido2Method) === false) continue;
    for (const factor of FACTORS_OF_METHOD[m["@odata.type"]] ?? []) factors.add(factor);
  }
  const tap = input.snapshot.methods.value.find((m): m is TemporaryAccessPassMethod => m["@odata.type"] === TAP_TYPE);
  const tapPolicy = input.policy.temporaryAccessPass.ok ? input.policy.temporaryAccessPass.value : null;
  const hasUsableTap =
    !!tap && tapState(tap, tapPolicy, input.now).kind === "usable" && tapTargeting(input).kind === "targeted";
  if (tap && hasUsableTap) factors.add(tap.isUsableOnce ? "temporaryAccessPassOneTime" : "temporaryAccessPassMultiUse");
  const loop = findRegistrationLoop(conditionalAccess.value, input.snapshot.user.id, memberOf, factors);
  if (!loop) return result;
  const policy = loop.policy.displayName;
  const strength = loop.policy.grantControls?.authenticationStrength?.displayName ?? "—";
  return {
    ...result,
    verdict: "fail",
    summary: diagnosisText(
      loop.scope === "registration" ? "freshMfa.summary.registrationLoop" : "freshMfa.summary.allResourcesLoop",
      { policy },
    ),
    evidence: [
      ...result.evidence,
      { label: diagnosisText("evidence.conditionalAccessPolicy"), value: `${policy} (${loop.policy.id})` },
      { label: diagnosisText("evidence.authenticationStrength"), value: strength },
    ],
    userFix: [
      diagnosisText(loop.isTapAccepted && !hasUsableTap ? "freshMfa.userFix.askForTap" : "common.userFix.askHelpdesk"),
    ],
    adminFix: [
      diagnosisText(
        loop.scope === "registration" ? "freshMfa.adminFix.registrationLoop" : "freshMfa.adminFix.allResourcesLoop",
        { policy, strength },
      ),
      ...(loop.isTapAccepted ? [diagnosisText("freshMfa.adminFix.issueTap")] : []),
    ],
    links: [LINKS.conditionalAccess],
    needsTemporaryAccessPass: loop.isTapAccepted && !hasUsableTap,
  };
}

function evaluateMfaAndTap(input: TriageInput): FreshMfaResult {
  const { snapshot, now } = input;
  const base: FreshMfaResult = {
    question: "freshMfa",
    verdict: "unknown",
    summary: diagnosisText("freshMfa.summary.unknown"),
    evidence: [],
    userFix: [],
    adminFix: [],
    links: [LINKS.mySecurityInfo],
    followUps: [],
    needsTemporaryAccessPass: false,
  };
  if (snapshot.user.accountEnabled === false) {
    // No sign-in at all: neither MFA nor a TAP helps until the account is enabled, so a TAP is not what is needed.
    return {
      ...base,
      verdict: "fail",
      summary: diagnosisText("freshMfa.summary.accountDisabled"),
      evidence: [{ label: diagnosisText("evidence.accountEnabled"), value: "false" }],
      userFix: [diagnosisText("common.userFix.askHelpdesk")],
      adminFix: [diagnosisText("policyScope.adminFix.enableAccount")],
      links: [LINKS.userMethods],
    };
  }
  if (!snapshot.methods.ok) {
    return {
      ...base,
      missing: describeReadProblem("methods", snapshot.methods.problem),
      userFix: [diagnosisText("freshMfa.userFix.signInAgain", { minutes: MFA_FRESHNESS_MINUTES })],
    };
  }
  const methods: AuthenticationMethod[] = snapshot.methods.value;
  const unusablePasskeys: Fido2Method[] = [];
  const mfaMethods = methods.filter((m) => {
    if (!(m["@odata.type"] in MFA_METHOD_LABELS)) return false;
    if (m["@odata.type"] !== FIDO2_TYPE) return true;
    const usable = isPasskeyUsableNow(input, m as Fido2Method) !== false;
    if (!usable) unusablePasskeys.push(m as Fido2Method);
    return usable;
  });
  const tap = methods.find((m): m is TemporaryAccessPassMethod => m["@odata.type"] === TAP_TYPE) ?? null;
  const evidence: Evidence[] = [
    {
      label: diagnosisText("evidence.mfaMethods"),
      value: [...new Set(mfaMethods.map((m) => MFA_METHOD_LABELS[m["@odata.type"]]))].join(", ") || "—",
    },
    ...unusablePasskeys.map((m) => ({
      label: diagnosisText("evidence.passkeyRefusedAtSignIn"),
      value: `${m.displayName ?? m.model ?? "—"} (${m.aaGuid ?? "—"})`,
    })),
    ...(tap ? tapEvidence(tap) : []),
  ];

  if (mfaMethods.length > 0) return evaluateMfaFreshness(input, { ...base, evidence }, tap);
  const onlyRefusedPasskeys = unusablePasskeys.length > 0;
  return evaluateTapBootstrap(input, { ...base, evidence }, tap, now, onlyRefusedPasskeys);
}

function evaluateMfaFreshness(
  input: TriageInput,
  base: FreshMfaResult,
  tap: TemporaryAccessPassMethod | null,
): FreshMfaResult {
  const { snapshot, now } = input;
  const signInFix = diagnosisText("freshMfa.userFix.signInAgain", { minutes: MFA_FRESHNESS_MINUTES });
  // A lost or replaced phone: a TAP the help desk issued is the way in, whatever older methods the person still has.
  const useIssuedTap = (): FreshMfaResult | null => {
    if (!tap) return null;
    const policy = input.policy.temporaryAccessPass.ok ? input.policy.temporaryAccessPass.value : null;
    if (tapState(tap, policy, now).kind !== "usable" || tapTargeting(input).kind !== "targeted") return null;
    return {
      ...base,
      verdict: "pass",
      summary: diagnosisText("freshMfa.summary.useIssuedTap", { minutes: ONE_TIME_TAP_WINDOW_MINUTES }),
      userFix: [diagnosisText("freshMfa.userFix.useTap", { minutes: ONE_TIME_TAP_WINDOW_MINUTES })],
    };
  };
  if (!snapshot.signIns.ok) {
    return (
      useIssuedTap() ?? {
        ...base,
        verdict: "unknown",
        summary: diagnosisText("freshMfa.summary.hasMfaFreshnessUnknown"),
        missing: describeReadProblem("signIns", snapshot.signIns.problem),
        userFix: [signInFix],
      }
    );
  }
  const lastMfaMs = snapshot.signIns.value
    .map(mfaPerformedAt)
    .filter((ms): ms is number => ms !== null)
    .sort((a, b) => b - a)[0];
  if (lastMfaMs === undefined) {
    return (
      useIssuedTap() ?? {
        ...base,
        verdict: "warn",
        summary: diagnosisText("freshMfa.summary.noRecentMfa"),
        userFix: [signInFix],
      }
    );
  }
  const ageMs = now.getTime() - lastMfaMs;
  const evidence = [
    ...base.evidence,
    { label: diagnosisText("evidence.lastMfaSignIn"), value: formatInstant(lastMfaMs) },
  ];
  // Exact instants: 5 minutes 30 seconds is not "within 5 minutes".
  if (ageMs <= FRESHNESS_MS) {
    return {
      ...base,
      verdict: "pass",
      evidence,
      summary: diagnosisText("freshMfa.summary.fresh", { minutes: Math.max(0, Math.floor(ageMs / MINUTE_MS)) }),
    };
  }
  return (
    useIssuedTap() ?? {
      ...base,
      verdict: "warn",
      evidence,
      summary: diagnosisText("freshMfa.summary.stale", {
        minutes: Math.ceil(ageMs / MINUTE_MS),
        limit: MFA_FRESHNESS_MINUTES,
      }),
      userFix: [signInFix],
    }
  );
}

function bootstrapFixes(targeting: TapTargeting): LocalizedText[] {
  const fixes = [diagnosisText("freshMfa.adminFix.issueTap")];
  if (targeting.kind === "notTargeted") fixes.push(diagnosisText("freshMfa.adminFix.targetTapPolicy"));
  if (targeting.kind === "policyDisabled") fixes.push(diagnosisText("freshMfa.adminFix.enableTapPolicy"));
  fixes.push(diagnosisText("freshMfa.adminFix.conditionalAccessLoop"));
  return fixes;
}

/** A TAP that cannot be used because of the TAP policy: switch the policy on, or target this person with it. */
function tapPolicyFix(targeting: TapTargeting): LocalizedText {
  return diagnosisText(
    targeting.kind === "policyDisabled" ? "freshMfa.adminFix.enableTapPolicy" : "freshMfa.adminFix.targetTapPolicy",
  );
}

function evaluateTapBootstrap(
  input: TriageInput,
  base: FreshMfaResult,
  tap: TemporaryAccessPassMethod | null,
  now: Date,
  onlyRefusedPasskeys: boolean,
): FreshMfaResult {
  const targeting = tapTargeting(input);
  const needsTap: FreshMfaResult = {
    ...base,
    verdict: "fail",
    needsTemporaryAccessPass: true,
    userFix: [diagnosisText("freshMfa.userFix.askForTap")],
    adminFix: bootstrapFixes(targeting),
    links: [LINKS.mySecurityInfo, LINKS.tapPolicy],
    missing: targeting.kind === "unknown" ? targeting.missing : undefined,
  };
  const noMethodSummary = diagnosisText(
    onlyRefusedPasskeys ? "freshMfa.summary.onlyRefusedPasskey" : "freshMfa.summary.noMfaMethod",
  );
  if (!tap) return { ...needsTap, summary: noMethodSummary };

  const policy = input.policy.temporaryAccessPass.ok ? input.policy.temporaryAccessPass.value : null;
  const state = tapState(tap, policy, now);
  if (state.kind === "oneTimeUsed") {
    const signIns = input.snapshot.signIns.ok ? input.snapshot.signIns.value : null;
    const tapSignIn = signIns
      ?.filter(isTapSignIn)
      .sort((a, b) => Date.parse(b.createdDateTime) - Date.parse(a.createdDateTime))[0];
    if (tapSignIn) {
      const leftMs = Date.parse(tapSignIn.createdDateTime) + TAP_WINDOW_MS - now.getTime();
      if (leftMs > 0) {
        const minutes = Math.max(1, Math.floor(leftMs / MINUTE_MS));
        return {
          ...base,
          verdict: "warn",
          summary: diagnosisText("freshMfa.summary.tapWindowOpen", { minutes }),
          evidence: [
            ...base.evidence,
            { label: diagnosisText("evidence.tapSignIn"), value: tapSignIn.createdDateTime },
          ],
          userFix: [diagnosisText("freshMfa.userFix.finishNow", { minutes })],
        };
      }
    }
    if (!signIns && !input.snapshot.signIns.ok) {
      return {
        ...base,
        verdict: "unknown",
        summary: diagnosisText("freshMfa.summary.tapUsedWindowUnknown"),
        missing: describeReadProblem("signIns", input.snapshot.signIns.problem),
        userFix: [diagnosisText("freshMfa.userFix.askForTap")],
      };
    }
    return {
      ...needsTap,
      summary: diagnosisText("freshMfa.summary.tapUsed", { minutes: ONE_TIME_TAP_WINDOW_MINUTES }),
    };
  }
  if (state.kind === "expired") return { ...needsTap, summary: diagnosisText("freshMfa.summary.tapExpired") };
  if (state.kind === "multiUseRefused") {
    return {
      ...needsTap,
      summary: diagnosisText("freshMfa.summary.tapMultiUseRefused"),
      adminFix: [diagnosisText("freshMfa.adminFix.reissueOneTimeTap"), ...bootstrapFixes(targeting).slice(1)],
    };
  }
  if (state.kind === "disabledByPolicy") {
    return {
      ...needsTap,
      summary: diagnosisText("freshMfa.summary.tapDisabledByPolicy"),
      userFix: [diagnosisText("common.userFix.askHelpdesk")],
      adminFix: [tapPolicyFix(targeting)],
    };
  }
  if (state.kind === "notYetValid") {
    const start = state.startMs !== null ? formatInstant(state.startMs) : (tap.startDateTime ?? "—");
    return {
      ...base,
      verdict: "warn",
      summary: diagnosisText("freshMfa.summary.tapNotYetValid", { start }),
      userFix: [diagnosisText("freshMfa.userFix.waitForTapStart", { start })],
    };
  }

  // A usable TAP exists: whether it will work depends on the TAP policy targeting this person.
  if (targeting.kind === "unknown") {
    return {
      ...base,
      verdict: "unknown",
      summary: diagnosisText("freshMfa.summary.tapTargetingUnknown"),
      missing: targeting.missing,
      userFix: [diagnosisText("freshMfa.userFix.useTap", { minutes: ONE_TIME_TAP_WINDOW_MINUTES })],
    };
  }
  if (targeting.kind !== "targeted") {
    return {
      ...base,
      verdict: "fail",
      needsTemporaryAccessPass: true,
      summary: diagnosisText("freshMfa.summary.tapNotTargeted"),
      userFix: [diagnosisText("common.userFix.askHelpdesk")],
      adminFix: [tapPolicyFix(targeting)],
      links: [LINKS.tapPolicy],
    };
  }
  return {
    ...base,
    verdict: "pass",
    summary: diagnosisText(tap.isUsableOnce ? "freshMfa.summary.tapReadyOneTime" : "freshMfa.summary.tapReady", {
      minutes: ONE_TIME_TAP_WINDOW_MINUTES,
    }),
    userFix: [diagnosisText("freshMfa.userFix.useTap", { minutes: ONE_TIME_TAP_WINDOW_MINUTES })],
  };
}
