import type { RequestPriority } from "./graph-gateway.js";
import type { SchedulerClock } from "./scheduler-clock.js";
import type { SharedThrottleBudget, ThrottlingBucket } from "./shared-throttle-budget.js";

/** What the allowance tells the scheduler: the tenant's bucket is paused until then, or new tokens arrived (pump). */
export interface AllowanceEvents {
  pausedUntil(bucket: ThrottlingBucket, atMs: number): void;
  changed(): void;
}

/**
 * The tokens this instance has leased from the tenant's shared throttling budget (shared-throttle-budget.ts), per
 * bucket: a request spends them, and when too few are held one lease is asked for (at most one per bucket at a time).
 * A refused or failed lease is not asked again before its retry time; background work is refused sooner than
 * interactive work (the interactive reserve), so the two retry separately.
 */
export class SharedBudgetAllowance {
  private readonly held: Record<ThrottlingBucket, number> = { reports: 0, directory: 0 };
  private readonly leasing: Record<ThrottlingBucket, boolean> = { reports: false, directory: false };
  private readonly retryAt: Record<ThrottlingBucket, Record<"interactive" | "background", number>> = {
    reports: { interactive: 0, background: 0 },
    directory: { interactive: 0, background: 0 },
  };

  constructor(
    private readonly budget: SharedThrottleBudget,
    private readonly chunk: Record<ThrottlingBucket, number>,
    private readonly clock: SchedulerClock,
    private readonly events: AllowanceEvents,
  ) {}

  /**
   * 0 when `needed` tokens are already held; otherwise starts one lease for the bucket (if none is under way, and
   * `mayLease`) and waits for it: the lease's answer pumps the queue again.
   */
  waitMs(bucket: ThrottlingBucket, needed: number, priority: RequestPriority, now: number, mayLease: boolean): number {
    if (this.held[bucket] >= needed) return 0;
    const retryAt = this.retryAt[bucket][leaseClass(priority)];
    if (retryAt > now) return retryAt - now;
    if (!mayLease) return 0;
    if (!this.leasing[bucket]) this.lease(bucket, needed - this.held[bucket], priority);
    // Not armed as a timer: the lease's completion pumps. A long value keeps later same-bucket work behind this one.
    return Number.POSITIVE_INFINITY;
  }

  spend(bucket: ThrottlingBucket, tokens: number): void {
    this.held[bucket] -= tokens;
  }

  /** Graph answered 429: held tokens were counted on a bucket Graph says is empty, and the other instances are told. */
  pause(bucket: ThrottlingBucket, untilMs: number): void {
    this.held[bucket] = 0;
    // Best effort: if storage cannot be told, this instance still pauses, and the others learn from their own 429.
    this.budget.pause(bucket, untilMs).catch(() => undefined);
  }

  private lease(bucket: ThrottlingBucket, minimum: number, priority: RequestPriority): void {
    this.leasing[bucket] = true;
    const wanted = Math.max(minimum, this.chunk[bucket]);
    this.budget.lease(bucket, wanted, minimum, priority).then(
      (lease) => {
        this.leasing[bucket] = false;
        const now = this.clock.now();
        this.held[bucket] += lease.granted;
        const pausedFor = lease.pausedUntilMs - Date.now();
        if (pausedFor > 0) this.events.pausedUntil(bucket, now + pausedFor);
        if (lease.granted === 0) this.retryAt[bucket][leaseClass(priority)] = now + Math.max(1, lease.retryAfterMs);
        this.events.changed();
      },
      () => {
        // Storage unreachable: waiting a moment and asking again beats sending blind and overspending the tenant.
        this.leasing[bucket] = false;
        this.retryAt[bucket][leaseClass(priority)] = this.clock.now() + 1_000;
        this.events.changed();
      },
    );
  }
}

function leaseClass(priority: RequestPriority): "interactive" | "background" {
  return priority === "background" ? "background" : "interactive";
}
