import { sameId } from "./check-tap-preconditions.js";
import { expireTapRequest, isOverdue } from "./expire-tap-requests.js";
import { issueTap } from "./issue-tap.js";
import { loadTapRequest } from "./load-tap-request.js";
import { deliver, notifyApprover } from "./notify.js";
import { auditTap, withRefusalAudit } from "./tap-audit.js";
import { approvalCard, statusCard, text } from "./tap-card-data.js";
import type { TapDependencies } from "./tap-dependencies.js";
import { DenialReasonRequiredError, NotApproverError, NotTargetError, StaleRequestError } from "./tap-errors.js";
import type { TapCard, Versioned } from "./tap-ports.js";
import type { Actor, PersonRef, TapRequest } from "./tap-request.js";
import { type TapEvent, tapStateMachine } from "./tap-state-machine.js";

/** tap.confirm — the target says they asked for help; the request goes on to the approver. */
export async function confirmTapRequest(deps: TapDependencies, actor: Actor, requestId: unknown): Promise<TapCard> {
  return decide(deps, actor, requestId, "tap.confirm", assertTarget, async (stored) => {
    const confirmed = await transition(deps, stored, { type: "confirm" });
    await auditTap(deps, "tap.confirmed", confirmed.value, actor.id);
    const delivered = await notifyApprover(deps, confirmed.value, approvalCard(confirmed.value));
    return statusCard(
      confirmed.value,
      text("status.confirmed.title"),
      text(delivered ? "status.confirmed.message" : "status.deliveryFailed"),
    );
  });
}

/** tap.decline — the target did not ask for help: the request is denied and the agent told. */
export async function declineTapRequest(deps: TapDependencies, actor: Actor, requestId: unknown): Promise<TapCard> {
  return decide(deps, actor, requestId, "tap.decline", assertTarget, async (stored) => {
    const declined = await transition(deps, stored, { type: "decline" });
    await auditTap(deps, "tap.declined", declined.value, actor.id, { reason: declined.value.denialReason });
    await deliver(
      deps,
      declined.value,
      declined.value.requester,
      statusCard(declined.value, text("status.declined.title"), text("status.declined.toRequester")),
    );
    return statusCard(declined.value, text("status.declined.title"), text("status.declined.message"));
  });
}

/** tap.approve — the rightful approver approves; this instance then issues the TAP if it wins approved→issuing. */
export async function approveTapRequest(deps: TapDependencies, actor: Actor, requestId: unknown): Promise<TapCard> {
  return decide(deps, actor, requestId, "tap.approve", assertApprover, async (stored, approver) => {
    const approved = await transition(deps, stored, { type: "approve", by: approver });
    await auditTap(deps, "tap.approved", approved.value, actor.id, { confirmation: approved.value.confirmation });
    const outcome = await issueTap(deps, approved);
    if (outcome.status === "issued")
      return statusCard(outcome, text("status.approved.title"), text("status.approved.issued"));
    if (outcome.status === "failed") {
      return statusCard(
        outcome,
        text("status.failed.title"),
        text(`failure.${outcome.failure?.key ?? "unknown"}`, outcome.failure?.params),
      );
    }
    return statusCard(outcome, text("status.approved.title"), text("status.approved.pending"));
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
    if (!why) throw new DenialReasonRequiredError();
    const denied = await transition(deps, stored, { type: "deny", by: approver, reason: why });
    await auditTap(deps, "tap.denied", denied.value, actor.id, { reason: why });
    const notice = statusCard(denied.value, text("status.denied.title"), text("status.denied.notice", { reason: why }));
    await deliver(deps, denied.value, denied.value.requester, notice);
    return statusCard(denied.value, text("status.denied.title"), text("status.denied.message"));
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
          return statusCard(expired, text("status.expired.title"), text("status.expired.message"));
        }
        return await run(stored, authorized);
      } catch (error) {
        // Another click or instance decided first: show what happened instead of an error.
        if (!(error instanceof StaleRequestError)) throw error;
        const current = (await deps.store.get(stored.value.id))?.value ?? stored.value;
        return statusCard(current, text("status.alreadyDecided.title"), text(`statusName.${current.status}`));
      }
    },
  );
}

async function transition(
  deps: TapDependencies,
  stored: Versioned<TapRequest>,
  event: TapEvent,
): Promise<Versioned<TapRequest>> {
  const next = tapStateMachine(stored.value, event, deps.clock().toISOString());
  return deps.store.update(next, stored.etag);
}

function assertTarget(_deps: TapDependencies, actor: Actor, request: TapRequest): void {
  if (!sameId(actor.id, request.target.id)) throw new NotTargetError();
}

/**
 * The approver is decided from the directory at the moment of the click, never from card data: the target's current
 * manager (named in the request), or a current TAP Approvers member; never the requester, never the target.
 */
async function assertApprover(deps: TapDependencies, actor: Actor, request: TapRequest): Promise<PersonRef> {
  if (sameId(actor.id, request.requester.id)) throw new NotApproverError("requester");
  if (sameId(actor.id, request.target.id)) throw new NotApproverError("target");
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
