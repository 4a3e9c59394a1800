import type { InventoryReader } from "../../graph/create-inventory-reader.js";
import type { GraphGateway } from "../../graph/graph-gateway.js";
import type { DirectoryDevice } from "../../graph/model.js";
import type { InventorySnapshotStore } from "../../storage/inventory-snapshot-store.js";
import type { RolloutRun, RolloutSnapshotStore } from "../../storage/rollout-snapshot-store.js";
import type { AuthenticatorCatalog } from "../authenticators/create-authenticator-catalog.js";
import type { InventoryUser } from "../inventory/inventory-user.js";
import { loadTargetMemberships } from "../inventory/load-target-memberships.js";
import { NoInventorySnapshotError } from "../inventory/run-incremental-inventory.js";
import { createRingAccumulator, defaultRings, type Ring } from "./assess-ring-readiness.js";
import type { MemberFacts } from "./member-triage-input.js";
import type { MemberPrediction, RingReadiness } from "./ring-readiness.js";

export interface RingReadinessDependencies {
  gateway: Pick<GraphGateway, "getTenantPolicySnapshot" | "getGroupDisplayNames">;
  reader: Pick<InventoryReader, "groupMembersPage" | "readDevices" | "readTemporaryAccessPasses" | "stats">;
  inventory: InventorySnapshotStore;
  rollout: RolloutSnapshotStore;
  catalog: Pick<AuthenticatorCatalog, "lookup">;
  now: () => Date;
  onProgress?: (done: number, total: number) => void;
  onPrediction?: (prediction: MemberPrediction) => void;
}

export interface RingReadinessResult {
  run: RolloutRun;
  rings: RingReadiness[];
}

/**
 * Ring readiness from the latest inventory snapshot: the rings' members (transitive, no cap), each member's devices
 * (identity bucket, `$batch`es of 20), then the triage's four questions for every member. Registration state comes
 * from the snapshot, so a ring costs no reports-bucket request. The facts are stored for what-if.
 *
 * Devices stay one `registeredDevices` item per member (1 ResourceUnit with `$select`): 100,000 members are about
 * 125 s of the identity bucket (8,000 RU / 10 s), not of the reports bucket that bounds the inventory. The one
 * cheaper read, the tenant's `/devices` listed with `$expand=registeredUsers`, needs Device.Read.All (every device of
 * the tenant, a permission the bot does not hold), reads the devices of people outside the ring, and cuts a device's
 * expanded users at 20 with no nextLink; its page size under `$expand` is unconfirmed (graph.md §2.4, §5, §8).
 */
export async function runRingReadiness(
  deps: RingReadinessDependencies,
  options: { ringIds?: string[]; runId: string },
): Promise<RingReadinessResult> {
  const snapshot = await deps.inventory.latest();
  if (!snapshot) throw new NoInventorySnapshotError();
  const now = deps.now();
  const policy = await deps.gateway.getTenantPolicySnapshot();
  const requested = (options.ringIds ?? []).map((id) => id.toLowerCase());
  const candidates = [
    ...new Set(requested.length > 0 ? requested : defaultRings(policy, {}).map((ring) => ring.id.toLowerCase())),
  ];
  const names = await deps.gateway.getGroupDisplayNames(candidates, "background").catch(() => ({}));
  const rings: Ring[] = candidates.map((id) => ({ id, name: (names as Record<string, string>)[id] ?? id }));
  const memberships = await loadTargetMemberships(
    deps.reader,
    policy,
    rings.map((ring) => ring.id),
  );
  // A person's rings come from the membership index (no second map of members): in the order the rings were asked.
  const ringIdsOf = (userId: string): string[] => {
    const groups = memberships.of(userId);
    return rings.filter((ring) => groups.includes(ring.id.toLowerCase())).map((ring) => ring.id);
  };
  /** Every member of the rings once: a person in several rings is counted under the first. */
  function* ringMembers(): Generator<string> {
    for (const ring of rings) {
      for (const userId of memberships.membersOf(ring.id)) if (ringIdsOf(userId)[0] === ring.id) yield userId;
    }
  }
  const accumulators = new Map(rings.map((ring) => [ring.id, createRingAccumulator(ring, policy, deps.catalog, now)]));
  let total = 0;
  for (const _ of ringMembers()) total++;
  let done = 0;
  const found = new Set<string>();

  const evaluate = async (users: InventoryUser[]) => {
    const devices = await deps.reader.readDevices(users.map((user) => user.id));
    // Only a member whose report lists a TAP needs it read (reports bucket): whether it still works decides question 2.
    const withTap = users
      .filter((user) => user.methodsRegistered.includes("temporaryAccessPass") && !user.temporaryAccessPasses)
      .map((user) => user.id);
    const taps = withTap.length > 0 ? await deps.reader.readTemporaryAccessPasses(withTap) : new Map();
    const facts: MemberFacts[] = users.map((user) => {
      const read = devices.get(user.id);
      const tap = taps.get(user.id);
      const known = user.temporaryAccessPasses;
      return {
        user,
        devices: read?.ok ? (read.value as DirectoryDevice[]) : [],
        memberOfGroupIds: memberships.of(user.id),
        ...(known ? { temporaryAccessPasses: known } : tap?.ok ? { temporaryAccessPasses: tap.value } : {}),
      };
    });
    for (const fact of facts) {
      const ringIds = ringIdsOf(fact.user.id);
      for (const ringId of ringIds) {
        const prediction = accumulators.get(ringId)?.add(fact, ringIds);
        if (prediction && ringId === ringIds[0]) deps.onPrediction?.(prediction);
      }
    }
    await deps.rollout.putMembers(options.runId, `m${String(done).padStart(10, "0")}`, facts);
    done += users.length;
    deps.onProgress?.(done, total);
  };

  let chunk: InventoryUser[] = [];
  for await (const user of deps.inventory.users(snapshot.id)) {
    const key = user.id.toLowerCase();
    if (ringIdsOf(key).length === 0) continue;
    found.add(key);
    chunk.push(user);
    if (chunk.length >= 100) {
      await evaluate(chunk);
      chunk = [];
    }
  }
  // Members the snapshot does not hold (created since it was taken) are judged with no methods: what a new joiner has.
  for (const userId of ringMembers()) {
    if (found.has(userId)) continue;
    chunk.push({
      id: userId,
      userPrincipalName: userId,
      displayName: userId,
      userType: "member",
      accountEnabled: true,
      isAdmin: false,
      isMfaCapable: false,
      methodsRegistered: [],
      passkeys: [],
      readProblem: "notInInventory",
    });
    if (chunk.length >= 100) {
      await evaluate(chunk);
      chunk = [];
    }
  }
  if (chunk.length > 0) await evaluate(chunk);

  const run: RolloutRun = {
    id: options.runId,
    createdDateTime: now.toISOString(),
    inventorySnapshotId: snapshot.id,
    rings,
    policy,
  };
  await deps.rollout.saveRun(run);
  return {
    run,
    rings: rings.map((ring) => (accumulators.get(ring.id) as ReturnType<typeof createRingAccumulator>).result()),
  };
}
