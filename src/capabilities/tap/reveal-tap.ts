import { assertAgent, sameId } from "./check-tap-preconditions.js";
import { loadTapRequest } from "./load-tap-request.js";
import { auditTap, withRefusalAudit } from "./tap-audit.js";
import { revealedCard, statusCard, text } from "./tap-card-data.js";
import type { TapDependencies } from "./tap-dependencies.js";
import { InvalidTransitionError, NotPersonalChatError, NotRequesterError, StaleRequestError } from "./tap-errors.js";
import type { TapCard } from "./tap-ports.js";
import type { Actor, TapRequest } from "./tap-request.js";
import { tapStateMachine } from "./tap-state-machine.js";

/**
 * tap.reveal — the requesting agent, in their personal chat, sees the value once. The value leaves process memory
 * here; the card returned is the Action.Execute response and is the only place it ever appears.
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
    // Still an agent now, by the directory: removal from the agents group must stop a reveal that is still pending.
    await assertAgent(deps, actor);
    if (request.status !== "issued") throw new InvalidTransitionError(request.status, "revealed");
    if (request.revealedAt) {
      return statusCard(request, text("status.revealed.title"), text("status.revealed.already"), { offerRetry: true });
    }

    const secret = deps.vault.take(request.id);
    if (!secret) {
      if (!request.isValueLost) {
        await deps.store
          .update(tapStateMachine(request, { type: "loseValue" }, deps.clock().toISOString()), stored.etag)
          .catch((error: unknown) => {
            if (!(error instanceof StaleRequestError)) throw error;
          });
        await auditTap(deps, "tap.valueLost", request, actor.id, { methodId: request.methodId });
      }
      return statusCard(request, text("status.valueGone.title"), text("status.valueGone.message"), {
        offerRetry: true,
      });
    }
    try {
      await deps.store.update(tapStateMachine(request, { type: "reveal" }, deps.clock().toISOString()), stored.etag);
      await auditTap(deps, "tap.revealed", request, actor.id, { methodId: request.methodId });
    } catch (error) {
      // Not shown, so not spent: keep it for the next press.
      deps.vault.put(
        request.id,
        secret,
        new Date(Date.parse(request.startDateTime ?? request.updatedAt) + request.lifetimeInMinutes * 60_000),
      );
      throw error;
    }
    return revealedCard(request, secret.reveal());
  });
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
  return statusCard(request, text("status.revealed.title"), text("status.revealed.hidden"));
}
