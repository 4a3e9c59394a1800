import type { SignInRecord, TemporaryAccessPassMethod } from "../../../graph/model.js";
import { describeReadProblem } from "./describe-read-problem.js";
import type { FreshMfaResult, TriageInput } from "./diagnosis.js";
import { diagnosisText } from "./diagnosis-text.js";
import { formatInstant, ONE_TIME_TAP_WINDOW_MINUTES, tapState, tapTargeting } from "./temporary-access-pass-state.js";

/** Entra's rule: adding a strong credential needs MFA within the last 5 minutes. */
export const MFA_FRESHNESS_MINUTES = 5;

const MINUTE_MS = 60_000;
const FRESHNESS_MS = MFA_FRESHNESS_MINUTES * MINUTE_MS;
/** authenticationDetails that only replay an earlier MFA ("MFA requirement satisfied by claim in the token"). */
const REPLAYED_MFA = /claim in the token|previously satisfied|satisfied by token/i;

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

/** The person has an MFA method usable now: was MFA performed within 5 minutes, or is an issued TAP the way in? */
export function evaluateMfaFreshness(
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
