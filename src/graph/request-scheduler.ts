import { type FairlyQueued, FairRequestQueue, PRIORITIES } from "./fair-request-queue.js";
import { GraphQueueFullError, ThrottledError } from "./graph-errors.js";
import type { RequestPriority, SchedulerStatus } from "./graph-gateway.js";
import { currentGraphRequestContext } from "./graph-request-context.js";
import { bucketsOf, type RequestCost } from "./request-cost.js";
import { type SchedulerClock, systemClock } from "./scheduler-clock.js";
import { SharedBudgetAllowance } from "./shared-budget-allowance.js";
import type { SharedThrottleBudget, ThrottlingBucket } from "./shared-throttle-budget.js";

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
  /** Tokens leased from the tenant's shared budget, when the buckets are shared with other instances. */
  private readonly shared: SharedBudgetAllowance | undefined;

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
    this.shared = options.sharedBudget
      ? new SharedBudgetAllowance(
          options.sharedBudget,
          { reports: 1, directory: 100, ...options.leaseChunk },
          this.clock,
          {
            pausedUntil: (bucket, atMs) => {
              this.pausedUntil[bucket] = Math.max(this.pausedUntil[bucket], atMs);
            },
            changed: () => this.pump(),
          },
        )
      : undefined;
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
    this.shared?.pause(bucket, Date.now() + Math.max(0, seconds) * 1000);
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
    this.shared?.spend("reports", Math.min(job.cost.reports, this.reportsPerWindow));
    this.shared?.spend("directory", Math.min(job.cost.resourceUnits, this.unitsPerWindow));
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
      if (wait === 0) wait = this.shared?.waitMs("reports", needed, priority, now, mayLease) ?? 0;
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
      if (directoryWait === 0) directoryWait = this.shared?.waitMs("directory", needed, priority, now, mayLease) ?? 0;
      wait = Math.max(wait, directoryWait);
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
