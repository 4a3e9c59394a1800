import { InvalidTransitionError } from "./tap-errors.js";
import type { PersonRef, TapAftermath, TapFailure, TapRequest, TapRequestStatus } from "./tap-request.js";

/**
 * requested → confirmed → approved → issuing → issued | denied | expired | failed.
 * Pure: the repository makes each transition an ETag-conditional write, so only one instance's transition wins.
 */
export type TapEvent =
  | { type: "confirm" }
  | { type: "decline" }
  | { type: "approve"; by: PersonRef }
  | { type: "deny"; by: PersonRef; reason: string }
  | { type: "expire" }
  | { type: "beginIssuing" }
  | { type: "markIssued"; methodId: string; startDateTime: string | null; isValueLost: boolean }
  | { type: "markFailed"; failure: TapFailure }
  | { type: "reveal" }
  | { type: "loseValue" }
  | { type: "recordAftermath"; aftermath: TapAftermath };

const ALLOWED_FROM: Record<TapEvent["type"], readonly TapRequestStatus[]> = {
  confirm: ["requested"],
  decline: ["requested"],
  approve: ["requested", "confirmed"],
  deny: ["requested", "confirmed"],
  expire: ["requested", "confirmed"],
  beginIssuing: ["approved"],
  markIssued: ["issuing"],
  markFailed: ["approved", "issuing"],
  reveal: ["issued"],
  loseValue: ["issued"],
  recordAftermath: ["issued"],
};

const ACTION_WORDS: Record<TapEvent["type"], string> = {
  confirm: "confirmed",
  decline: "declined",
  approve: "approved",
  deny: "denied",
  expire: "expired",
  beginIssuing: "issued",
  markIssued: "marked issued",
  markFailed: "marked failed",
  reveal: "revealed",
  loseValue: "marked lost",
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
      return { ...next, status: "approved", decidedBy: event.by, decidedAt: now };
    case "deny":
      return { ...next, status: "denied", decidedBy: event.by, decidedAt: now, denialReason: event.reason };
    case "expire":
      return { ...next, status: "expired", decidedAt: now };
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
        aftermath: { state: "watching" },
      };
    case "markFailed":
      return { ...next, status: "failed", failure: event.failure };
    case "reveal":
      if (request.revealedAt !== null || request.isValueLost)
        throw new InvalidTransitionError("revealed", "revealed again");
      return { ...next, revealedAt: now };
    case "loseValue":
      return { ...next, isValueLost: true };
    case "recordAftermath":
      if (request.aftermath && request.aftermath.state !== "watching") {
        throw new InvalidTransitionError(request.aftermath.state, "revoked again");
      }
      return { ...next, aftermath: event.aftermath };
  }
}
