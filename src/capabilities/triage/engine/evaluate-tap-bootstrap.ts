import type { TemporaryAccessPassMethod } from "../../../graph/model.js";
import { describeReadProblem } from "./describe-read-problem.js";
import type { FreshMfaResult, LocalizedText, TriageInput } from "./diagnosis.js";
import { diagnosisText, LINKS } from "./diagnosis-text.js";
import {
  formatInstant,
  isTapSignIn,
  ONE_TIME_TAP_WINDOW_MINUTES,
  type TapTargeting,
  tapState,
  tapTargeting,
} from "./temporary-access-pass-state.js";

const TAP_WINDOW_MS = ONE_TIME_TAP_WINDOW_MINUTES * 60_000;
const MINUTE_MS = 60_000;

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

/** No MFA method usable now: only a TAP the person holds (usable, targeted) or one an agent issues bootstraps them. */
export function evaluateTapBootstrap(
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
