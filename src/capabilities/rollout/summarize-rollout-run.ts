import type { RolloutRun, RolloutSnapshotStore } from "../../storage/rollout-snapshot-store.js";
import type { AuthenticatorCatalog } from "../authenticators/create-authenticator-catalog.js";
import { createRingAccumulator } from "./assess-ring-readiness.js";
import type { RingReadiness } from "./ring-readiness.js";

/** The last ring readiness run's rings, recomputed from its stored facts (no Graph request): for reports and cards. */
export async function summarizeRolloutRun(
  deps: { rollout: RolloutSnapshotStore; catalog: Pick<AuthenticatorCatalog, "lookup"> },
  run?: RolloutRun | null,
): Promise<{ run: RolloutRun; rings: RingReadiness[] } | null> {
  const chosen = run ?? (await deps.rollout.latestRun());
  if (!chosen) return null;
  const now = new Date(chosen.createdDateTime);
  const accumulators = chosen.rings.map((ring) => ({
    ring,
    accumulator: createRingAccumulator(ring, chosen.policy, deps.catalog, now),
  }));
  for await (const facts of deps.rollout.members(chosen.id)) {
    const groups = new Set(facts.memberOfGroupIds.map((id) => id.toLowerCase()));
    const ringIds = chosen.rings.filter((ring) => groups.has(ring.id)).map((ring) => ring.id);
    for (const { ring, accumulator } of accumulators) if (groups.has(ring.id)) accumulator.add(facts, ringIds);
  }
  return { run: chosen, rings: accumulators.map(({ accumulator }) => accumulator.result()) };
}
