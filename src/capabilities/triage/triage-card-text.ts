import { type LocalizedText, localizedText } from "../../cards/localized-text.js";
import agentTexts from "../../locales/en/agent.json";
import type { LocalizedText as DiagnosisText, FollowUpId, Platform, QuestionId, Verdict } from "./engine/diagnosis.js";
import { diagnosisLocaleKey } from "./engine/diagnosis-text.js";

/**
 * The texts of the triage cards, as LocalizedText the renderer resolves. The engine's diagnosis texts carry keys
 * relative to the `diagnosis` locale namespace (the engine and its tests speak only that namespace); they become full
 * keys through diagnosisLocaleKey, as everywhere else they are shown.
 */

const VERDICT_LABELS: Record<Verdict, string> = {
  pass: "triage.verdictPass",
  fail: "triage.verdictFail",
  warn: "triage.verdictWarn",
  unknown: "triage.verdictUnknown",
};

const QUESTION_TITLES: Record<QuestionId, string> = {
  policyScope: "triage.questionPolicyScope",
  freshMfa: "triage.questionFreshMfa",
  platform: "triage.questionPlatform",
  authenticator: "triage.questionAuthenticator",
};

const PLATFORM_LABELS: Record<Platform, string> = {
  windows: "triage.platformWindows",
  ios: "triage.platformIos",
  android: "triage.platformAndroid",
  securityKey: "triage.platformSecurityKey",
  otherDeviceQr: "triage.platformOtherDeviceQr",
  unknown: "triage.platformUnknown",
};

const FOLLOW_UP_TEXTS: Record<FollowUpId, string> = {
  windowsPinSet: "triage.followUpWindowsPinSet",
  tpmReady: "triage.followUpTpmReady",
  bluetoothOn: "triage.followUpBluetoothOn",
  authenticatorSignedIn: "triage.followUpAuthenticatorSignedIn",
  registeredInIcloudKeychain: "triage.followUpRegisteredInIcloudKeychain",
  severalGoogleAccounts: "triage.followUpSeveralGoogleAccounts",
  securityKeyIsFido2: "triage.followUpSecurityKeyIsFido2",
  browserHasUsbPermission: "triage.followUpBrowserHasUsbPermission",
};

export const TriageCardText = {
  verdict: (verdict: Verdict): LocalizedText => localizedText(VERDICT_LABELS[verdict]),
  /** A question's title as the person reads it ("Can you prove it's you?"). */
  question: (question: QuestionId): LocalizedText => localizedText(QUESTION_TITLES[question]),
  /** A question's title about the person, for agents. */
  agentQuestion: (question: QuestionId): LocalizedText => localizedText(`agent.question.${question}`),
  platform: (platform: Platform): LocalizedText => localizedText(PLATFORM_LABELS[platform]),
  followUp: (id: FollowUpId): LocalizedText => localizedText(FOLLOW_UP_TEXTS[id]),
  /** An engine text (key relative to `diagnosis.`) as card text. */
  diagnosis: (text: DiagnosisText): LocalizedText => localizedText(diagnosisLocaleKey(text), text.params),
  /**
   * The agent's evidence speaks about the person in the third person ("The user has no usable MFA method"), while the
   * person's own card says "you". Summaries and read problems have a third-person twin in the `agent` namespace; a
   * text without one (fixes, evidence labels) reads the same for both.
   */
  forAgent: (text: DiagnosisText): LocalizedText =>
    Object.hasOwn(agentTexts, text.key)
      ? localizedText(`agent.${text.key}`, text.params)
      : TriageCardText.diagnosis(text),
};
