/**
 * Which kind of turn a limit applies to: re-checks cost the tenant's scarce reports budget, TAP actions touch the
 * approval state machine and the audit ledger.
 */
export type RateLimitedAction = "triageRecheck" | "tapAction";

export interface RateLimitRule {
  /** Turns allowed in a burst. */
  burst: number;
  /** One more turn is allowed every this many milliseconds. */
  refillMs: number;
}

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export const DEFAULT_RATE_LIMITS: Record<RateLimitedAction, RateLimitRule> = {
  // A person re-checking after fixing something needs one press per fix; five in a row is impatience or a script.
  triageRecheck: { burst: 5, refillMs: 10_000 },
  // An agent, manager or admin working through requests presses quickly, but not ten times a second.
  tapAction: { burst: 20, refillMs: 2_000 },
};

/** Past this many people tracked, buckets that have refilled completely are forgotten (they hold no information). */
const PRUNE_ABOVE = 10_000;

/**
 * Per-person token buckets for the turns that cost Graph or the ledger the most. Kept in each instance's memory: a
 * limit is a courtesy to everyone else, not a security boundary (authorization is checked per action regardless), and
 * with k instances behind a load balancer a person gets at most k times the burst — the shared Graph budget and the
 * fair Graph queue still hold the tenant's total.
 */
export class TurnRateLimiter {
  private readonly buckets = new Map<string, { level: number; updatedMs: number }>();

  constructor(
    private readonly rules: Record<RateLimitedAction, RateLimitRule> = DEFAULT_RATE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  take(person: string, action: RateLimitedAction): RateLimitDecision {
    const rule = this.rules[action];
    const key = `${action}\u0000${person}`;
    const nowMs = this.now();
    const bucket = this.buckets.get(key) ?? { level: rule.burst, updatedMs: nowMs };
    bucket.level = Math.min(rule.burst, bucket.level + (nowMs - bucket.updatedMs) / rule.refillMs);
    bucket.updatedMs = nowMs;
    if (bucket.level < 1) {
      this.buckets.set(key, bucket);
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(((1 - bucket.level) * rule.refillMs) / 1000)) };
    }
    bucket.level -= 1;
    this.buckets.set(key, bucket);
    if (this.buckets.size > PRUNE_ABOVE) this.prune(nowMs);
    return { allowed: true };
  }

  private prune(nowMs: number): void {
    for (const [key, bucket] of this.buckets) {
      const action = key.slice(0, key.indexOf("\u0000")) as RateLimitedAction;
      const rule = this.rules[action];
      if (bucket.level + (nowMs - bucket.updatedMs) / rule.refillMs >= rule.burst) this.buckets.delete(key);
    }
  }
}
