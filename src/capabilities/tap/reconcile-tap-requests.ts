import { settlePendingAudits } from "./audited-transition.js";
import { reconcileIssuing } from "./issue-tap.js";
import type { TapDependencies } from "./tap-dependencies.js";
import type { TapRequest } from "./tap-request.js";

/**
 * Run at start-up and then periodically: finishes what a crashed instance left. An `issuing` request older than
 * `graceMs` (longer than any Graph call could still be running elsewhere) is reconciled against Graph, never
 * re-issued: an orphan pass nobody saw is deleted and the request offered again. `approved` requests wait for the
 * agent's "Issue and show" press: the bot never creates a pass outside that turn. A decision written by an instance
 * that died before its ledger entry landed gets that entry now (see audited-transition.ts).
 */
export async function reconcileTapRequests(deps: TapDependencies, graceMs = 120_000): Promise<TapRequest[]> {
  const now = deps.clock().getTime();
  const results: TapRequest[] = [];
  for (const stored of await deps.store.listByStatus(["issuing"])) {
    const since = Date.parse(stored.value.issuingAt ?? stored.value.updatedAt);
    if (now - since < graceMs) continue;
    results.push(await reconcileIssuing(deps, stored));
  }
  await settlePendingAudits(deps, graceMs);
  return results;
}
