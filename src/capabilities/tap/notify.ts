import { sameId } from "./check-tap-preconditions.js";
import { auditTap } from "./tap-audit.js";
import type { TapDependencies } from "./tap-dependencies.js";
import type { TapCard } from "./tap-ports.js";
import type { PersonRef, TapRequest } from "./tap-request.js";

/**
 * Sends a card to the request's approver: the manager, or every enabled member of the TAP Approvers group (read from
 * Graph now, nested groups included) except the requester and the target. True when at least one approver got it.
 */
export async function notifyApprover(deps: TapDependencies, request: TapRequest, card: TapCard): Promise<boolean> {
  if (request.approver.kind === "user") return deliver(deps, request, request.approver.user, card);
  return notifyGroup(deps, request, request.approver.groupId, card);
}

/**
 * Two-person rule: the second approval card goes to every enabled Helpdesk Admin but the requester, the target and the
 * first approver. True when at least one got it.
 */
export async function notifySecondApprovers(
  deps: TapDependencies,
  request: TapRequest,
  card: TapCard,
): Promise<boolean> {
  return notifyGroup(deps, request, deps.settings.adminsGroupId, card, request.firstApproval?.by.id);
}

async function notifyGroup(
  deps: TapDependencies,
  request: TapRequest,
  groupId: string,
  card: TapCard,
  alsoExcept?: string,
): Promise<boolean> {
  let members: PersonRef[];
  try {
    members = (await deps.graph.listGroupMembers(groupId, "interactive"))
      .filter((member) => member.accountEnabled !== false)
      .filter((member) => !sameId(member.id, request.requester.id) && !sameId(member.id, request.target.id))
      .filter((member) => !sameId(member.id, alsoExcept))
      .map((member) => ({
        id: member.id,
        userPrincipalName: member.userPrincipalName,
        displayName: member.displayName,
      }));
  } catch (error) {
    await auditTap(deps, "tap.deliveryFailed", request, null, {
      card: card.name,
      recipient: `group:${groupId}`,
      error: error instanceof Error ? error.name : "unknown",
    });
    return false;
  }
  if (members.length === 0) {
    await auditTap(deps, "tap.deliveryFailed", request, null, {
      card: card.name,
      recipient: `group:${groupId}`,
      error: "NoEligibleApprover",
    });
    return false;
  }
  let delivered = 0;
  for (const member of members) if (await deliver(deps, request, member, card)) delivered += 1;
  return delivered > 0;
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
