import { NotFoundError } from "../../graph/graph-errors.js";
import { deliver } from "./notify.js";
import { auditTap } from "./tap-audit.js";
import { statusCard, text } from "./tap-card-data.js";
import type { TapDependencies } from "./tap-dependencies.js";
import { StaleRequestError } from "./tap-errors.js";
import type { Versioned } from "./tap-ports.js";
import type { TapAftermath, TapRequest } from "./tap-request.js";
import { tapStateMachine } from "./tap-state-machine.js";

/**
 * The auto-revoke watcher (Graph priority "background"): for each issued TAP still being watched, a passkey
 * (fido2 method) created after issuance means the TAP did its job — delete it at once and record the passkey's
 * AAGUID, name and attestation level. A TAP whose lifetime has passed is left to expire.
 */
export async function watchIssuedTaps(deps: TapDependencies): Promise<TapRequest[]> {
  const changed: TapRequest[] = [];
  const failures: unknown[] = [];
  const now = deps.clock();
  for (const stored of await deps.store.listByStatus(["issued"])) {
    // One target Graph cannot read (deleted, throttled, a 403) must not stop the watch of every TAP after it.
    try {
      const next = await watchOne(deps, stored, now);
      if (next) changed.push(next);
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw new WatchIncompleteError(failures);
  return changed;
}

/** Every issued TAP must be looked at on each pass; the ones that could not be are retried on the next pass. */
export class WatchIncompleteError extends AggregateError {
  constructor(errors: unknown[]) {
    super(errors, `Every issued TAP must be watched each pass; ${errors.length} could not be and will be retried`);
    this.name = "WatchIncompleteError";
  }
}

/** One issued TAP: revoked when a passkey followed it, lapsed when its lifetime is over; null while still waiting. */
async function watchOne(deps: TapDependencies, stored: Versioned<TapRequest>, now: Date): Promise<TapRequest | null> {
  const request = stored.value;
  if (request.aftermath?.state !== "watching" || !request.methodId) return null;
  const issuedAt = Date.parse(request.issuedAt ?? request.updatedAt);
  const endsAt =
    Date.parse(request.startDateTime ?? request.issuedAt ?? request.updatedAt) + request.lifetimeInMinutes * 60_000;

  const passkeys = await deps.graph.listPasskeys(request.target.id, "background");
  const passkey = passkeys
    .filter((p) => Date.parse(p.createdDateTime ?? "") >= issuedAt)
    .sort((a, b) => Date.parse(a.createdDateTime ?? "") - Date.parse(b.createdDateTime ?? ""))[0];

  let aftermath: TapAftermath;
  if (passkey) {
    try {
      await deps.graph.deleteTemporaryAccessPass(request.target.id, request.methodId);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
    aftermath = {
      state: "revoked",
      at: now.toISOString(),
      resultingPasskey: {
        id: passkey.id,
        aaGuid: passkey.aaGuid,
        displayName: passkey.displayName,
        attestationLevel: passkey.attestationLevel,
      },
    };
  } else if (endsAt <= now.getTime()) {
    aftermath = { state: "lapsed", at: now.toISOString() };
  } else {
    return null;
  }

  let next: TapRequest;
  try {
    next = (
      await deps.store.update(
        tapStateMachine(request, { type: "recordAftermath", aftermath }, now.toISOString()),
        stored.etag,
      )
    ).value;
  } catch (error) {
    if (error instanceof StaleRequestError) return null;
    throw error;
  }
  if (aftermath.resultingPasskey) {
    await auditTap(deps, "tap.passkeyRegistered", next, null, {
      passkeyId: aftermath.resultingPasskey.id,
      aaGuid: aftermath.resultingPasskey.aaGuid,
      displayName: aftermath.resultingPasskey.displayName,
      attestationLevel: aftermath.resultingPasskey.attestationLevel,
    });
    await auditTap(deps, "tap.revoked", next, null, { methodId: request.methodId, why: "passkeyRegistered" });
    await deliver(
      deps,
      next,
      next.requester,
      statusCard(next, text("status.revoked.title"), text("status.revoked.message")),
    );
  } else {
    await auditTap(deps, "tap.lapsed", next, null, { methodId: request.methodId });
  }
  return next;
}
