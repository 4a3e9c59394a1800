import { localizedText } from "../../cards/localized-text.js";
import { NotFoundError } from "../../graph/graph-errors.js";
import type { Fido2Method } from "../../graph/model.js";
import { graphFailureCause } from "./graph-failure-cause.js";
import { deliver } from "./notify.js";
import { auditTap } from "./tap-audit.js";
import { statusCard } from "./tap-card-data.js";
import type { TapDependencies } from "./tap-dependencies.js";
import { StaleRequestError } from "./tap-errors.js";
import type { Versioned } from "./tap-ports.js";
import type { TapAftermath, TapRequest } from "./tap-request.js";
import { tapStateMachine } from "./tap-state-machine.js";

/**
 * The auto-revoke watcher (Graph priority "background"): for each issued TAP still being watched, a passkey
 * (fido2 method) created after issuance means the TAP did its job — delete it at once and record the passkey's
 * AAGUID, name and attestation level. A TAP whose lifetime has passed is left to expire and no longer watched,
 * also when Graph cannot read its target; a target deleted from the directory ends the watch at once.
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

/**
 * One issued TAP: revoked when a passkey followed it, lapsed when its lifetime is over, deleted with its target;
 * null while still waiting.
 */
async function watchOne(deps: TapDependencies, stored: Versioned<TapRequest>, now: Date): Promise<TapRequest | null> {
  const request = stored.value;
  if (request.aftermath?.state !== "watching" || !request.methodId) return null;
  const issuedAt = Date.parse(request.issuedAt ?? request.updatedAt);
  const endsAt =
    Date.parse(request.startDateTime ?? request.issuedAt ?? request.updatedAt) + request.lifetimeInMinutes * 60_000;

  let passkeys: Fido2Method[];
  try {
    passkeys = await deps.graph.listPasskeys(request.target.id, "background");
  } catch (error) {
    const ended = endUnread(error, endsAt, now);
    if (!ended) throw error;
    return recordAftermath(deps, stored, ended, now);
  }
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
    aftermath = { state: "lapsed", at: now.toISOString(), reason: "lifetime ended" };
  } else {
    return null;
  }
  return recordAftermath(deps, stored, aftermath, now);
}

/**
 * A target Graph cannot read ends the watch when waiting longer cannot change anything: a deleted target (404)
 * took its methods with it, and a TAP past its lifetime can no longer be used. Otherwise (a 403, throttling, an
 * outage within the lifetime) null: retried on the next pass.
 */
function endUnread(error: unknown, endsAt: number, now: Date): TapAftermath | null {
  const cause = graphFailureCause(error) ?? "unknown failure";
  if (error instanceof NotFoundError) {
    return {
      state: "deleted",
      at: now.toISOString(),
      reason: `the target no longer exists in the directory: ${cause}`,
    };
  }
  if (endsAt <= now.getTime()) {
    return { state: "lapsed", at: now.toISOString(), reason: `lifetime ended; the target could not be read: ${cause}` };
  }
  return null;
}

/** The ETag-conditional end of the watch; a pass that lost the race to another instance changes nothing. */
async function recordAftermath(
  deps: TapDependencies,
  stored: Versioned<TapRequest>,
  aftermath: TapAftermath,
  now: Date,
): Promise<TapRequest | null> {
  const request = stored.value;
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
      statusCard(next, localizedText("tap.statusRevokedTitle"), localizedText("tap.statusRevokedMessage")),
    );
  } else if (aftermath.state === "deleted") {
    await auditTap(deps, "tap.targetDeleted", next, null, {
      methodId: request.methodId,
      reason: aftermath.reason ?? null,
    });
  } else {
    await auditTap(deps, "tap.lapsed", next, null, { methodId: request.methodId, reason: aftermath.reason ?? null });
  }
  return next;
}
