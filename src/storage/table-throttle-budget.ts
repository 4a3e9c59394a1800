import type { TableClient } from "@azure/data-tables";
import type { RequestPriority } from "../graph/graph-gateway.js";
import type { BudgetLease, SharedThrottleBudget, ThrottlingBucket } from "../graph/shared-throttle-budget.js";
import { ConcurrentUpdateError } from "./concurrent-update-error.js";
import { createEntityIfAbsent, isStatus, updateEntityIfMatch } from "./update-entity-if-match.js";

export const GRAPH_THROTTLE_BUDGET_TABLE = "GraphThrottleBudget";

export interface BucketSize {
  /** Tokens the bucket holds when full (requests for reports, ResourceUnits for the directory). */
  capacity: number;
  /** Time to refill from empty (Graph: 10 s for both). */
  windowMs: number;
}

export interface TableThrottleBudgetOptions {
  /** Graph's buckets are per app per tenant: one partition for each pair (`<tenant id>_<app id>`). */
  scope: string;
  sizes?: Partial<Record<ThrottlingBucket, BucketSize>>;
  /**
   * Share of each bucket that background work may not take, kept for interactive and TAP work: a person in chat finds
   * tokens at once however busy the inventory is. Background still gets the whole refill when nobody is chatting.
   */
  interactiveReserve?: number;
  /**
   * Tokens kept unused at the top of each bucket (default: a tenth of it, at least one). A token is taken here before
   * its request reaches Graph; while it travels, Graph's bucket may be full and lose refill ours still counts. The
   * headroom absorbs that for up to headroom ÷ refill rate of latency (reports: 1 request ÷ 0.5/s = 2 s); the refill
   * rate, and so the throughput, is unchanged.
   */
  headroom?: Partial<Record<ThrottlingBucket, number>>;
  /** ETag conflicts retried per lease before the caller is told to ask again shortly. */
  maxAttempts?: number;
  now?: () => number;
}

interface BudgetRow {
  level: number;
  updatedMs: number;
  pausedUntilMs: number;
}

/**
 * Each tenant's Graph throttling buckets in Azure Table storage, shared by every instance of the deployment: one row
 * per bucket (partition = tenant), a token bucket refilled on read, and every take an ETag-conditional replace, so two
 * instances can never both spend the same token. Instances lease small chunks and spend them locally (see
 * docs/RELIABILITY.md for the limits: clock skew between instances, a chunk already leased when Graph pauses).
 */
export class TableThrottleBudget implements SharedThrottleBudget {
  private readonly sizes: Record<ThrottlingBucket, BucketSize>;
  private readonly ceilings: Record<ThrottlingBucket, number>;
  private readonly reserve: number;
  private readonly maxAttempts: number;
  private readonly now: () => number;

  constructor(
    private readonly table: TableClient,
    private readonly options: TableThrottleBudgetOptions,
  ) {
    this.sizes = {
      reports: { capacity: 5, windowMs: 10_000 },
      directory: { capacity: 3_500, windowMs: 10_000 },
      ...options.sizes,
    };
    const ceiling = (bucket: ThrottlingBucket) => {
      const { capacity } = this.sizes[bucket];
      return capacity - (options.headroom?.[bucket] ?? Math.max(1, Math.floor(capacity / 10)));
    };
    this.ceilings = { reports: ceiling("reports"), directory: ceiling("directory") };
    this.reserve = options.interactiveReserve ?? 0.4;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.now = options.now ?? Date.now;
  }

  async lease(
    bucket: ThrottlingBucket,
    wanted: number,
    minimum: number,
    priority: RequestPriority,
  ): Promise<BudgetLease> {
    const size = this.sizes[bucket];
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      const { row, etag } = await this.read(bucket);
      const now = this.now();
      const level = refill(row, size, this.ceilings[bucket], now);
      if (row.pausedUntilMs > now)
        return { granted: 0, retryAfterMs: row.pausedUntilMs - now, pausedUntilMs: row.pausedUntilMs };
      const ceiling = this.ceilings[bucket];
      const floor = priority === "background" ? ceiling * this.reserve : 0;
      const needed = Math.min(minimum, ceiling - floor);
      const available = level - floor;
      if (available < needed) {
        const retryAfterMs = Math.ceil(((needed - available) * size.windowMs) / size.capacity);
        return { granted: 0, retryAfterMs: Math.max(1, retryAfterMs), pausedUntilMs: row.pausedUntilMs };
      }
      const granted = Math.max(needed, Math.min(wanted, Math.floor(available)));
      try {
        await this.write(bucket, { level: level - granted, updatedMs: now, pausedUntilMs: row.pausedUntilMs }, etag);
        return { granted, retryAfterMs: 0, pausedUntilMs: row.pausedUntilMs };
      } catch (error) {
        if (!(error instanceof ConcurrentUpdateError)) throw error;
        // Another instance took tokens between our read and write: read again (a few ms of jitter spreads the retries).
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * (attempt + 1)));
      }
    }
    return { granted: 0, retryAfterMs: 20, pausedUntilMs: 0 };
  }

  async pause(bucket: ThrottlingBucket, untilMs: number): Promise<void> {
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      const { row, etag } = await this.read(bucket);
      if (row.pausedUntilMs >= untilMs) return;
      try {
        // Graph says its bucket is empty: so is ours, from now on.
        await this.write(bucket, { level: 0, updatedMs: this.now(), pausedUntilMs: untilMs }, etag);
        return;
      } catch (error) {
        if (!(error instanceof ConcurrentUpdateError)) throw error;
      }
    }
  }

  private async read(bucket: ThrottlingBucket): Promise<{ row: BudgetRow; etag: string }> {
    try {
      const entity = await this.table.getEntity<BudgetRow>(this.options.scope, bucket);
      return {
        row: {
          level: Number(entity.level),
          updatedMs: Number(entity.updatedMs),
          pausedUntilMs: Number(entity.pausedUntilMs ?? 0),
        },
        etag: entity.etag,
      };
    } catch (error) {
      if (!isStatus(error, 404)) throw error;
    }
    const row: BudgetRow = { level: this.ceilings[bucket], updatedMs: this.now(), pausedUntilMs: 0 };
    try {
      const etag = await createEntityIfAbsent(this.table, {
        partitionKey: this.options.scope,
        rowKey: bucket,
        ...row,
      });
      return { row, etag };
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError)) throw error;
      const entity = await this.table.getEntity<BudgetRow>(this.options.scope, bucket);
      return {
        row: {
          level: Number(entity.level),
          updatedMs: Number(entity.updatedMs),
          pausedUntilMs: Number(entity.pausedUntilMs ?? 0),
        },
        etag: entity.etag,
      };
    }
  }

  private async write(bucket: ThrottlingBucket, row: BudgetRow, etag: string): Promise<void> {
    await updateEntityIfMatch(this.table, { partitionKey: this.options.scope, rowKey: bucket, ...row }, etag);
  }
}

/** The bucket's level now: refilled continuously since it was last written (never past full, never backwards). */
function refill(row: BudgetRow, size: BucketSize, ceiling: number, now: number): number {
  const elapsed = Math.max(0, now - row.updatedMs);
  return Math.min(ceiling, row.level + (elapsed * size.capacity) / size.windowMs);
}
