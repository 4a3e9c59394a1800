import { auditTap } from "./tap-audit.js";
import type { TapDependencies } from "./tap-dependencies.js";
import type { TapCard } from "./tap-ports.js";
import type { PersonRef, TapRequest } from "./tap-request.js";

/** Sends a card to the request's approver (the manager, or the approvers group minus requester and target). */
export async function notifyApprover(deps: TapDependencies, request: TapRequest, card: TapCard): Promise<boolean> {
  try {
    if (request.approver.kind === "user") await deps.messenger.sendToUser(request.approver.user, card);
    else
      await deps.messenger.sendToApproversGroup(request.approver.groupId, card, [
        request.requester.id,
        request.target.id,
      ]);
    return true;
  } catch (error) {
    await auditTap(deps, "tap.deliveryFailed", request, null, {
      card: card.name,
      recipient: request.approver.kind === "user" ? request.approver.user.id : `group:${request.approver.groupId}`,
      error: error instanceof Error ? error.name : "unknown",
    });
    return false;
  }
}

/** Sends a card; a failed delivery is audited and reported, never silently dropped. */
export async function deliver(
  deps: TapDependencies,
  request: TapRequest,
  to: PersonRef,
  card: TapCard,
): Promise<boolean> {
  try {
    await deps.messenger.sendToUser(to, card);
    return true;
  } catch (error) {
    await auditTap(deps, "tap.deliveryFailed", request, null, {
      card: card.name,
      recipient: to.id,
      error: error instanceof Error ? error.name : "unknown",
    });
    return false;
  }
}
