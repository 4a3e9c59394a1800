import type { SignInRecord, TemporaryAccessPassMethod, TemporaryAccessPassPolicy } from "../../../graph/model.js";
import { describeReadProblem } from "./describe-read-problem.js";
import type { Evidence, LocalizedText, TriageInput } from "./diagnosis.js";
import { diagnosisText } from "./diagnosis-text.js";
import { matchPolicyTargets } from "./match-policy-targets.js";

/** After signing in with a one-time TAP, registration must complete within 10 minutes (passkey-domain.md Q2). */
export const ONE_TIME_TAP_WINDOW_MINUTES = 10;
export const TEMPORARY_ACCESS_PASS_TYPE = "#microsoft.graph.temporaryAccessPassAuthenticationMethod";
const MINUTE_MS = 60_000;

export function isTapSignIn(signIn: SignInRecord): boolean {
  return (signIn.authenticationDetails ?? []).some(
    (d) => d.succeeded !== false && /temporary access pass/i.test(d.authenticationMethod ?? ""),
  );
}

/** Evidence instants are exact (ISO); the agent's card shows them in local time. */
export function formatInstant(ms: number): string {
  return new Date(ms).toISOString();
}

export function tapEvidence(tap: TemporaryAccessPassMethod): Evidence[] {
  const start = tap.startDateTime ?? tap.createdDateTime ?? null;
  const expires =
    start && tap.lifetimeInMinutes ? formatInstant(Date.parse(start) + tap.lifetimeInMinutes * MINUTE_MS) : "—";
  return [
    { label: diagnosisText("evidence.tapState"), value: tap.methodUsabilityReason ?? String(tap.isUsable) },
    { label: diagnosisText("evidence.tapOneTime"), value: String(tap.isUsableOnce) },
    { label: diagnosisText("evidence.tapExpires"), value: expires },
  ];
}

export type TapTargeting =
  | { kind: "targeted" }
  | { kind: "notTargeted" | "policyDisabled" }
  | { kind: "unknown"; missing: LocalizedText };

export function tapTargeting(input: TriageInput): TapTargeting {
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
export type TapState =
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

export function tapState(
  tap: TemporaryAccessPassMethod,
  policy: TemporaryAccessPassPolicy | null,
  now: Date,
): TapState {
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
