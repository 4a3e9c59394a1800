import { NotFoundError } from "../../graph/graph-errors.js";
import { deliver } from "./notify.js";
import { auditTap } from "./tap-audit.js";
import { statusCard, text } from "./tap-card-data.js";
import type { TapDependencies } from "./tap-dependencies.js";
import { StaleRequestError } from "./tap-errors.js";
import type { TapAftermath, TapRequest } from "./tap-request.js";
import { tapStateMachine } from "./tap-state-machine.js";

/**
 * The auto-revoke watcher (Graph priority "background"): for each issued TAP still being watched, a passkey
 * (fido2 method) created after issuance means the TAP did its job — delete it at once and record the passkey's
 * AAGUID, name and attestation level. A TAP whose lifetime has passed is left to expire.
 */
export async function watchIssuedTaps(deps: TapDependencies): Promise<TapRequest[]> {
  const changed: TapRequest[] = [];
  const now = deps.clock();
  for (const stored of await deps.store.listByStatus(["issued"])) {
    const request = stored.value;
    if (request.aftermath?.state !== "watching" || !request.methodId) continue;
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
      continue;
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
      if (error instanceof StaleRequestError) continue;
      throw error;
    }
    changed.push(next);
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
  }
  return changed;
}
