import { ThrottledError } from "./graph-errors.js";
import type { RequestPriority, SchedulerStatus } from "./graph-gateway.js";

/** Time source and timers, injected so tests drive the scheduler with a fake clock. */
export interface SchedulerClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: SchedulerClock = {
  now: () => Date.now(),
  // Not unref'd: a CLI whose only pending work is a queued Graph request must stay alive until it runs.
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** What one Graph request (or one `$batch`, summed over its items) takes from each throttling bucket. */
export interface RequestCost {
  /** Requests against the identity-and-access-reports bucket (sign-ins, audits, authentication methods). */
  reports: number;
  /** Identity-and-access ResourceUnits (graph.md §2.3). */
  resourceUnits: number;
}

export type ThrottlingBucket = "reports" | "directory";

export interface RequestSchedulerOptions {
  clock?: SchedulerClock;
  /** Reports bucket: 5 requests per 10 s per app per tenant. */
  reportsPerWindow?: number;
  reportsWindowMs?: number;
  /** Directory bucket: 3,500 ResourceUnits per 10 s for a small (<50 users) tenant; 5,000 / 8,000 for larger ones. */
  resourceUnitsPerWindow?: number;
  resourceUnitsWindowMs?: number;
  /** How often one request may be throttled (and re-queued after the advised delay) before its caller sees ThrottledError. */
  maxThrottleRetries?: number;
  /** Requests in flight at once; Graph throttles bursts, and the bot never needs more. */
  maxConcurrent?: number;
}

interface Job {
  priority: RequestPriority;
  cost: RequestCost;
  task: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  throttledCount: number;
}

/**
 * Keeps one tenant's Graph traffic within both throttling buckets and serves interactive work (a person waiting in
 * chat) before background work. A request waits in a queue, never spins: one timer is armed for the moment the
 * first blocked request can fit. A 429 pauses the bucket for the advised Retry-After and re-queues the request.
 */
export class RequestScheduler {
  private readonly clock: SchedulerClock;
  private readonly reportsPerWindow: number;
  private readonly reportsWindowMs: number;
  private readonly unitsPerWindow: number;
  private readonly unitsWindowMs: number;
  private readonly maxThrottleRetries: number;
  private readonly maxConcurrent: number;
  private readonly queues: Record<RequestPriority, Job[]> = { interactive: [], background: [] };
  private readonly reportStarts: number[] = [];
  private units: number;
  private unitsUpdatedAt: number;
  private readonly pausedUntil: Record<ThrottlingBucket, number> = { reports: 0, directory: 0 };
  private running = 0;
  private timer: { handle: unknown; at: number } | null = null;

  constructor(options: RequestSchedulerOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.reportsPerWindow = options.reportsPerWindow ?? 5;
    this.reportsWindowMs = options.reportsWindowMs ?? 10_000;
    this.unitsPerWindow = options.resourceUnitsPerWindow ?? 3_500;
    this.unitsWindowMs = options.resourceUnitsWindowMs ?? 10_000;
    this.maxThrottleRetries = options.maxThrottleRetries ?? 5;
    this.maxConcurrent = options.maxConcurrent ?? 6;
    this.units = this.unitsPerWindow;
    this.unitsUpdatedAt = this.clock.now();
  }

  /** Runs `task` once both buckets have room for `cost`; interactive before background. */
  schedule<T>(priority: RequestPriority, cost: RequestCost, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queues[priority].push({
        priority,
        cost,
        task,
        resolve: resolve as (value: unknown) => void,
        reject,
        throttledCount: 0,
      });
      this.pump();
    });
  }

  /** Graph answered 429 (perhaps inside a `$batch`): nothing more goes to that bucket for `seconds`. */
  pause(bucket: ThrottlingBucket, seconds: number): void {
    const until = this.clock.now() + Math.max(0, seconds) * 1000;
    this.pausedUntil[bucket] = Math.max(this.pausedUntil[bucket], until);
  }

  status(): SchedulerStatus {
    return {
      queuedInteractive: this.queues.interactive.length,
      queuedBackground: this.queues.background.length,
      reportsBucketWaitSeconds: Math.ceil(this.waitMs({ reports: 1, resourceUnits: 0 }) / 100) / 10,
    };
  }

  private pump(): void {
    const blocked = new Set<ThrottlingBucket>();
    let earliestWait = Number.POSITIVE_INFINITY;
    for (const priority of ["interactive", "background"] as const) {
      const queue = this.queues[priority];
      for (let index = 0; index < queue.length; ) {
        const job = queue[index] as Job;
        const buckets = bucketsOf(job.cost);
        if (buckets.some((bucket) => blocked.has(bucket))) {
          index++;
          continue;
        }
        if (this.running >= this.maxConcurrent) {
          this.disarm();
          return;
        }
        const wait = this.waitMs(job.cost);
        if (wait > 0) {
          // Later requests for the same bucket wait behind this one, so priority and order hold.
          for (const bucket of buckets) blocked.add(bucket);
          earliestWait = Math.min(earliestWait, wait);
          index++;
          continue;
        }
        queue.splice(index, 1);
        this.start(job);
      }
    }
    if (Number.isFinite(earliestWait)) this.arm(earliestWait);
    else this.disarm();
  }

  private start(job: Job): void {
    const now = this.clock.now();
    for (let i = 0; i < Math.min(job.cost.reports, this.reportsPerWindow); i++) this.reportStarts.push(now);
    this.refillUnits(now);
    this.units -= Math.min(job.cost.resourceUnits, this.unitsPerWindow);
    this.running++;
    new Promise((resolve) => resolve(job.task())).then(
      (value) => {
        this.running--;
        job.resolve(value);
        this.pump();
      },
      (error: unknown) => {
        this.running--;
        if (error instanceof ThrottledError && job.throttledCount < this.maxThrottleRetries) {
          for (const bucket of bucketsOf(job.cost)) this.pause(bucket, error.retryAfterSeconds);
          job.throttledCount++;
          this.queues[job.priority].unshift(job);
        } else {
          job.reject(error);
        }
        this.pump();
      },
    );
  }

  /** Milliseconds until both buckets have room for `cost` (0 = now). */
  private waitMs(cost: RequestCost): number {
    const now = this.clock.now();
    let wait = 0;
    if (cost.reports > 0) {
      wait = Math.max(wait, this.pausedUntil.reports - now);
      const inWindow = this.reportStarts.filter((start) => start > now - this.reportsWindowMs);
      this.reportStarts.splice(0, this.reportStarts.length, ...inWindow);
      const needed = Math.min(cost.reports, this.reportsPerWindow);
      const excess = inWindow.length + needed - this.reportsPerWindow;
      if (excess > 0) wait = Math.max(wait, (inWindow[excess - 1] as number) + this.reportsWindowMs - now);
    }
    if (cost.resourceUnits > 0) {
      wait = Math.max(wait, this.pausedUntil.directory - now);
      this.refillUnits(now);
      const needed = Math.min(cost.resourceUnits, this.unitsPerWindow);
      if (this.units < needed) {
        wait = Math.max(wait, Math.ceil(((needed - this.units) * this.unitsWindowMs) / this.unitsPerWindow));
      }
    }
    return Math.max(0, wait);
  }

  private refillUnits(now: number): void {
    const elapsed = now - this.unitsUpdatedAt;
    this.units = Math.min(this.unitsPerWindow, this.units + (elapsed * this.unitsPerWindow) / this.unitsWindowMs);
    this.unitsUpdatedAt = now;
  }

  private arm(waitMs: number): void {
    const at = this.clock.now() + waitMs;
    if (this.timer && this.timer.at <= at) return;
    this.disarm();
    const handle = this.clock.setTimeout(() => {
      this.timer = null;
      this.pump();
    }, waitMs);
    this.timer = { handle, at };
  }

  private disarm(): void {
    if (this.timer) this.clock.clearTimeout(this.timer.handle);
    this.timer = null;
  }
}

function bucketsOf(cost: RequestCost): ThrottlingBucket[] {
  const buckets: ThrottlingBucket[] = [];
  if (cost.reports > 0) buckets.push("reports");
  if (cost.resourceUnits > 0) buckets.push("directory");
  return buckets;
}

/**
 * ResourceUnits of one directory request (graph.md §2.3): base cost by endpoint, `$select` −1, `$expand` +1,
 * `$top` < 20 −1, never below 1; writes cost one more.
 */
export function resourceUnitCost(request: { method: string; path: string; query?: string }): number {
  const method = request.method.toUpperCase();
  const path = request.path.toLowerCase();
  const query = request.query ?? "";
  let cost = 1;
  if (method === "GET") {
    if (/^\/users\/?$/.test(path) || /\/(memberof|transitivememberof|ownedobjects|licensedetails)(\/|$)/.test(path)) {
      cost = 2;
    } else if (/^\/users\/[^/]+$/.test(path) || path === "/me") {
      cost = 2;
    } else if (/^\/groups\/[^/]+\/transitivemembers/.test(path)) {
      cost = 5;
    }
    if (/(^|[?&])\$select=/.test(query)) cost -= 1;
    if (/(^|[?&])\$expand=/.test(query)) cost += 1;
    const top = /(?:^|[?&])\$top=(\d+)/.exec(query);
    if (top && Number(top[1]) < 20) cost -= 1;
    return Math.max(1, cost);
  }
  if (/\/checkmembergroups$/.test(path)) return 4;
  if (/\/getmembergroups$/.test(path)) return 2;
  return 2;
}
