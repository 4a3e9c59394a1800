import type { Platform, QuestionId, Verdict } from "../../../diagnosis/diagnosis-terms.js";
import type { TenantPolicySnapshot, UserAuthSnapshot } from "../../../graph/model.js";
import type { AuthenticatorCatalog } from "../../authenticators/create-authenticator-catalog.js";

/**
 * What the triage engine concludes about one person's passkey registration: the four questions of
 * ../../shared/reference/passkey-domain.md, each with a verdict, its evidence and the fixes. All text is carried as
 * locale keys with parameters (src/locales/<lang>/diagnosis.json), so the same diagnosis renders in English or Czech.
 */

export type { Platform, QuestionId, Verdict } from "../../../diagnosis/diagnosis-terms.js";
export { QUESTION_ORDER } from "../../../diagnosis/diagnosis-terms.js";

/** Questions Graph cannot answer; the person answers yes/no on the card. */
export type FollowUpId =
  | "windowsPinSet"
  | "tpmReady"
  | "bluetoothOn"
  | "authenticatorSignedIn"
  | "registeredInIcloudKeychain"
  | "severalGoogleAccounts"
  | "securityKeyIsFido2"
  | "browserHasUsbPermission";

/**
 * A locale key in src/locales/<lang>/diagnosis.json, relative to the `diagnosis` namespace, with its `{placeholder}`
 * values. The engine and its tests speak only that namespace; TriageCardText (../triage-card-text.ts) is the one place
 * these become src/cards LocalizedText values with full keys.
 */
export interface LocalizedText {
  key: string;
  params?: Record<string, string | number>;
}

/** One fact the verdict rests on: a group, a profile, an AAGUID with its name, a method, a sign-in time. */
export interface Evidence {
  label: LocalizedText;
  /** A name, id or time as read; a sentence about it is localized like every other text. */
  value: string | LocalizedText;
}

export interface Link {
  title: LocalizedText;
  url: string;
}

export interface QuestionResult {
  question: QuestionId;
  verdict: Verdict;
  /** One sentence: what was found. */
  summary: LocalizedText;
  evidence: Evidence[];
  /** What the person can do themselves, in plain words. Empty when nothing is theirs to do. */
  userFix: LocalizedText[];
  /** What an administrator must change (e.g. add AAGUID X to profile Y's allow list). */
  adminFix: LocalizedText[];
  links: Link[];
  /** For `unknown`: what could not be read and why. */
  missing?: LocalizedText;
  /** Yes/no questions that would sharpen this verdict; their answers come back in TriageInput.answers. */
  followUps: FollowUpId[];
}

/** Question 2 also says whether only a Temporary Access Pass can bootstrap the person. */
export type FreshMfaResult = QuestionResult & {
  /** No MFA method usable now and no usable TAP: only an agent-issued TAP bootstraps this person. */
  needsTemporaryAccessPass: boolean;
};

export interface Diagnosis {
  userId: string;
  userPrincipalName: string;
  displayName: string;
  platform: Platform;
  /** The authenticator evaluated in question 4, when one was named or inferred. */
  aaGuid: string | null;
  authenticatorName: string | null;
  questions: QuestionResult[];
  /** The first question whose verdict is `fail`, walking in QUESTION_ORDER; null when none fails. */
  firstBlocking: QuestionId | null;
  /** The person has no usable MFA method: only a Temporary Access Pass can bootstrap them (agent path). */
  needsTemporaryAccessPass: boolean;
  /** Where the symptom classifier suggested starting, when the person described what they saw. */
  suggestedStart: QuestionId | null;
  checkedDateTime: string;
}

/** Everything diagnosePasskeyRegistration looks at; it reads nothing else (no clock, no network). */
export interface TriageInput {
  policy: TenantPolicySnapshot;
  snapshot: UserAuthSnapshot;
  /** Where the person is trying; omitted ⇒ "unknown" (question 3 then asks). */
  platform?: Platform;
  /** The authenticator the person is trying to register, when known (picker, error page, audit event). */
  aaGuid?: string;
  /** What the person saw or wrote, in English or Czech; used to suggest where to start. */
  symptomText?: string;
  answers?: Partial<Record<FollowUpId, boolean>>;
  now: Date;
  catalog: Pick<AuthenticatorCatalog, "lookup">;
  /** Display names of groups, for evidence; ids are shown when a name is missing. */
  groupNames?: Record<string, string>;
}
