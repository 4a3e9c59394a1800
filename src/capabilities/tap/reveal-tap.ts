import { localizedText } from "../../cards/localized-text.js";
import { assertAgent, sameId } from "./check-tap-preconditions.js";
import { expireTapRequest, isOverdue } from "./expire-tap-requests.js";
import { issueTap } from "./issue-tap.js";
import { loadTapRequest } from "./load-tap-request.js";
import { auditTap, withRefusalAudit } from "./tap-audit.js";
import { revealedCard, statusCard } from "./tap-card-data.js";
import type { TapDependencies } from "./tap-dependencies.js";
import { InvalidTransitionError, NotPersonalChatError, NotRequesterError, StaleRequestError } from "./tap-errors.js";
import type { TapCard } from "./tap-ports.js";
import type { Actor, TapRequest } from "./tap-request.js";
import { tapStateMachine } from "./tap-state-machine.js";
import { failureText, statusNameText } from "./tap-words.js";

/**
 * tap.reveal — "Issue and show": the requesting agent, in their personal chat, with the person, presses it on an
 * approved request. This very turn creates the pass (only the press that wins approved→issuing calls Graph, whatever
 * the instance or number of presses) and the returned card — the Action.Execute response — is the only place its
 * value ever appears. A later press sees `issued` and says so; the value is never held anywhere to show it again.
 */
export async function revealTap(
  deps: TapDependencies,
  actor: Actor,
  requestId: unknown,
  conversationType: string | undefined,
): Promise<TapCard> {
  const id = typeof requestId === "string" ? requestId : null;
  return withRefusalAudit(deps, { action: "tap.reveal", actor, requestId: id }, async () => {
    const stored = await loadTapRequest(deps, actor, requestId);
    const request = stored.value;
    if (!sameId(actor.id, request.requester.id)) throw new NotRequesterError();
    if (conversationType !== "personal") throw new NotPersonalChatError();
    // Still an agent now, by the directory. On an approved request the issuance re-check below asks the same and
    // fails the request for good (everyone told); on any other a former agent is simply refused.
    if (request.status !== "approved") await assertAgent(deps, actor);
    if (request.status === "issued") {
      return statusCard(request, localizedText("tap.statusRevealedTitle"), localizedText("tap.statusRevealedAlready"), {
        offerRetry: true,
      });
    }
    if (request.status === "issuing") {
      return statusCard(request, localizedText("tap.statusIssuingTitle"), localizedText("tap.statusIssuingMessage"));
    }
    if (request.status !== "approved") throw new InvalidTransitionError(request.status, "issued");
    if (isOverdue(request, deps.clock())) {
      const expired = await expireTapRequest(deps, stored);
      return statusCard(
        expired ?? request,
        localizedText("tap.statusExpiredTitle"),
        localizedText("tap.statusExpiredMessage"),
        {
          offerRetry: true,
        },
      );
    }

    const outcome = await issueTap(deps, stored);
    if (outcome.value) return revealedCard(outcome.request, outcome.value.reveal());
    return outcomeCard(outcome.request);
  });
}

/** What a press that did not show a value tells the agent: someone else's press, a failure, or "press again". */
function outcomeCard(request: TapRequest): TapCard {
  switch (request.status) {
    case "issued":
      return statusCard(request, localizedText("tap.statusRevealedTitle"), localizedText("tap.statusRevealedAlready"), {
        offerRetry: true,
      });
    case "issuing":
      return statusCard(request, localizedText("tap.statusIssuingTitle"), localizedText("tap.statusIssuingMessage"));
    case "failed":
      return statusCard(request, localizedText("tap.statusFailedTitle"), failureText(request.failure), {
        offerRetry: request.failure?.retryable ?? false,
      });
    case "approved":
      return statusCard(
        request,
        localizedText("tap.statusReofferedTitle"),
        localizedText("tap.statusReofferedMessage"),
        {
          offerIssue: true,
        },
      );
    default:
      return statusCard(request, localizedText("tap.statusAlreadyDecidedTitle"), statusNameText(request.status));
  }
}

/** tap.hide — replaces the revealed card with one that no longer holds the value. */
export async function hideTap(deps: TapDependencies, actor: Actor, requestId: unknown): Promise<TapCard> {
  const id = typeof requestId === "string" ? requestId : null;
  return withRefusalAudit(deps, { action: "tap.hide", actor, requestId: id }, async () => {
    const stored = await loadTapRequest(deps, actor, requestId);
    if (!sameId(actor.id, stored.value.requester.id)) throw new NotRequesterError();
    return hiddenCard(stored.value);
  });
}

/** The revealed card once the value is off it: what Hide shows and what the automatic hide puts in its place. */
export function hiddenCard(request: TapRequest): TapCard {
  return statusCard(request, localizedText("tap.statusRevealedTitle"), localizedText("tap.statusRevealedHidden"));
}

/** tap.cancel — the requesting agent withdraws a request that has not been issued; everyone asked is told. */
export async function cancelTapRequest(deps: TapDependencies, actor: Actor, requestId: unknown): Promise<TapCard> {
  const id = typeof requestId === "string" ? requestId : null;
  return withRefusalAudit(deps, { action: "tap.cancel", actor, requestId: id }, async () => {
    const stored = await loadTapRequest(deps, actor, requestId);
    if (!sameId(actor.id, stored.value.requester.id)) throw new NotRequesterError();
    await assertAgent(deps, actor);
    const by = stored.value.requester;
    let cancelled: TapRequest;
    try {
      cancelled = (
        await deps.store.update(
          tapStateMachine(stored.value, { type: "cancel", by }, deps.clock().toISOString()),
          stored.etag,
        )
      ).value;
    } catch (error) {
      if (!(error instanceof StaleRequestError)) throw error;
      const current = (await deps.store.get(stored.value.id))?.value ?? stored.value;
      return statusCard(current, localizedText("tap.statusAlreadyDecidedTitle"), statusNameText(current.status));
    }
    await auditTap(deps, "tap.cancelled", cancelled, actor.id);
    return statusCard(
      cancelled,
      localizedText("tap.statusCancelledTitle"),
      localizedText("tap.statusCancelledMessage"),
      {
        offerRetry: true,
      },
    );
  });
}
