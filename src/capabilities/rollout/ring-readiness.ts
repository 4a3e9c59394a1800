import type { PersonRef } from "../inventory/find-insights.js";
import type { LocalizedText, QuestionId } from "../triage/engine/diagnosis.js";

export interface RingFunnel {
  members: number;
  inPolicy: number;
  canProveIdentity: number;
  platformReady: number;
  authenticatorAccepted: number;
  registered: number;
}

export interface BlockerGroup {
  question: QuestionId;
  /** The admin fix that clears the group (the triage's first admin fix for these members); null when none exists. */
  fix: LocalizedText | null;
  count: number;
  people: PersonRef[];
}

export type NextStep = "fixBlockers" | "waitForRegistrations" | "tightenAllowList" | "requirePhishingResistant";

export interface RingReadiness {
  ringId: string;
  ringName: string;
  funnel: RingFunnel;
  blockers: BlockerGroup[];
  /** AAGUIDs the ring's members actually registered, named: what an allow list should hold (rollout step 4). */
  recommendedAllowList: Array<{ aaGuid: string; name: string; count: number }>;
  /** Members (enabled) who would be locked out if phishing-resistant sign-in were required now. */
  withoutPhishingResistant: number;
  nextStep: NextStep;
  isSafeToRequirePhishingResistant: boolean;
}

/** One member's prediction, as the triage would answer for them. */
export interface MemberPrediction {
  person: PersonRef;
  ringIds: string[];
  /** Where and with what the member is predicted to register (the triage's platform and AAGUID). */
  platform: string;
  aaGuid: string | null;
  firstBlocking: QuestionId | null;
  verdicts: Record<QuestionId, string>;
  needsTemporaryAccessPass: boolean;
}
