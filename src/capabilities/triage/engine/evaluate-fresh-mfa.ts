import type { AuthenticationMethod, Fido2Method, TemporaryAccessPassMethod } from "../../../graph/model.js";
import { describeReadProblem } from "./describe-read-problem.js";
import type { Evidence, FreshMfaResult, TriageInput } from "./diagnosis.js";
import { diagnosisText, LINKS } from "./diagnosis-text.js";
import { evaluateMfaFreshness, MFA_FRESHNESS_MINUTES } from "./evaluate-mfa-freshness.js";
import { evaluateTapBootstrap } from "./evaluate-tap-bootstrap.js";
import { findRegistrationLoop, type SignInFactor } from "./find-registration-loop.js";
import { isPasskeyUsableNow } from "./is-passkey-usable-now.js";
import {
  TEMPORARY_ACCESS_PASS_TYPE as TAP_TYPE,
  tapEvidence,
  tapState,
  tapTargeting,
} from "./temporary-access-pass-state.js";

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

const FIDO2_TYPE = "#microsoft.graph.fido2AuthenticationMethod";

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
