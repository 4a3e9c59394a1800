import { type FairlyQueued, FairRequestQueue, PRIORITIES } from "./fair-request-queue.js";
import { GraphQueueFullError, ThrottledError } from "./graph-errors.js";
import type { RequestPriority, SchedulerStatus } from "./graph-gateway.js";
import { currentGraphRequestContext } from "./graph-request-context.js";
import type { SharedThrottleBudget, ThrottlingBucket } from "./shared-throttle-budget.js";

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
  /** Requests one person may have waiting; past it their next request fails at once with GraphQueueFullError. */
  maxQueuedPerPerson?: number;
  /** Requests waiting in all; bounds memory under a flood. */
  maxQueued?: number;
  /**
   * Share the tenant's buckets with the other instances (leased in chunks) instead of assuming this process owns them.
   * The local windows above still apply on top, so one instance never exceeds the whole budget on its own.
   */
  sharedBudget?: SharedThrottleBudget;
  /** Tokens leased at once from the shared budget, per bucket. Small, so an idle instance holds little. */
  leaseChunk?: Partial<Record<ThrottlingBucket, number>>;
}

interface Job extends FairlyQueued {
  cost: RequestCost;
  task: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  throttledCount: number;
}

const ANONYMOUS = "";

/**
 * Keeps one tenant's Graph traffic within both throttling buckets and serves TAP work first, then interactive work (a
 * person waiting in chat), then background work. Within a priority, people are served in turn (start-time fair
 * queueing), so one person's flood of re-checks delays nobody else by more than one request. A request waits in a
 * bounded queue, never spins: one timer is armed for the moment the first blocked request can fit. A 429 pauses the
 * bucket for the advised Retry-After (on every instance, with a shared budget) and re-queues the request.
 */
export class RequestScheduler {
  private readonly clock: SchedulerClock;
  private readonly reportsPerWindow: number;
  private readonly reportsWindowMs: number;
  private readonly unitsPerWindow: number;
  private readonly unitsWindowMs: number;
  private readonly maxThrottleRetries: number;
  private readonly maxConcurrent: number;
  private readonly maxQueuedPerPerson: number;
  private readonly maxQueued: number;
  private readonly waiting = new FairRequestQueue<Job>();
  private readonly reportStarts: number[] = [];
  private units: number;
  private unitsUpdatedAt: number;
  private readonly pausedUntil: Record<ThrottlingBucket, number> = { reports: 0, directory: 0 };
  private running = 0;
  private timer: { handle: unknown; at: number } | null = null;
  private readonly shared: SharedThrottleBudget | undefined;
  private readonly leaseChunk: Record<ThrottlingBucket, number>;
  private readonly allowance: Record<ThrottlingBucket, number> = { reports: 0, directory: 0 };
  private readonly leasing: Record<ThrottlingBucket, boolean> = { reports: false, directory: false };
  /** When to ask the shared budget again after it refused; background is refused sooner (the interactive reserve). */
  private readonly leaseRetryAt: Record<ThrottlingBucket, Record<"interactive" | "background", number>> = {
    reports: { interactive: 0, background: 0 },
    directory: { interactive: 0, background: 0 },
  };

  constructor(options: RequestSchedulerOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.reportsPerWindow = options.reportsPerWindow ?? 5;
    this.reportsWindowMs = options.reportsWindowMs ?? 10_000;
    this.unitsPerWindow = options.resourceUnitsPerWindow ?? 3_500;
    this.unitsWindowMs = options.resourceUnitsWindowMs ?? 10_000;
    this.maxThrottleRetries = options.maxThrottleRetries ?? 5;
    this.maxConcurrent = options.maxConcurrent ?? 6;
    this.maxQueuedPerPerson = options.maxQueuedPerPerson ?? 40;
    this.maxQueued = options.maxQueued ?? 5_000;
    this.units = this.unitsPerWindow;
    this.unitsUpdatedAt = this.clock.now();
    this.shared = options.sharedBudget;
    this.leaseChunk = { reports: 1, directory: 100, ...options.leaseChunk };
  }

  /**
   * Runs `task` once both buckets have room for `cost`; TAP before interactive before background, people in turn.
   * "interactive" takes the priority of the current request context (a TAP turn makes it "tap"); the person comes from
   * that context too (graph-request-context.ts).
   */
  schedule<T>(priority: RequestPriority, cost: RequestCost, task: () => Promise<T>): Promise<T> {
    const context = currentGraphRequestContext();
    const effective = priority === "interactive" ? (context.priority ?? priority) : priority;
    const person = context.person ?? ANONYMOUS;
    if (person !== ANONYMOUS && this.waiting.waitingFor(person) >= this.maxQueuedPerPerson) {
      return Promise.reject(new GraphQueueFullError("person", this.estimateWaitSeconds(cost)));
    }
    if (this.waiting.size >= this.maxQueued) {
      return Promise.reject(new GraphQueueFullError("everyone", this.estimateWaitSeconds(cost)));
    }
    return new Promise<T>((resolve, reject) => {
      this.waiting.add({
        priority: effective,
        person,
        cost,
        task,
        resolve: resolve as (value: unknown) => void,
        reject,
        throttledCount: 0,
      });
      this.pump();
    });
  }

  /** Graph answered 429 (perhaps inside a `$batch`): nothing more goes to that bucket for `seconds`, on any instance. */
  pause(bucket: ThrottlingBucket, seconds: number): void {
    const until = this.clock.now() + Math.max(0, seconds) * 1000;
    this.pausedUntil[bucket] = Math.max(this.pausedUntil[bucket], until);
    // Held tokens were counted on a bucket Graph says is empty: spending them now would only earn another 429.
    this.allowance[bucket] = 0;
    // Best effort: if storage cannot be told, this instance still pauses, and the others learn from their own 429.
    this.shared?.pause(bucket, Date.now() + Math.max(0, seconds) * 1000).catch(() => undefined);
  }

  status(): SchedulerStatus {
    return {
      queuedInteractive: this.waiting.sizeOf("tap") + this.waiting.sizeOf("interactive"),
      queuedBackground: this.waiting.sizeOf("background"),
      reportsBucketWaitSeconds: Math.ceil(this.waitMs({ reports: 1, resourceUnits: 0 }) / 100) / 10,
    };
  }

  /** Requests sent and not yet answered. */
  get inFlight(): number {
    return this.running;
  }

  private estimateWaitSeconds(cost: RequestCost): number {
    return Math.max(1, Math.ceil(this.waitMs(cost) / 1000));
  }

  private pump(): void {
    const blocked = new Set<ThrottlingBucket>();
    let earliestWait = Number.POSITIVE_INFINITY;
    for (const priority of PRIORITIES) {
      const queue = this.waiting.inOrder(priority);
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
        const wait = this.waitMs(job.cost, job.priority, true);
        if (wait > 0) {
          // Later requests for the same bucket wait behind this one, so priority and order hold.
          for (const bucket of buckets) blocked.add(bucket);
          earliestWait = Math.min(earliestWait, wait);
          index++;
          continue;
        }
        this.start(this.waiting.take(priority, index));
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
    if (this.shared) {
      this.allowance.reports -= Math.min(job.cost.reports, this.reportsPerWindow);
      this.allowance.directory -= Math.min(job.cost.resourceUnits, this.unitsPerWindow);
    }
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
          this.waiting.putBack(job);
        } else {
          job.reject(error);
        }
        this.pump();
      },
    );
  }

  /** Milliseconds until both buckets have room for `cost` (0 = now); with a shared budget, leases what is missing. */
  private waitMs(cost: RequestCost, priority: RequestPriority = "interactive", mayLease = false): number {
    const now = this.clock.now();
    let wait = 0;
    if (cost.reports > 0) {
      wait = Math.max(wait, this.pausedUntil.reports - now);
      const inWindow = this.reportStarts.filter((start) => start > now - this.reportsWindowMs);
      this.reportStarts.splice(0, this.reportStarts.length, ...inWindow);
      const needed = Math.min(cost.reports, this.reportsPerWindow);
      const excess = inWindow.length + needed - this.reportsPerWindow;
      if (excess > 0) wait = Math.max(wait, (inWindow[excess - 1] as number) + this.reportsWindowMs - now);
      if (wait === 0) wait = this.sharedWaitMs("reports", needed, priority, now, mayLease);
    }
    if (cost.resourceUnits > 0) {
      let directoryWait = Math.max(0, this.pausedUntil.directory - now);
      this.refillUnits(now);
      const needed = Math.min(cost.resourceUnits, this.unitsPerWindow);
      if (this.units < needed) {
        directoryWait = Math.max(
          directoryWait,
          Math.ceil(((needed - this.units) * this.unitsWindowMs) / this.unitsPerWindow),
        );
      }
      if (directoryWait === 0) directoryWait = this.sharedWaitMs("directory", needed, priority, now, mayLease);
      wait = Math.max(wait, directoryWait);
    }
    return Math.max(0, wait);
  }

  /**
   * With a shared budget: 0 when the tokens are already leased; otherwise starts one lease for the bucket (if none is
   * under way) and waits for it — the lease's answer pumps the queue again.
   */
  private sharedWaitMs(
    bucket: ThrottlingBucket,
    needed: number,
    priority: RequestPriority,
    now: number,
    mayLease: boolean,
  ): number {
    if (!this.shared || this.allowance[bucket] >= needed) return 0;
    const retryAt = this.leaseRetryAt[bucket][leaseClass(priority)];
    if (retryAt > now) return retryAt - now;
    if (!mayLease) return 0;
    if (!this.leasing[bucket]) this.lease(bucket, needed - this.allowance[bucket], priority);
    // Not armed as a timer: the lease's completion pumps. A long value keeps later same-bucket work behind this one.
    return Number.POSITIVE_INFINITY;
  }

  private lease(bucket: ThrottlingBucket, minimum: number, priority: RequestPriority): void {
    const shared = this.shared as SharedThrottleBudget;
    this.leasing[bucket] = true;
    const wanted = Math.max(minimum, this.leaseChunk[bucket]);
    shared.lease(bucket, wanted, minimum, priority).then(
      (lease) => {
        this.leasing[bucket] = false;
        const now = this.clock.now();
        this.allowance[bucket] += lease.granted;
        const pausedFor = lease.pausedUntilMs - Date.now();
        if (pausedFor > 0) this.pausedUntil[bucket] = Math.max(this.pausedUntil[bucket], now + pausedFor);
        if (lease.granted === 0)
          this.leaseRetryAt[bucket][leaseClass(priority)] = now + Math.max(1, lease.retryAfterMs);
        this.pump();
      },
      () => {
        // Storage unreachable: waiting a moment and asking again beats sending blind and overspending the tenant.
        this.leasing[bucket] = false;
        this.leaseRetryAt[bucket][leaseClass(priority)] = this.clock.now() + 1_000;
        this.pump();
      },
    );
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

function leaseClass(priority: RequestPriority): "interactive" | "background" {
  return priority === "background" ? "background" : "interactive";
}

function bucketsOf(cost: RequestCost): ThrottlingBucket[] {
  const buckets: ThrottlingBucket[] = [];
  if (cost.reports > 0) buckets.push("reports");
  if (cost.resourceUnits > 0) buckets.push("directory");
  return buckets;
}
