import type { InventoryReader } from "../../graph/create-inventory-reader.js";
import type { JobCheckpoints } from "../../jobs/job-checkpoints.js";
import type { InventorySnapshotStore } from "../../storage/inventory-snapshot-store.js";
import type { ProgressListener } from "./inventory-progress.js";
import {
  type InventoryUser,
  inventoryUserFromMethods,
  inventoryUserFromReport,
  needsPasskeyRead,
} from "./inventory-user.js";
import { isRelevantAudit } from "./relevant-audit.js";

/** A full run's checkpoint: which page it is on and how many of that page's people are stored already. */
export interface FullRunState {
  snapshotId: string;
  phase: "report" | "disabled" | "audits" | "done";
  /** The page being worked on (null: the first page of the phase); Graph's nextLink, stored as Graph wrote it. */
  pageLink: string | null;
  /** People of that page already stored: a resumed run skips them and reads nothing for them again. */
  doneInPage: number;
  usersDone: number;
  startedDateTime: string;
  /** Audit events since this time are kept for the insights (the directory audit log keeps 30 days). */
  auditsSince: string;
}

export interface FullInventoryDependencies {
  reader: InventoryReader;
  store: InventorySnapshotStore;
  checkpoints: JobCheckpoints;
  now: () => Date;
  onProgress?: ProgressListener;
  /** People written per Table transaction and checkpoint; a killed run redoes at most this many. */
  chunkSize?: number;
  /** Stop (between chunks) when this signal aborts: the lease was lost or the process is shutting down. */
  signal?: AbortSignal;
  usersTotalEstimate?: number | null;
}

/** The run was asked to stop before it finished; its checkpoint is saved and another instance can resume it. */
export class InventoryRunStoppedError extends Error {
  constructor(jobId: string) {
    super(`Inventory run ${jobId} must be resumed from its checkpoint: it was stopped before it finished`);
    this.name = "InventoryRunStoppedError";
  }
}

const AUDIT_RETENTION_DAYS = 30;

/**
 * The full inventory: page the registration details report (one reports request per page), read fido2Methods only
 * for the people whose passkey the report cannot name (security keys, generic device-bound), in paced `$batch`es;
 * then the disabled accounts the report leaves out (listed from the directory, their methods read the same way);
 * then the audit events the insights need. Every chunk of people is stored, then the checkpoint moves past them, so
 * a run killed anywhere resumes on any instance without reading or writing a finished person again.
 */
export async function runFullInventory(deps: FullInventoryDependencies, jobId: string): Promise<FullRunState> {
  const chunkSize = deps.chunkSize ?? 100;
  const loaded = await deps.checkpoints.load<FullRunState>(jobId);
  let etag = loaded?.etag ?? null;
  let state: FullRunState = loaded?.state ?? {
    snapshotId: jobId,
    phase: "report",
    pageLink: null,
    doneInPage: 0,
    usersDone: 0,
    startedDateTime: deps.now().toISOString(),
    auditsSince: new Date(deps.now().getTime() - AUDIT_RETENTION_DAYS * 86_400_000).toISOString(),
  };
  const save = async (next: FullRunState) => {
    etag = await deps.checkpoints.save(jobId, next, etag);
    state = next;
  };
  if (!loaded) {
    await deps.store.saveSnapshot({
      id: state.snapshotId,
      status: "running",
      startedDateTime: state.startedDateTime,
      completedDateTime: null,
      auditCheckpoint: state.startedDateTime,
      users: 0,
    });
    await save(state);
  }
  const progress = () => {
    const stats = deps.reader.stats();
    deps.onProgress?.({
      phase: state.phase,
      usersDone: state.usersDone,
      usersTotal: deps.usersTotalEstimate ?? null,
      reportsRequests: stats.reportsRequests,
      throttled: stats.throttled,
    });
  };
  const checkStop = () => {
    if (deps.signal?.aborted) throw new InventoryRunStoppedError(jobId);
  };

  // The next page is asked for while this one's people are read and stored: the report's pages and the passkey
  // batches then share the bucket instead of taking turns. Only what is stored moves the checkpoint.
  type AnyPage = Awaited<ReturnType<InventoryReader["registrationDetailsPage"] | InventoryReader["disabledUsersPage"]>>;
  let prefetched: { key: string; page: Promise<AnyPage> } | null = null;
  const fetchPage = (phase: FullRunState["phase"], link: string | null): Promise<AnyPage> => {
    const key = `${phase}|${link ?? ""}`;
    if (prefetched?.key === key) return prefetched.page;
    return phase === "report" ? deps.reader.registrationDetailsPage(link) : deps.reader.disabledUsersPage(link);
  };
  while (state.phase === "report" || state.phase === "disabled") {
    checkStop();
    const phase = state.phase;
    const isReport = phase === "report";
    const readChunk = async (chunk: AnyPage["items"]): Promise<InventoryUser[]> => {
      if (isReport) {
        const details = chunk as Awaited<ReturnType<InventoryReader["registrationDetailsPage"]>>["items"];
        const toRead = details.filter((d) => needsPasskeyRead(d.methodsRegistered ?? [])).map((d) => d.id);
        const withTap = details
          .filter((d) => (d.methodsRegistered ?? []).includes("temporaryAccessPass"))
          .map((d) => d.id);
        const [passkeys, taps] = await Promise.all([
          deps.reader.readPasskeys(toRead),
          withTap.length > 0 ? deps.reader.readTemporaryAccessPasses(withTap) : Promise.resolve(new Map()),
        ]);
        return details.map((d) => {
          const user = inventoryUserFromReport(d, passkeys.get(d.id) ?? null);
          const tap = taps.get(d.id);
          return tap?.ok ? { ...user, temporaryAccessPasses: tap.value } : user;
        });
      }
      const directory = chunk as Awaited<ReturnType<InventoryReader["disabledUsersPage"]>>["items"];
      const methods = await deps.reader.readMethods(directory.map((u) => u.id));
      return directory.map((u) =>
        inventoryUserFromMethods(u, methods.get(u.id) ?? { ok: false, problem: { kind: "notRequested" } }),
      );
    };
    // A pipeline of at most two pages: every chunk's Graph reads are queued as soon as its page is in (the scheduler
    // paces them and keeps chat first), and each chunk is stored in its own Table transaction as soon as its reads
    // are back, while other chunks are still read or written. The checkpoint moves strictly in order, past a chunk
    // only once it and everything before it are stored, so a killed run redoes at most the chunks in flight (upserts:
    // redoing them leaves one row per person) and never skips one.
    const pending: Array<{ stored: Promise<void>; next: (from: FullRunState) => FullRunState; endsPage: boolean }> = [];
    let link = state.pageLink;
    let skip = state.doneInPage;
    let morePages = true;
    let pagesInFlight = 0;
    // A chunk is named after its place in the run (people before it), which a resumed run computes alike: a chunk
    // redone after a kill is written over itself, never beside itself.
    let usersQueued = state.usersDone;
    const queuePage = async () => {
      const pageLink = link;
      const page = await fetchPage(phase, pageLink);
      if (page.nextLink) {
        const next = fetchPage(phase, page.nextLink);
        next.catch(() => {});
        prefetched = { key: `${phase}|${page.nextLink}`, page: next };
      }
      let doneInPage = skip;
      const items = page.items.slice(skip);
      for (let start = 0; start < items.length; start += chunkSize) {
        const chunk = items.slice(start, start + chunkSize);
        doneInPage += chunk.length;
        const after = doneInPage;
        const chunkKey = `f${String(usersQueued).padStart(10, "0")}`;
        usersQueued += chunk.length;
        const stored = readChunk(chunk).then((users) => deps.store.putUsers(state.snapshotId, chunkKey, users));
        stored.catch(() => {});
        pending.push({
          stored,
          next: (from) => ({ ...from, pageLink, doneInPage: after, usersDone: from.usersDone + chunk.length }),
          endsPage: false,
        });
      }
      const nextLink = page.nextLink;
      pending.push({
        stored: Promise.resolve(),
        next: (from) =>
          nextLink
            ? { ...from, pageLink: nextLink, doneInPage: 0 }
            : { ...from, phase: isReport ? "disabled" : "audits", pageLink: null, doneInPage: 0 },
        endsPage: true,
      });
      link = nextLink;
      skip = 0;
      morePages = nextLink !== null;
      pagesInFlight++;
    };
    await queuePage();
    for (let unit = pending.shift(); unit; unit = pending.shift()) {
      checkStop();
      if (morePages && pagesInFlight < 2) await queuePage();
      await unit.stored;
      await save(unit.next(state));
      if (unit.endsPage) pagesInFlight--;
      progress();
    }
  }

  while (state.phase === "audits") {
    checkStop();
    const page = await deps.reader.auditsPage(state.auditsSince, state.pageLink);
    await deps.store.putAudits(state.snapshotId, page.items.filter(isRelevantAudit));
    if (page.nextLink) await save({ ...state, pageLink: page.nextLink });
    else await save({ ...state, phase: "done", pageLink: null });
    progress();
  }

  const existing = await deps.store.getSnapshot(state.snapshotId);
  if (existing?.status !== "complete") {
    await deps.store.saveSnapshot({
      id: state.snapshotId,
      status: "complete",
      startedDateTime: state.startedDateTime,
      completedDateTime: deps.now().toISOString(),
      auditCheckpoint: state.startedDateTime,
      users: state.usersDone,
    });
    await deps.store.markLatest(state.snapshotId);
  }
  return state;
}
