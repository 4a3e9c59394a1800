import { localizedText } from "../../cards/localized-text.js";
import { auditedTransition } from "./audited-transition.js";
import { reportsTo, sameId } from "./check-tap-preconditions.js";
import { expireTapRequest, isOverdue } from "./expire-tap-requests.js";
import { loadTapRequest } from "./load-tap-request.js";
import { deliver, notifyApprover, notifySecondApprovers } from "./notify.js";
import { withRefusalAudit } from "./tap-audit.js";
import { approvalCard, deliveryFailedTo, issuedCard, literal, statusCard } from "./tap-card-data.js";
import type { TapDependencies } from "./tap-dependencies.js";
import {
  ApproverReportsToTargetError,
  NotApproverError,
  NotTargetError,
  SecondApproverNotAdminError,
  StaleRequestError,
} from "./tap-errors.js";
import type { TapCard, Versioned } from "./tap-ports.js";
import type { Actor, PersonRef, TapRequest } from "./tap-request.js";
import { statusNameText } from "./tap-words.js";

/** tap.confirm — the target says they asked for help; the request goes on to the approver. */
export async function confirmTapRequest(deps: TapDependencies, actor: Actor, requestId: unknown): Promise<TapCard> {
  return decide(deps, actor, requestId, "tap.confirm", assertTarget, async (stored) => {
    const confirmed = await auditedTransition(deps, stored, { type: "confirm" }, () => ({
      action: "tap.confirmed",
      actorId: actor.id,
    }));
    const delivered = await notifyApprover(deps, confirmed.value, approvalCard(confirmed.value));
    return statusCard(
      confirmed.value,
      localizedText("tap.statusConfirmedTitle"),
      delivered
        ? localizedText("tap.statusConfirmedMessage")
        : confirmed.value.approver.kind === "user"
          ? deliveryFailedTo(confirmed.value.approver.user)
          : localizedText("tap.statusDeliveryFailed"),
    );
  });
}

/** tap.decline — the target did not ask for help: the request is denied and the agent told. */
export async function declineTapRequest(deps: TapDependencies, actor: Actor, requestId: unknown): Promise<TapCard> {
  return decide(deps, actor, requestId, "tap.decline", assertTarget, async (stored) => {
    const declined = await auditedTransition(deps, stored, { type: "decline" }, (next) => ({
      action: "tap.declined",
      actorId: actor.id,
      details: { reason: next.denialReason },
    }));
    await deliver(
      deps,
      declined.value,
      declined.value.requester,
      statusCard(
        declined.value,
        localizedText("tap.statusDeclinedTitle"),
        localizedText("tap.statusDeclinedToRequester"),
      ),
    );
    return statusCard(
      declined.value,
      localizedText("tap.statusDeclinedTitle"),
      localizedText("tap.statusDeclinedMessage"),
    );
  });
}

/**
 * tap.approve — the rightful approver approves. No pass is created here: the request becomes `approved` and the
 * requesting agent gets "Issue and show", which creates the pass in their own turn when they are with the person.
 * A target who holds a role in the bot needs a second approval by a Helpdesk Admin first (two-person rule).
 */
export async function approveTapRequest(deps: TapDependencies, actor: Actor, requestId: unknown): Promise<TapCard> {
  return decide(deps, actor, requestId, "tap.approve", assertApprover, async (stored, approver) => {
    const issueBy = new Date(deps.clock().getTime() + deps.settings.requestExpiryMinutes * 60_000).toISOString();
    // One ledger entry either way: the first of two approvals, or the approval itself.
    const approved = await auditedTransition(deps, stored, { type: "approve", by: approver, issueBy }, (next) =>
      next.status !== "approved"
        ? { action: "tap.firstApproved", actorId: actor.id, details: { confirmation: next.confirmation } }
        : {
            action: "tap.approved",
            actorId: actor.id,
            details: {
              confirmation: next.confirmation,
              ...(next.firstApproval ? { firstApprovedBy: next.firstApproval.by.id } : {}),
              issueBy,
            },
          },
    );
    if (approved.value.status !== "approved") {
      const delivered = await notifySecondApprovers(deps, approved.value, approvalCard(approved.value));
      return statusCard(
        approved.value,
        localizedText("tap.statusFirstApprovedTitle"),
        localizedText(delivered ? "tap.statusFirstApprovedMessage" : "tap.statusDeliveryFailed"),
      );
    }
    await deliver(deps, approved.value, approved.value.requester, issuedCard(approved.value));
    return statusCard(
      approved.value,
      localizedText("tap.statusApprovedTitle"),
      localizedText("tap.statusApprovedToAgent"),
    );
  });
}

/** tap.deny — the rightful approver denies, with a reason; the agent and the target are told. */
export async function denyTapRequest(
  deps: TapDependencies,
  actor: Actor,
  requestId: unknown,
  reason: unknown,
): Promise<TapCard> {
  return decide(deps, actor, requestId, "tap.deny", assertApprover, async (stored, approver) => {
    const why = typeof reason === "string" ? reason.trim().slice(0, 500) : "";
    // Ask on the same card, buttons kept: a missing reason is a question, not a fault.
    if (!why) return approvalCard(stored.value, { askReason: true });
    const denied = await auditedTransition(deps, stored, { type: "deny", by: approver, reason: why }, () => ({
      action: "tap.denied",
      actorId: actor.id,
      details: { reason: why },
    }));
    const notice = statusCard(
      denied.value,
      localizedText("tap.statusDeniedTitle"),
      localizedText("tap.statusDeniedNotice", { reason: literal(why) }),
    );
    // The approver is told the agent was told only when the card really went out.
    const delivered = await deliver(deps, denied.value, denied.value.requester, notice);
    return statusCard(
      denied.value,
      localizedText("tap.statusDeniedTitle"),
      delivered ? localizedText("tap.statusDeniedMessage") : deliveryFailedTo(denied.value.requester),
    );
  });
}

/**
 * Loads the request, authorizes the actor for it (before anything else happens to it, an expiry included), then
 * expires it if it is overdue or runs the decision.
 */
async function decide<Authorized>(
  deps: TapDependencies,
  actor: Actor,
  requestId: unknown,
  action: string,
  authorize: (deps: TapDependencies, actor: Actor, request: TapRequest) => Authorized | Promise<Authorized>,
  run: (stored: Versioned<TapRequest>, authorized: Authorized) => Promise<TapCard>,
): Promise<TapCard> {
  const id = typeof requestId === "string" ? requestId : null;
  let target: PersonRef | null = null;
  return withRefusalAudit(
    deps,
    {
      action,
      actor,
      requestId: id,
      get targetId() {
        return target?.id ?? null;
      },
      get targetUpn() {
        return target?.userPrincipalName ?? null;
      },
    },
    async () => {
      const stored = await loadTapRequest(deps, actor, requestId);
      target = stored.value.target;
      const authorized = await authorize(deps, actor, stored.value);
      try {
        // The sweeper expires requests once a minute; a click in between must not decide an expired request.
        if (isOverdue(stored.value, deps.clock())) {
          const expired = await expireTapRequest(deps, stored);
          if (!expired) throw new StaleRequestError();
          return statusCard(
            expired,
            localizedText("tap.statusExpiredTitle"),
            localizedText("tap.statusExpiredMessage"),
          );
        }
        return await run(stored, authorized);
      } catch (error) {
        // Another click or instance decided first: show what happened instead of an error.
        if (!(error instanceof StaleRequestError)) throw error;
        const current = (await deps.store.get(stored.value.id))?.value ?? stored.value;
        return statusCard(current, localizedText("tap.statusAlreadyDecidedTitle"), statusNameText(current.status));
      }
    },
  );
}

function assertTarget(_deps: TapDependencies, actor: Actor, request: TapRequest): void {
  if (!sameId(actor.id, request.target.id)) throw new NotTargetError();
}

/**
 * The approver is decided from the directory at the moment of the click, never from card data: the target's current
 * manager (named in the request), or a current TAP Approvers member; never the requester, never the target, never
 * someone who reports (transitively) to the target. For the second approval of a bot-role target: a current
 * Helpdesk Admin other than the first approver.
 */
async function assertApprover(deps: TapDependencies, actor: Actor, request: TapRequest): Promise<PersonRef> {
  if (sameId(actor.id, request.requester.id)) throw new NotApproverError("requester");
  if (sameId(actor.id, request.target.id)) throw new NotApproverError("target");
  const approver = await approverAtThisStage(deps, actor, request);
  if (await reportsTo(deps, actor.id, request.target.id)) throw new ApproverReportsToTargetError();
  return approver;
}

async function approverAtThisStage(deps: TapDependencies, actor: Actor, request: TapRequest): Promise<PersonRef> {
  if (request.requiresSecondApproval && request.firstApproval) {
    if (sameId(actor.id, request.firstApproval.by.id)) throw new SecondApproverNotAdminError("firstApprover");
    const adminsGroupId = deps.settings.adminsGroupId;
    const memberOf = adminsGroupId ? await deps.graph.checkMemberGroups(actor.id, [adminsGroupId], "interactive") : [];
    if (!memberOf.some((id) => sameId(id, adminsGroupId))) throw new SecondApproverNotAdminError("notAdmin");
    const user = await deps.graph.getUser(actor.id);
    return { id: user.id, userPrincipalName: user.userPrincipalName, displayName: user.displayName };
  }
  if (request.approver.kind === "user") {
    if (!sameId(actor.id, request.approver.user.id)) throw new NotApproverError("notApprover");
    const manager = await deps.graph.getManager(request.target.id);
    if (!manager || !sameId(manager.id, actor.id)) throw new NotApproverError("notApprover");
    return request.approver.user;
  }
  const memberOf = await deps.graph.checkMemberGroups(actor.id, [request.approver.groupId], "interactive");
  if (!memberOf.some((id) => sameId(id, request.approver.kind === "group" ? request.approver.groupId : ""))) {
    throw new NotApproverError("notApprover");
  }
  const user = await deps.graph.getUser(actor.id);
  return { id: user.id, userPrincipalName: user.userPrincipalName, displayName: user.displayName };
}
