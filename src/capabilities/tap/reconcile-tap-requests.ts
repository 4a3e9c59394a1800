import { issueTap, reconcileIssuing } from "./issue-tap.js";
import type { TapDependencies } from "./tap-dependencies.js";
import type { TapRequest } from "./tap-request.js";

/**
 * Run at start-up and then periodically: finishes what a crashed instance left. `approved` (the issuing write never
 * happened, so Graph was never called) is issued now; `issuing` older than `graceMs` (longer than any Graph call
 * could still be running elsewhere) is reconciled against Graph, never re-issued.
 */
export async function reconcileTapRequests(deps: TapDependencies, graceMs = 120_000): Promise<TapRequest[]> {
  const now = deps.clock().getTime();
  const results: TapRequest[] = [];
  for (const stored of await deps.store.listByStatus(["approved", "issuing"])) {
    const since = Date.parse(
      stored.value.status === "issuing" ? (stored.value.issuingAt ?? stored.value.updatedAt) : stored.value.updatedAt,
    );
    if (now - since < graceMs) continue;
    results.push(
      stored.value.status === "approved" ? await issueTap(deps, stored) : await reconcileIssuing(deps, stored),
    );
  }
  return results;
}
