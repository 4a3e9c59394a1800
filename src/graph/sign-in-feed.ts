import type { RequestPriority } from "./graph-gateway.js";
import type { GraphHttpRequest } from "./graph-transport.js";
import type { SignInRecord } from "./model.js";
import type { GraphPage } from "./page-through.js";

export interface SignInFeedOptions {
  /**
   * Fetches one page (through the scheduler, as one reports-bucket request) at the given priority; `onStart` runs the
   * moment the scheduler sends it.
   */
  fetchPage(
    request: GraphHttpRequest,
    priority: RequestPriority,
    onStart: () => void,
  ): Promise<GraphPage<SignInRecord>>;
  /** The first page of a tenant-wide read of sign-ins created at or after `fromMs`. */
  firstPage(fromMs: number): GraphHttpRequest;
  nextPage(link: string): GraphHttpRequest;
  /** One person's sign-ins read the old way, when the feed does not reach back far enough. */
  readOneUser(userId: string, sinceMs: number, priority: RequestPriority): Promise<SignInRecord[]>;
  now(): number;
  /**
   * How far back each incremental read looks before the previous one started: sign-ins reach the log minutes after they
   * happen, and a person's own read would see one that arrived late, so the feed must too.
   */
  ingestionOverlapMs?: number;
  /** Pages one read may take; a backlog beyond it is left to per-person reads. */
  maxPagesPerRead?: number;
  /** Sign-ins kept (all people together), oldest dropped first: bounds memory in a large tenant. */
  maxRecords?: number;
  /** Per person, as many as today's per-person read returns (`$top=50`). */
  perPerson?: number;
}

interface Waiter {
  userId: string;
  sinceMs: number;
  priority: RequestPriority;
  resolve(records: SignInRecord[]): void;
  reject(error: unknown): void;
}

const PRIORITY_RANK: Record<RequestPriority, number> = { tap: 0, interactive: 1, background: 2 };

/**
 * One tenant-wide, incremental read of recent sign-ins shared by every triage waiting at the time, instead of one
 * reports-bucket request per person. Evidence stays as fresh as a per-person read: a triage is answered only by a read
 * that started after it asked (one already under way does not count). Each read asks only for what is new since the
 * previous one (less an ingestion overlap), so its cost does not grow with the number of people waiting.
 */
export class SignInFeed {
  private readonly byUser = new Map<string, SignInRecord[]>();
  private readonly seen = new Map<string, number>();
  /** The feed holds every sign-in created at or after this (epoch ms); Infinity = nothing yet. */
  private coveredSinceMs = Number.POSITIVE_INFINITY;
  /** When the last complete read started: the next one need only look from there (less the overlap). */
  private lastReadStartMs: number | null = null;
  private queued: Waiter[] = [];
  private readInFlight = false;
  private readonly overlapMs: number;
  private readonly maxPages: number;
  private readonly maxRecords: number;
  private readonly perPerson: number;

  constructor(private readonly options: SignInFeedOptions) {
    this.overlapMs = options.ingestionOverlapMs ?? 10 * 60_000;
    this.maxPages = options.maxPagesPerRead ?? 10;
    this.maxRecords = options.maxRecords ?? 100_000;
    this.perPerson = options.perPerson ?? 50;
  }

  /** The person's sign-ins created at or after `sinceMs`, newest first, from a read that starts after this call. */
  read(userId: string, sinceMs: number, priority: RequestPriority): Promise<SignInRecord[]> {
    return new Promise((resolve, reject) => {
      this.queued.push({ userId: userId.toLowerCase(), sinceMs, priority, resolve, reject });
      this.startIfIdle();
    });
  }

  private startIfIdle(): void {
    if (this.readInFlight || this.queued.length === 0) return;
    this.readInFlight = true;
    const priority = this.queued.reduce<RequestPriority>(
      (best, waiter) => (PRIORITY_RANK[waiter.priority] < PRIORITY_RANK[best] ? waiter.priority : best),
      "background",
    );
    void this.readAndAnswer(priority).finally(() => {
      this.readInFlight = false;
      this.startIfIdle();
    });
  }

  private async readAndAnswer(priority: RequestPriority): Promise<void> {
    // The first read reaches back as far as asked (within maxPages); every later one only from the previous read's start
    // less the overlap. Whoever asks further back than the feed reaches is read the per-person way (answer()).
    const isFirst = this.lastReadStartMs === null;
    const fromMs = isFirst
      ? Math.min(...this.queued.map((waiter) => waiter.sinceMs))
      : (this.lastReadStartMs as number) - this.overlapMs;
    let startedMs: number | null = null;
    let waiters: Waiter[] = [];
    const records: SignInRecord[] = [];
    let truncated = false;
    try {
      let request: GraphHttpRequest | null = this.options.firstPage(fromMs);
      for (let page = 0; request; page++) {
        if (page >= this.maxPages) {
          truncated = true;
          break;
        }
        const response = await this.options.fetchPage(request, priority, () => {
          if (startedMs !== null) return;
          // Everyone who asked before the read went out is served by it (it started after they asked); whoever
          // asks from now on waits for the next one. Triages that queued while it waited its turn all share it.
          startedMs = this.options.now();
          waiters = this.queued;
          this.queued = [];
        });
        records.push(...(response.value ?? []));
        const next = response["@odata.nextLink"];
        request = next ? this.options.nextPage(next) : null;
      }
    } catch (error) {
      if (startedMs === null) {
        waiters = this.queued;
        this.queued = [];
      }
      for (const waiter of waiters) waiter.reject(error);
      return;
    }
    this.merge(records);
    // Newest first: when pages ran out, the feed is complete only from the oldest sign-in it reached.
    const oldestFetched = records.reduce(
      (oldest, record) => Math.min(oldest, Date.parse(record.createdDateTime)),
      Number.POSITIVE_INFINITY,
    );
    const started = startedMs ?? this.options.now();
    if (truncated) {
      // A gap between what the feed held and the oldest sign-in this read reached: claim only what is certain.
      this.coveredSinceMs = Number.isFinite(oldestFetched) ? oldestFetched + 1 : started;
    } else if (isFirst) {
      this.coveredSinceMs = fromMs;
    }
    this.lastReadStartMs = started;
    this.prune();
    await Promise.all(waiters.map((waiter) => this.answer(waiter)));
  }

  private async answer(waiter: Waiter): Promise<void> {
    if (waiter.sinceMs < this.coveredSinceMs) {
      // The feed does not reach back that far (a backlog too large for one read): this person's read, the old way.
      try {
        waiter.resolve(await this.options.readOneUser(waiter.userId, waiter.sinceMs, waiter.priority));
      } catch (error) {
        waiter.reject(error);
      }
      return;
    }
    const records = (this.byUser.get(waiter.userId) ?? []).filter(
      (record) => Date.parse(record.createdDateTime) >= waiter.sinceMs,
    );
    waiter.resolve(records.slice(0, this.perPerson));
  }

  private merge(records: SignInRecord[]): void {
    const touched = new Set<string>();
    for (const record of records) {
      if (this.seen.has(record.id)) continue;
      const created = Date.parse(record.createdDateTime);
      if (!Number.isFinite(created) || typeof record.userId !== "string") continue;
      this.seen.set(record.id, created);
      const key = record.userId.toLowerCase();
      const list = this.byUser.get(key) ?? [];
      list.push(record);
      this.byUser.set(key, list);
      touched.add(key);
    }
    for (const key of touched) {
      (this.byUser.get(key) as SignInRecord[]).sort((a, b) => b.createdDateTime.localeCompare(a.createdDateTime));
    }
  }

  /** Keeps memory bounded: past maxRecords the oldest go, and the feed no longer claims to cover their time. */
  private prune(): void {
    if (this.seen.size <= this.maxRecords) return;
    const times = [...this.seen.values()].sort((a, b) => b - a);
    const cutoff = times[this.maxRecords - 1] as number;
    for (const [key, list] of this.byUser) {
      const kept = list.filter((record) => Date.parse(record.createdDateTime) >= cutoff);
      if (kept.length === 0) this.byUser.delete(key);
      else this.byUser.set(key, kept);
    }
    for (const [id, created] of this.seen) if (created < cutoff) this.seen.delete(id);
    this.coveredSinceMs = Math.max(this.coveredSinceMs, cutoff);
  }
}
