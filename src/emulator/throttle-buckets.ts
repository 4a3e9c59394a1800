/**
 * Graph's throttling for one emulator (graph.md §2.3), per app per tenant:
 * - "identity": identity-and-access token bucket in ResourceUnits per 10 s, sized by tenant (S < 50 users 3,500,
 *   M ≤ 500 users 5,000, L 8,000), plus a write bucket of 3,000 per 150 s that writes also spend;
 * - "reports": identity-and-access reports, 5 requests per 10 s;
 * - "none": not throttled by the emulator (Teams app installation).
 * Buckets refill continuously; `scale` multiplies every limit.
 */
export type ThrottleBucketName = "identity" | "reports" | "none";

export interface ThrottleRequest {
  appId: string;
  bucket: ThrottleBucketName;
  /** ResourceUnits of the call after modifiers (identity bucket only). */
  resourceUnits: number;
  isWrite: boolean;
}

export type ThrottleDecision =
  | { allowed: true; headers: Record<string, string> }
  | { allowed: false; retryAfterSeconds: number; headers: Record<string, string> };

interface Bucket {
  capacity: number;
  windowMs: number;
  level: number;
  updatedMs: number;
}

/** A scale of 0 (or less) would mean no request ever passes and a `Retry-After` of Infinity. */
export class InvalidThrottleScaleError extends Error {
  constructor(scale: number) {
    super(`The throttle scale must be a positive number, got ${scale}`);
    this.name = "InvalidThrottleScaleError";
  }
}

export function identityBucketSize(userCount: number): number {
  if (userCount < 50) return 3500;
  if (userCount <= 500) return 5000;
  return 8000;
}

/** ResourceUnit cost of an identity call: base cost with $select −1, $expand +1, $top < 20 −1, minimum 1. */
export function resourceUnitCost(baseCost: number, query: URLSearchParams): number {
  let cost = baseCost;
  if (query.has("$select")) cost -= 1;
  if (query.has("$expand")) cost += 1;
  const top = Number(query.get("$top"));
  if (query.has("$top") && top < 20) cost -= 1;
  return Math.max(1, cost);
}

export function createThrottleBuckets(options: {
  tenantId: string;
  userCount: number;
  scale: number;
  now: () => number;
}) {
  if (!(options.scale > 0) || !Number.isFinite(options.scale)) throw new InvalidThrottleScaleError(options.scale);
  const buckets = new Map<string, Bucket>();
  const limits = {
    identity: { capacity: identityBucketSize(options.userCount) * options.scale, windowMs: 10_000 },
    write: { capacity: 3000 * options.scale, windowMs: 150_000 },
    reports: { capacity: 5 * options.scale, windowMs: 10_000 },
  };

  // A small scale can size a bucket below the cost of one request (5 reports requests × 0.1 = 0.5); it then still
  // fills up to that one request at the scaled rate, or no request would ever pass and Retry-After would be a lie.
  const bucketFor = (appId: string, kind: keyof typeof limits, cost: number): Bucket => {
    const key = `${kind}/${appId}`;
    let bucket = buckets.get(key);
    const nowMs = options.now();
    const ceiling = (capacity: number) => Math.max(capacity, cost);
    if (!bucket) {
      bucket = { ...limits[kind], level: ceiling(limits[kind].capacity), updatedMs: nowMs };
      buckets.set(key, bucket);
    }
    const elapsed = Math.max(0, nowMs - bucket.updatedMs);
    bucket.level = Math.min(ceiling(bucket.capacity), bucket.level + (elapsed * bucket.capacity) / bucket.windowMs);
    bucket.updatedMs = nowMs;
    return bucket;
  };
  const waitSeconds = (bucket: Bucket, cost: number) =>
    Math.max(0.001, Math.ceil((((cost - bucket.level) * bucket.windowMs) / bucket.capacity / 1000) * 1000) / 1000);
  const usage = (bucket: Bucket) => (bucket.capacity - bucket.level) / bucket.capacity;
  const scope = (appId: string) => `Tenant_Application/ReadWrite/${appId}/${options.tenantId}`;

  return {
    take(request: ThrottleRequest): ThrottleDecision {
      if (request.bucket === "none") return { allowed: true, headers: {} };
      const checks: Array<{ bucket: Bucket; cost: number; information: string }> = [];
      if (request.bucket === "reports") {
        checks.push({ bucket: bucketFor(request.appId, "reports", 1), cost: 1, information: "RequestLimitExceeded" });
      } else {
        checks.push({
          bucket: bucketFor(request.appId, "identity", request.resourceUnits),
          cost: request.resourceUnits,
          information: "ResourceUnitLimitExceeded",
        });
        if (request.isWrite) {
          checks.push({ bucket: bucketFor(request.appId, "write", 1), cost: 1, information: "WriteLimitExceeded" });
        }
      }
      const exceeded = checks.filter((check) => check.bucket.level < check.cost);
      if (exceeded.length > 0) {
        const retryAfterSeconds = Math.max(...exceeded.map((check) => waitSeconds(check.bucket, check.cost)));
        return {
          allowed: false,
          retryAfterSeconds,
          headers: {
            "Retry-After": String(retryAfterSeconds),
            "x-ms-throttle-scope": scope(request.appId),
            "x-ms-throttle-information": (exceeded[0] as { information: string }).information,
          },
        };
      }
      for (const check of checks) check.bucket.level -= check.cost;
      const headers: Record<string, string> = {};
      if (request.bucket === "identity") headers["x-ms-resource-unit"] = String(request.resourceUnits);
      const highest = Math.max(...checks.map((check) => usage(check.bucket)));
      if (highest >= 0.8) headers["x-ms-throttle-limit-percentage"] = highest.toFixed(1);
      return { allowed: true, headers };
    },
    reset(): void {
      buckets.clear();
    },
  };
}
