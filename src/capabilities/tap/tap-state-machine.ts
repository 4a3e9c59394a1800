import { InvalidTransitionError } from "./tap-errors.js";
import type { PersonRef, TapAftermath, TapFailure, TapRequest, TapRequestStatus } from "./tap-request.js";

/**
 * requested → confirmed → approved → issuing → issued | denied | expired | failed.
 * `approved` waits for the requesting agent's "Issue and show" press; the press that wins approved → issuing is the
 * only one that asks Graph for a pass. An issuance interrupted with nobody having seen the value goes back to
 * `approved` (`reoffer`) once the orphan pass is deleted.
 * Pure: the repository makes each transition an ETag-conditional write, so only one instance's transition wins.
 */
export type TapEvent =
  | { type: "confirm" }
  | { type: "decline" }
  /** `issueBy`: until when the approved request may be issued (the expiry restarts at approval). */
  | { type: "approve"; by: PersonRef; issueBy: string }
  | { type: "deny"; by: PersonRef; reason: string }
  | { type: "expire" }
  /** The requesting agent withdraws a request nobody has issued yet. */
  | { type: "cancel"; by: PersonRef }
  | { type: "beginIssuing" }
  | { type: "markIssued"; methodId: string; startDateTime: string | null; isValueLost: boolean }
  | { type: "reoffer" }
  | { type: "markFailed"; failure: TapFailure }
  | { type: "recordAftermath"; aftermath: TapAftermath };

const ALLOWED_FROM: Record<TapEvent["type"], readonly TapRequestStatus[]> = {
  confirm: ["requested"],
  decline: ["requested"],
  approve: ["requested", "confirmed"],
  deny: ["requested", "confirmed"],
  expire: ["requested", "confirmed", "approved"],
  cancel: ["requested", "confirmed", "approved"],
  beginIssuing: ["approved"],
  markIssued: ["issuing"],
  reoffer: ["issuing"],
  markFailed: ["approved", "issuing"],
  recordAftermath: ["issued"],
};

const ACTION_WORDS: Record<TapEvent["type"], string> = {
  confirm: "confirmed",
  decline: "declined",
  approve: "approved",
  deny: "denied",
  expire: "expired",
  cancel: "cancelled",
  beginIssuing: "issued",
  markIssued: "marked issued",
  reoffer: "offered again",
  markFailed: "marked failed",
  recordAftermath: "revoked",
};

export function canApply(request: TapRequest, type: TapEvent["type"]): boolean {
  return ALLOWED_FROM[type].includes(request.status);
}

export function tapStateMachine(request: TapRequest, event: TapEvent, now: string): TapRequest {
  if (!canApply(request, event.type)) throw new InvalidTransitionError(request.status, ACTION_WORDS[event.type]);
  const next: TapRequest = { ...request, updatedAt: now };
  switch (event.type) {
    case "confirm":
      if (request.confirmation === "confirmed") throw new InvalidTransitionError(request.status, "confirmed again");
      return { ...next, status: "confirmed", confirmation: "confirmed" };
    case "decline":
      return {
        ...next,
        status: "denied",
        decidedAt: now,
        decidedBy: request.target,
        denialReason: "The target user said they did not ask for help",
      };
    case "approve":
      // Unconfirmed requests reach the approver only when the agent said the user cannot reach Teams.
      if (request.status === "requested" && request.confirmation !== "unreachable") {
        throw new InvalidTransitionError(request.status, "approved before the target confirmed");
      }
      // Two-person rule: the first approval is recorded and the request waits for the second.
      if (request.requiresSecondApproval && !request.firstApproval) {
        return { ...next, firstApproval: { by: event.by, at: now } };
      }
      return { ...next, status: "approved", decidedBy: event.by, decidedAt: now, expiresAt: event.issueBy };
    case "deny":
      return { ...next, status: "denied", decidedBy: event.by, decidedAt: now, denialReason: event.reason };
    case "expire":
      return { ...next, status: "expired", decidedAt: now };
    case "cancel":
      return { ...next, status: "cancelled", decidedBy: event.by, decidedAt: now };
    case "beginIssuing":
      return { ...next, status: "issuing", issuingAt: now };
    case "markIssued":
      return {
        ...next,
        status: "issued",
        issuedAt: now,
        methodId: event.methodId,
        startDateTime: event.startDateTime,
        isValueLost: event.isValueLost,
        // Issue on reveal: the value goes out in the very turn that created the pass.
        revealedAt: event.isValueLost ? null : now,
        aftermath: { state: "watching" },
      };
    case "reoffer":
      return { ...next, status: "approved", issuingAt: null };
    case "markFailed":
      return { ...next, status: "failed", failure: event.failure };
    case "recordAftermath":
      if (request.aftermath && request.aftermath.state !== "watching") {
        throw new InvalidTransitionError(request.aftermath.state, "revoked again");
      }
      return { ...next, aftermath: event.aftermath };
  }
}
