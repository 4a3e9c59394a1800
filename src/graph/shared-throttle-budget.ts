import type { RequestPriority } from "./graph-gateway.js";

export type ThrottlingBucket = "reports" | "directory";

/** What a shared budget granted: tokens now, or when to ask again, and whether Graph paused the bucket. */
export interface BudgetLease {
  /** Tokens taken from the shared bucket (0 when it had too few). */
  granted: number;
  /** When nothing was granted: how long until the shared bucket has `minimum` (ms). */
  retryAfterMs: number;
  /** Epoch ms until which Graph told some instance to send nothing to this bucket (0 = not paused). */
  pausedUntilMs: number;
}

/**
 * One tenant's throttling buckets shared by every instance of the deployment (Azure Table storage in production:
 * src/storage/table-throttle-budget.ts). The scheduler leases tokens in small chunks and spends them locally.
 */
export interface SharedThrottleBudget {
  /** Takes between `minimum` and `wanted` tokens, or none; background work may not dig into the interactive reserve. */
  lease(bucket: ThrottlingBucket, wanted: number, minimum: number, priority: RequestPriority): Promise<BudgetLease>;
  /** Graph answered 429: every instance sends nothing more to `bucket` before `untilMs` (epoch ms). */
  pause(bucket: ThrottlingBucket, untilMs: number): Promise<void>;
}
