import { localizedText } from "../../cards/localized-text.js";
import { translate } from "../../locales/translate.js";
import { assertAgent, sameId } from "./check-tap-preconditions.js";
import { approvalCard, statusCard } from "./tap-card-data.js";
import type { TapDependencies } from "./tap-dependencies.js";
import { WrongTenantError } from "./tap-errors.js";
import type { TapCard } from "./tap-ports.js";
import { type Actor, PENDING_STATUSES, type TapRequest } from "./tap-request.js";

/**
 * The requests waiting for this person's decision now, as approval cards: as the target's manager, as a TAP
 * Approvers member (no manager), or as a Helpdesk Admin for a second approval — never their own request or one about
 * them. Read from storage and the directory, so a manager who opens the bot after the request still finds it; every
 * click is authorized again.
 */
export async function listPendingApprovals(deps: TapDependencies, actor: Actor): Promise<TapCard[]> {
  if (!sameId(actor.tenantId, deps.settings.tenantId)) throw new WrongTenantError();
  const undecided = (await deps.store.listByStatus(["requested", "confirmed"]))
    .map((stored) => stored.value)
    .filter((request) => request.status === "confirmed" || request.confirmation === "unreachable")
    .filter((request) => !sameId(request.requester.id, actor.id) && !sameId(request.target.id, actor.id))
    .filter((request) => Date.parse(request.expiresAt) > deps.clock().getTime());
  if (undecided.length === 0) return [];
  const groups = [deps.settings.approversGroupId, deps.settings.adminsGroupId].filter(Boolean);
  const memberOf = new Set(
    (await deps.graph.checkMemberGroups(actor.id, groups, "interactive")).map((id) => id.toLowerCase()),
  );
  const isIn = (groupId: string) => memberOf.has(groupId.toLowerCase());
  const mine = (request: TapRequest) => {
    if (request.requiresSecondApproval && request.firstApproval) {
      return isIn(deps.settings.adminsGroupId) && !sameId(request.firstApproval.by.id, actor.id);
    }
    if (request.approver.kind === "user") return sameId(request.approver.user.id, actor.id);
    return isIn(request.approver.groupId);
  };
  return undecided
    .filter(mine)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .map((request) => approvalCard(request));
}

/**
 * The welcome and help cards' note on how many requests wait for this person's decision, in their language: a manager
 * who opens the bot after the request learns that a decision waits. Null when none does (or the caller is unknown).
 */
export async function pendingApprovalsNote(
  deps: TapDependencies,
  actor: Actor,
  locale: string,
): Promise<string | null> {
  if (!actor.id) return null;
  const count = (await listPendingApprovals(deps, actor)).length;
  return count > 0 ? translate(locale, "tap.pendingApprovalsNote", { count }) : null;
}

/**
 * `tap status <UPN>` — the agent sees the pending request for a user (who asked, its state), with Cancel for the
 * request's own requester and "Issue and show" when it is approved; or that there is none.
 */
export async function showPendingTapRequests(
  deps: TapDependencies,
  actor: Actor,
  targetUserId: string,
): Promise<TapCard[]> {
  await assertAgent(deps, actor);
  const pending = (await deps.store.listByStatus(PENDING_STATUSES))
    .map((stored) => stored.value)
    .filter((request) => sameId(request.target.id, targetUserId));
  return pending.map((request) => pendingRequestCard(request, actor));
}

/** A pending request as its status card, with the actions the caller may take on it. */
export function pendingRequestCard(request: TapRequest, actor: Actor): TapCard {
  const isRequester = sameId(request.requester.id, actor.id);
  return statusCard(
    request,
    localizedText("tap.statusPendingTitle"),
    localizedText("tap.statusPendingMessage", {
      requester: request.requester.displayName ?? request.requester.userPrincipalName,
      status: request.status,
      createdAt: request.createdAt,
    }),
    {
      offerCancel: isRequester && request.status !== "issuing",
      offerIssue: isRequester && request.status === "approved",
    },
  );
}
