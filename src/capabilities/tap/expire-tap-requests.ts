import { localizedText } from "../../cards/localized-text.js";
import { deliver, notifyApprover } from "./notify.js";
import { auditTap } from "./tap-audit.js";
import { statusCard } from "./tap-card-data.js";
import type { TapDependencies } from "./tap-dependencies.js";
import { StaleRequestError } from "./tap-errors.js";
import type { Versioned } from "./tap-ports.js";
import type { TapRequest } from "./tap-request.js";
import { canApply, tapStateMachine } from "./tap-state-machine.js";

/**
 * Undecided requests past their expiry become `expired` and everyone involved is told. Safe with several bot
 * instances: each expiry is an ETag-conditional write and only its winner audits and notifies.
 */
export async function expireTapRequests(deps: TapDependencies): Promise<TapRequest[]> {
  const now = deps.clock();
  const expired: TapRequest[] = [];
  for (const stored of await deps.store.listByStatus(["requested", "confirmed"])) {
    if (!isOverdue(stored.value, now)) continue;
    const next = await expireTapRequest(deps, stored, now);
    if (next) expired.push(next);
  }
  return expired;
}

/** Still undecided after its expiry: no one may confirm, approve or deny it any more, swept or not. */
export function isOverdue(request: TapRequest, now: Date): boolean {
  return canApply(request, "expire") && Date.parse(request.expiresAt) <= now.getTime();
}

/** Expires one overdue request, audits and tells everyone; null when another writer changed it first. */
export async function expireTapRequest(
  deps: TapDependencies,
  stored: Versioned<TapRequest>,
  now: Date = deps.clock(),
): Promise<TapRequest | null> {
  let next: TapRequest;
  try {
    next = (await deps.store.update(tapStateMachine(stored.value, { type: "expire" }, now.toISOString()), stored.etag))
      .value;
  } catch (error) {
    if (error instanceof StaleRequestError) return null;
    throw error;
  }
  await auditTap(deps, "tap.expired", next, null, { expiresAt: next.expiresAt });
  const card = statusCard(next, localizedText("tap.statusExpiredTitle"), localizedText("tap.statusExpiredMessage"), {
    offerRetry: true,
  });
  await deliver(deps, next, next.requester, card);
  await deliver(
    deps,
    next,
    next.target,
    statusCard(next, localizedText("tap.statusExpiredTitle"), localizedText("tap.statusExpiredMessage")),
  );
  await notifyApprover(
    deps,
    next,
    statusCard(next, localizedText("tap.statusExpiredTitle"), localizedText("tap.statusExpiredMessage")),
  );
  return next;
}
