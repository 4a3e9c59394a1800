import { localizedText } from "../../cards/localized-text.js";
import { checkTapPreconditions, sameId } from "./check-tap-preconditions.js";
import { pendingRequestCard, showPendingTapRequests } from "./list-pending-approvals.js";
import { deliver, notifyApprover } from "./notify.js";
import { auditTap, withRefusalAudit } from "./tap-audit.js";
import {
  approvalCard,
  clampLifetime,
  confirmCard,
  deliveryFailedTo,
  lifetimeBounds,
  requestFormCard,
  statusCard,
} from "./tap-card-data.js";
import type { TapDependencies } from "./tap-dependencies.js";
import {
  IdentityVerificationRequiredError,
  MultiUseNotAllowedError,
  NoApproverError,
  PendingRequestExistsError,
  ReasonRequiredError,
  UnreachableNotAllowedError,
} from "./tap-errors.js";
import type { TapCard } from "./tap-ports.js";
import {
  type Actor,
  type ApproverRef,
  IDENTITY_VERIFICATION_METHODS,
  type IdentityVerificationMethod,
  type PersonRef,
  type TapRequest,
} from "./tap-request.js";

/** What the agent typed into tap-request-form (Action.Execute data, untrusted). */
export interface TapRequestInput {
  targetUserId: string;
  reason?: unknown;
  identityVerification?: unknown;
  identityVerificationNote?: unknown;
  lifetimeInMinutes?: unknown;
  isUsableOnce?: unknown;
  multiUseJustification?: unknown;
  /** The agent says the target cannot reach Teams to confirm; the approver then sees "not confirmed". */
  isTargetUnreachable?: unknown;
}

/** tap.requestForm / `tap <UPN>`: the form, after every precondition that can be checked before typing holds. */
export async function openTapRequestForm(deps: TapDependencies, actor: Actor, targetUserId: string): Promise<TapCard> {
  return withRefusalAudit(deps, { action: "tap.requestForm", actor, targetId: targetUserId }, async () => {
    const { target, policy, isBotRoleTarget } = await checkTapPreconditions(deps, actor, targetUserId);
    const [pending] = await showPendingTapRequests(deps, actor, target.id);
    if (pending) return pending;
    return requestFormCard(target, policy, {
      triageSummary: await serverTriageSummary(deps, target.id),
      isBotRoleTarget,
    });
  });
}

/** tap.submit: validates, stores the request, and asks the target to confirm (or the approver, if unreachable). */
export async function requestTap(deps: TapDependencies, actor: Actor, input: TapRequestInput): Promise<TapCard> {
  return withRefusalAudit(deps, { action: "tap.submit", actor, targetId: input.targetUserId }, async () => {
    const { requester, target, policy, isBotRoleTarget } = await checkTapPreconditions(
      deps,
      actor,
      String(input.targetUserId ?? ""),
    );

    const reason = trimmed(input.reason);
    if (!reason) throw new ReasonRequiredError();
    const identityVerification = String(input.identityVerification ?? "") as IdentityVerificationMethod;
    if (!IDENTITY_VERIFICATION_METHODS.includes(identityVerification)) throw new IdentityVerificationRequiredError();

    const bounds = lifetimeBounds(policy);
    const asked = Number(input.lifetimeInMinutes);
    const lifetimeInMinutes = clampLifetime(
      Number.isFinite(asked) && asked > 0 ? Math.min(asked, 240) : 60,
      bounds.minimum,
      bounds.maximum,
    );

    const wantsMultiUse = isFalse(input.isUsableOnce);
    const multiUseJustification = trimmed(input.multiUseJustification);
    if (wantsMultiUse && policy.isUsableOnce === true) throw new MultiUseNotAllowedError("policy");
    if (wantsMultiUse && !multiUseJustification) throw new MultiUseNotAllowedError("justification");

    const identityVerificationNote = trimmed(input.identityVerificationNote)?.slice(0, 500) ?? null;
    const isUnreachable = isTrue(input.isTargetUnreachable);
    // Skipping the person's own confirmation is the social-engineering path: never for someone who holds a role in
    // the bot, and otherwise only with the out-of-band verification stated for the approver to judge.
    if (isUnreachable && isBotRoleTarget) throw new UnreachableNotAllowedError("botRole");
    if (isUnreachable && !identityVerificationNote) throw new UnreachableNotAllowedError("verification");

    const approver = await chooseApprover(deps, requester.id, target.id);
    const now = deps.clock();
    const request: TapRequest = {
      id: deps.newId(),
      tenantId: deps.settings.tenantId,
      status: "requested",
      requester: person(requester),
      target: person(target),
      approver,
      reason: reason.slice(0, 500),
      identityVerification,
      identityVerificationNote,
      lifetimeInMinutes,
      isUsableOnce: !wantsMultiUse,
      multiUseJustification: wantsMultiUse ? (multiUseJustification ?? null) : null,
      confirmation: isUnreachable ? "unreachable" : "pending",
      // Recomputed here, after authorization: the approver reads the server's triage, not text the form sent back.
      triageSummary: (await serverTriageSummary(deps, target.id)) || null,
      requiresSecondApproval: isBotRoleTarget,
      firstApproval: null,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + deps.settings.requestExpiryMinutes * 60_000).toISOString(),
      updatedAt: now.toISOString(),
      decidedBy: null,
      decidedAt: null,
      denialReason: null,
      issuingAt: null,
      issuedAt: null,
      methodId: null,
      startDateTime: null,
      failure: null,
      isValueLost: false,
      revealedAt: null,
      aftermath: null,
    };
    try {
      await deps.store.create(request);
    } catch (error) {
      // A second request for the same person shows the pending one (with Cancel for its requester), form kept aside.
      if (!(error instanceof PendingRequestExistsError)) throw error;
      const pending = await deps.store.get(error.pendingRequestId);
      if (!pending) throw error;
      return pendingRequestCard(pending.value, actor);
    }
    await auditTap(deps, "tap.requested", request, actor.id, {
      reason: request.reason,
      identityVerification,
      identityVerificationNote: request.identityVerificationNote,
      lifetimeInMinutes,
      isUsableOnce: request.isUsableOnce,
      multiUseJustification: request.multiUseJustification,
      confirmation: request.confirmation,
      approver: approver.kind === "user" ? approver.user.id : `group:${approver.groupId}`,
      requiresSecondApproval: isBotRoleTarget,
      expiresAt: request.expiresAt,
    });

    if (request.confirmation === "unreachable") {
      const delivered = await notifyApprover(deps, request, approvalCard(request));
      return statusCard(
        request,
        localizedText("tap.statusSubmittedTitle"),
        delivered
          ? localizedText("tap.statusSubmittedToApprover")
          : request.approver.kind === "user"
            ? deliveryFailedTo(request.approver.user)
            : localizedText("tap.statusDeliveryFailed"),
      );
    }
    const delivered = await deliver(deps, request, request.target, confirmCard(request));
    return statusCard(
      request,
      localizedText("tap.statusSubmittedTitle"),
      delivered ? localizedText("tap.statusSubmittedToTarget") : deliveryFailedTo(request.target),
    );
  });
}

/** The target's manager, unless that is the requester or the target; otherwise the TAP Approvers group. */
async function chooseApprover(deps: TapDependencies, requesterId: string, targetId: string): Promise<ApproverRef> {
  const manager = await deps.graph.getManager(targetId);
  if (manager && !sameId(manager.id, requesterId) && !sameId(manager.id, targetId)) {
    return { kind: "user", user: person(manager) };
  }
  if (!deps.settings.approversGroupId) throw new NoApproverError();
  return { kind: "group", groupId: deps.settings.approversGroupId };
}

function person(user: { id: string; userPrincipalName: string; displayName: string | null }): PersonRef {
  return { id: user.id, userPrincipalName: user.userPrincipalName, displayName: user.displayName };
}

function trimmed(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() ? value.trim() : undefined;
}

function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

function isFalse(value: unknown): boolean {
  return value === false || value === "false";
}

/** Why a TAP is needed, as the server's own triage of the target says; empty when no triage is wired in. */
async function serverTriageSummary(deps: TapDependencies, targetUserId: string): Promise<string> {
  return (await deps.summarizeTriage?.(targetUserId))?.slice(0, 1000) ?? "";
}
