/**
 * A Temporary Access Pass request as it is stored (src/storage/tap-request-repository.ts). It never holds the TAP
 * value: the pass is created in the requesting agent's own "Issue and show" turn and its value goes only into that
 * turn's Action.Execute response.
 */

export const TAP_REQUEST_STATUSES = [
  "requested",
  "confirmed",
  "approved",
  "issuing",
  "issued",
  "denied",
  "expired",
  "failed",
  "cancelled",
] as const;
export type TapRequestStatus = (typeof TAP_REQUEST_STATUSES)[number];

/** Statuses from which nothing further happens to the request (an issued TAP is still watched for auto-revoke). */
export const TERMINAL_STATUSES: readonly TapRequestStatus[] = ["issued", "denied", "expired", "failed", "cancelled"];
/** Statuses that block another request for the same target. */
export const PENDING_STATUSES: readonly TapRequestStatus[] = ["requested", "confirmed", "approved", "issuing"];

/** How the agent verified the caller's identity; free text alone is not enough. */
export const IDENTITY_VERIFICATION_METHODS = [
  "videoCallPhotoId",
  "inPersonBadge",
  "callBackNumberOnFile",
  "managerVouchedInPerson",
] as const;
export type IdentityVerificationMethod = (typeof IDENTITY_VERIFICATION_METHODS)[number];

/**
 * Whether the target confirmed in Teams that they asked for help: `pending` until they answer, `confirmed`,
 * or `unreachable` when the agent says the user cannot reach Teams (the approver sees a "not confirmed" flag).
 */
export type TargetConfirmation = "pending" | "confirmed" | "unreachable";

export interface PersonRef {
  id: string;
  userPrincipalName: string;
  displayName: string | null;
}

/** The approver: the target's directory manager, or any member of the TAP Approvers group when there is none. */
export type ApproverRef = { kind: "user"; user: PersonRef } | { kind: "group"; groupId: string };

/**
 * What happened to the issued TAP afterwards (the auto-revoke watcher's record): `watching` until a passkey follows
 * it (`revoked`), its lifetime passes (`lapsed`), or its target is deleted from the directory, taking every
 * authentication method with it (`deleted`). Every state but `watching` ends the watch.
 */
export interface TapAftermath {
  state: "watching" | "revoked" | "lapsed" | "deleted";
  /** When the watcher acted, i.e. when the watch ended. */
  at?: string;
  /** Why the watch ended when no passkey was seen, e.g. the lifetime ended while Graph could not read the target. */
  reason?: string;
  resultingPasskey?: { id: string; aaGuid: string | null; displayName: string | null; attestationLevel: string | null };
}

/** `key` is the locale key (tap.failure.<key>) people read; `message` the English rule for the ledger. */
export interface TapFailure {
  key: string;
  message: string;
  retryable: boolean;
  params?: Record<string, string | number>;
  /** What Graph answered (status, code, its message, request id), for the ledger and support; never shown as the rule. */
  cause?: string;
}

/** An approval given by one person (the first of two when the target holds a role in the bot). */
export interface TapApproval {
  by: PersonRef;
  at: string;
}

/**
 * A ledger entry owed for a decision written to this request (an outbox): the decision and this note are one Table
 * write, the ledger append comes after. An instance killed in between leaves the note, and the reconciler appends the
 * entry unless the ledger already holds one with this `id` (details.auditId).
 */
export interface PendingAudit {
  id: string;
  at: string;
  event: {
    action: string;
    requestId: string;
    actorId: string | null;
    targetId: string | null;
    targetUpn: string | null;
    details: Record<string, string | number | boolean | null>;
  };
}

export interface TapRequest {
  id: string;
  tenantId: string;
  status: TapRequestStatus;
  requester: PersonRef;
  target: PersonRef;
  approver: ApproverRef;
  reason: string;
  identityVerification: IdentityVerificationMethod;
  identityVerificationNote: string | null;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  multiUseJustification: string | null;
  confirmation: TargetConfirmation;
  /** Why a TAP is needed, as the agent's triage found it; shown to the approver. */
  triageSummary?: string | null;
  /**
   * The target is a help-desk agent, Helpdesk Admin or TAP approver: a pass for them could approve or issue passes,
   * so a Helpdesk Admin who is neither requester nor target must approve too (two-person rule).
   */
  requiresSecondApproval?: boolean;
  /** The first approval, while the second (a Helpdesk Admin's) is awaited. */
  firstApproval?: TapApproval | null;
  createdAt: string;
  expiresAt: string;
  updatedAt: string;
  decidedBy: PersonRef | null;
  decidedAt: string | null;
  denialReason: string | null;
  /** Written in the approved→issuing transition; a TAP created after it belongs to this request. */
  issuingAt: string | null;
  issuedAt: string | null;
  /** Graph's method id and window of the issued TAP — never its value. */
  methodId: string | null;
  startDateTime: string | null;
  /** Why issuance failed, for the agent; `retryable` ⇒ a new request may succeed. */
  failure: TapFailure | null;
  /** The pass was created but its value never reached the agent (kept for requests stored before issue-on-reveal). */
  isValueLost: boolean;
  /** When the value was shown: the same turn that created the pass. */
  revealedAt: string | null;
  aftermath: TapAftermath | null;
  /** Ledger entries owed for decisions already written; empty once the ledger holds them. */
  pendingAudits?: PendingAudit[];
}

/** The person who pressed a button or typed a command, exactly as the activity identifies them. */
export interface Actor {
  /** Entra object id (activity.from.aadObjectId). */
  id: string;
  /** activity.conversation.tenantId / channelData.tenant.id. */
  tenantId: string;
  name?: string | null;
}

export function isPending(request: TapRequest): boolean {
  return PENDING_STATUSES.includes(request.status);
}
