import type { InventoryReader } from "../../graph/create-inventory-reader.js";
import type { DirectoryAuditRecord } from "../../graph/model.js";
import type { InventorySnapshotStore } from "../../storage/inventory-snapshot-store.js";
import type { ProgressListener } from "./inventory-progress.js";
import {
  type InventoryUser,
  inventoryUserFromMethods,
  inventoryUserFromReport,
  needsPasskeyRead,
} from "./inventory-user.js";
import { auditTargetUserIds, isRelevantAudit } from "./relevant-audit.js";

/**
 * Incremental runs bring a snapshot up to date and ring readiness reads one: without a snapshot there is nothing to
 * bring up to date or to read.
 */
export class NoInventorySnapshotError extends Error {
  constructor() {
    super(
      "An incremental inventory or ring readiness needs a complete full inventory first (npm run inventory -- --full)",
    );
    this.name = "NoInventorySnapshotError";
  }
}

export interface IncrementalResult {
  snapshotId: string;
  changedUsers: number;
  /** People Graph no longer has (deleted accounts), taken out of the snapshot. */
  removedUsers: number;
  auditEvents: number;
  auditCheckpoint: string;
}

/**
 * Brings the latest snapshot up to date from the directory audit log: every passkey added or deleted, method
 * registered by an admin, registration started and TAP since the snapshot's checkpoint names its target user; only
 * those people are read again (their report entry, and fido2Methods when the report cannot name the passkey). A person
 * the report no longer has (disabled since) is read from the directory and their methods list instead; a person the
 * directory answers 404 for (deleted: "Delete user" is in the log too) is taken out of the snapshot, and so out of the
 * CSV and the insights.
 */
/** Changed people written to the snapshot together (see the loop). */
const STORE_BATCH = 1000;

export async function runIncrementalInventory(deps: {
  reader: InventoryReader;
  store: InventorySnapshotStore;
  now: () => Date;
  onProgress?: ProgressListener;
}): Promise<IncrementalResult> {
  const snapshot = await deps.store.latest();
  if (!snapshot) throw new NoInventorySnapshotError();
  const startedAt = deps.now().toISOString();
  const changed = new Set<string>();
  let link: string | null = null;
  let events = 0;
  do {
    const page = await deps.reader.auditsPage(snapshot.auditCheckpoint, link);
    const relevant: DirectoryAuditRecord[] = page.items.filter(isRelevantAudit);
    events += relevant.length;
    for (const audit of relevant) for (const id of auditTargetUserIds(audit)) changed.add(id);
    await deps.store.putAudits(snapshot.id, relevant);
    link = page.nextLink;
  } while (link);

  const ids = [...changed];
  let removed = 0;
  let pending: { users: InventoryUser[]; gone: string[]; from: number } = { users: [], gone: [], from: 0 };
  const flush = async (next: number) => {
    // People new to the snapshot (created since it was taken) form a chunk named after this run and its place in it.
    await deps.store.updateUsers(
      snapshot.id,
      pending.users,
      `i${startedAt.replace(/[-:.]/g, "")}-${String(pending.from).padStart(6, "0")}`,
    );
    await deps.store.removeUsers(snapshot.id, pending.gone);
    removed += pending.gone.length;
    pending = { users: [], gone: [], from: next };
  };
  for (let start = 0; start < ids.length; start += 100) {
    const chunk = ids.slice(start, start + 100);
    const details = await deps.reader.readRegistrationDetails(chunk);
    const inReport = chunk.filter((id) => details.get(id)?.ok);
    const toRead = inReport.filter((id) => {
      const read = details.get(id);
      return read?.ok === true && needsPasskeyRead(read.value.methodsRegistered ?? []);
    });
    const passkeys = await deps.reader.readPasskeys(toRead);
    const withTap = inReport.filter((id) => {
      const read = details.get(id);
      return read?.ok === true && (read.value.methodsRegistered ?? []).includes("temporaryAccessPass");
    });
    const taps = withTap.length > 0 ? await deps.reader.readTemporaryAccessPasses(withTap) : new Map();
    const users = pending.users;
    for (const id of inReport) {
      const read = details.get(id);
      if (!read?.ok) continue;
      const user = inventoryUserFromReport(read.value, passkeys.get(id) ?? null);
      const tap = taps.get(id);
      users.push(tap?.ok ? { ...user, temporaryAccessPasses: tap.value } : user);
    }
    const missing = chunk.filter((id) => !details.get(id)?.ok);
    const gone = pending.gone;
    if (missing.length > 0) {
      const methods = await deps.reader.readMethods(missing);
      for (const id of missing) {
        const read = methods.get(id);
        if (read && !read.ok && read.problem.kind === "notFound") gone.push(id);
        // Any other failure (throttled, refused, an outage) leaves the person as the snapshot has them.
        if (!read?.ok) continue;
        users.push(
          inventoryUserFromMethods(
            { id, userPrincipalName: id, displayName: null, mail: null, userType: null, accountEnabled: false },
            read,
          ),
        );
      }
    }
    // A store write finds each person's row by listing every row's id list (~4 MB at 100,000 people) and rewrites
    // whole rows (~100 people): changes are written a thousand people at a time, so each row is rewritten once.
    if (pending.users.length + pending.gone.length >= STORE_BATCH) await flush(start + chunk.length);
    const stats = deps.reader.stats();
    deps.onProgress?.({
      phase: "report",
      usersDone: Math.min(ids.length, start + chunk.length),
      usersTotal: ids.length,
      reportsRequests: stats.reportsRequests,
      throttled: stats.throttled,
    });
  }
  await flush(ids.length);
  await deps.store.saveSnapshot({ ...snapshot, auditCheckpoint: startedAt });
  return {
    snapshotId: snapshot.id,
    changedUsers: ids.length,
    removedUsers: removed,
    auditEvents: events,
    auditCheckpoint: startedAt,
  };
}
