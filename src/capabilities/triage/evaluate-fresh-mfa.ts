import type {
  AuthenticationMethod,
  SignInRecord,
  TemporaryAccessPassMethod,
  TemporaryAccessPassPolicy,
} from "../../graph/model.js";
import { describeReadProblem } from "./describe-read-problem.js";
import type { Evidence, LocalizedText, QuestionResult, TriageInput } from "./diagnosis.js";
import { diagnosisText, LINKS } from "./diagnosis-text.js";
import { matchPolicyTargets } from "./match-policy-targets.js";

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
  /** No usable MFA method and no usable TAP: only an agent-issued TAP bootstraps this person. */
  needsTemporaryAccessPass: boolean;
};

function minutesBetween(from: number, to: Date): number {
  return Math.floor((to.getTime() - from) / 60_000);
}

function isTapSignIn(signIn: SignInRecord): boolean {
  return (signIn.authenticationDetails ?? []).some(
    (d) => d.succeeded !== false && /temporary access pass/i.test(d.authenticationMethod ?? ""),
  );
}

function isMfaSignIn(signIn: SignInRecord): boolean {
  return (signIn.status?.errorCode ?? 0) === 0 && signIn.authenticationRequirement === "multiFactorAuthentication";
}

function tapEvidence(tap: TemporaryAccessPassMethod): Evidence[] {
  const start = tap.startDateTime ?? tap.createdDateTime ?? null;
  const expires =
    start && tap.lifetimeInMinutes ? new Date(Date.parse(start) + tap.lifetimeInMinutes * 60_000).toISOString() : "—";
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

/** Question 2: can the person prove it is them right now, or does a TAP have to bootstrap them? */
export function evaluateFreshMfa(input: TriageInput): FreshMfaResult {
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
  if (!snapshot.methods.ok) {
    return {
      ...base,
      missing: describeReadProblem("methods", snapshot.methods.problem),
      userFix: [diagnosisText("freshMfa.userFix.signInAgain", { minutes: MFA_FRESHNESS_MINUTES })],
    };
  }
  const methods: AuthenticationMethod[] = snapshot.methods.value;
  const mfaMethods = methods.filter((m) => m["@odata.type"] in MFA_METHOD_LABELS);
  const tap = methods.find((m): m is TemporaryAccessPassMethod => m["@odata.type"] === TAP_TYPE) ?? null;
  const evidence: Evidence[] = [
    {
      label: diagnosisText("evidence.mfaMethods"),
      value: [...new Set(mfaMethods.map((m) => MFA_METHOD_LABELS[m["@odata.type"]]))].join(", ") || "—",
    },
    ...(tap ? tapEvidence(tap) : []),
  ];

  if (mfaMethods.length > 0) return evaluateMfaFreshness(input, { ...base, evidence });
  return evaluateTapBootstrap(input, { ...base, evidence }, tap, now);
}

function evaluateMfaFreshness(input: TriageInput, base: FreshMfaResult): FreshMfaResult {
  const { snapshot, now } = input;
  const signInFix = diagnosisText("freshMfa.userFix.signInAgain", { minutes: MFA_FRESHNESS_MINUTES });
  if (!snapshot.signIns.ok) {
    return {
      ...base,
      verdict: "unknown",
      summary: diagnosisText("freshMfa.summary.hasMfaFreshnessUnknown"),
      missing: describeReadProblem("signIns", snapshot.signIns.problem),
      userFix: [signInFix],
    };
  }
  const lastMfa = snapshot.signIns.value
    .filter(isMfaSignIn)
    .sort((a, b) => b.createdDateTime.localeCompare(a.createdDateTime))[0];
  if (!lastMfa) {
    return {
      ...base,
      verdict: "warn",
      summary: diagnosisText("freshMfa.summary.noRecentMfa"),
      userFix: [signInFix],
    };
  }
  const minutesAgo = minutesBetween(Date.parse(lastMfa.createdDateTime), now);
  const evidence = [
    ...base.evidence,
    { label: diagnosisText("evidence.lastMfaSignIn"), value: lastMfa.createdDateTime },
  ];
  if (minutesAgo <= MFA_FRESHNESS_MINUTES) {
    return {
      ...base,
      verdict: "pass",
      evidence,
      summary: diagnosisText("freshMfa.summary.fresh", { minutes: minutesAgo }),
    };
  }
  return {
    ...base,
    verdict: "warn",
    evidence,
    summary: diagnosisText("freshMfa.summary.stale", { minutes: minutesAgo, limit: MFA_FRESHNESS_MINUTES }),
    userFix: [signInFix],
  };
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
  if (!tap) return { ...needsTap, summary: diagnosisText("freshMfa.summary.noMfaMethod") };

  const reason = tap.methodUsabilityReason;
  if (reason === "OneTimeUsed") {
    const signIns = input.snapshot.signIns.ok ? input.snapshot.signIns.value : null;
    const tapSignIn = signIns
      ?.filter(isTapSignIn)
      .sort((a, b) => b.createdDateTime.localeCompare(a.createdDateTime))[0];
    if (tapSignIn) {
      const minutesAgo = minutesBetween(Date.parse(tapSignIn.createdDateTime), now);
      if (minutesAgo < ONE_TIME_TAP_WINDOW_MINUTES) {
        return {
          ...base,
          verdict: "warn",
          summary: diagnosisText("freshMfa.summary.tapWindowOpen", {
            minutes: ONE_TIME_TAP_WINDOW_MINUTES - minutesAgo,
          }),
          evidence: [
            ...base.evidence,
            { label: diagnosisText("evidence.tapSignIn"), value: tapSignIn.createdDateTime },
          ],
          userFix: [diagnosisText("freshMfa.userFix.finishNow", { minutes: ONE_TIME_TAP_WINDOW_MINUTES - minutesAgo })],
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
  if (reason === "Expired") return { ...needsTap, summary: diagnosisText("freshMfa.summary.tapExpired") };
  if (reason === "DisabledByPolicy") {
    return {
      ...needsTap,
      needsTemporaryAccessPass: false,
      summary: diagnosisText("freshMfa.summary.tapDisabledByPolicy"),
      userFix: [diagnosisText("common.userFix.askHelpdesk")],
      adminFix: [tapPolicyFix(targeting)],
    };
  }
  if (reason === "NotYetValid") {
    return {
      ...base,
      verdict: "warn",
      summary: diagnosisText("freshMfa.summary.tapNotYetValid", { start: tap.startDateTime ?? "—" }),
      userFix: [diagnosisText("freshMfa.userFix.waitForTapStart", { start: tap.startDateTime ?? "—" })],
    };
  }
  if (tap.isUsable !== true) return { ...needsTap, summary: diagnosisText("freshMfa.summary.tapExpired") };

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
