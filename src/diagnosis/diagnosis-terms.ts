/**
 * The words of a passkey diagnosis that more than one capability speaks: triage produces them, tickets and the cards
 * show them. They live outside both so tickets need nothing from triage and the dependency goes one way
 * (triage → tickets). The full diagnosis model stays with its engine (src/capabilities/triage/engine/diagnosis.ts).
 */

/** The four independent reasons a registration fails, in the order they are walked. */
export type QuestionId = "policyScope" | "freshMfa" | "platform" | "authenticator";
export const QUESTION_ORDER: readonly QuestionId[] = ["policyScope", "freshMfa", "platform", "authenticator"];

/** `unknown` always says what was missing (a permission the app lacks, data Graph does not have, an outage). */
export type Verdict = "pass" | "fail" | "warn" | "unknown";

/** Where the person is trying to create the passkey. */
export type Platform = "windows" | "ios" | "android" | "securityKey" | "otherDeviceQr" | "unknown";

/** What a diagnosis says in short, the part a help-desk ticket keeps: verdicts and choices, never evidence values. */
export interface DiagnosisHeadline {
  platform: Platform;
  aaGuid: string | null;
  authenticatorName: string | null;
  firstBlocking: QuestionId | null;
  questions: ReadonlyArray<{ question: QuestionId; verdict: Verdict }>;
  needsTemporaryAccessPass: boolean;
  checkedDateTime: string;
}
