/**
 * Injected failures for resilience testing, from a spec such as `503:0.05,slow:0.02:1500,reset:0.01`:
 * each entry `kind:rate[:ms]` fires for that fraction of Graph requests, drawn from a seeded generator so a run
 * with the same seed and request sequence fails the same way.
 */
export type Fault = { kind: "status"; status: number } | { kind: "slow"; delayMs: number } | { kind: "reset" };

interface FaultRule {
  fault: Fault;
  rate: number;
}

export class InvalidFaultSpecError extends Error {
  constructor(spec: string, detail: string) {
    super(`Fault spec "${spec}" is invalid: ${detail} (expected e.g. 503:0.05,slow:0.02:1500,reset:0.01)`);
    this.name = "InvalidFaultSpecError";
  }
}

export function parseFaultSpec(spec: string): FaultRule[] {
  return spec
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [kind, rateText, extra] = entry.split(":");
      const rate = Number(rateText);
      if (!Number.isFinite(rate) || rate < 0 || rate > 1)
        throw new InvalidFaultSpecError(spec, `rate of "${entry}" must be 0..1`);
      if (kind === "slow") {
        const delayMs = Number(extra ?? 1000);
        if (!Number.isFinite(delayMs) || delayMs < 0) throw new InvalidFaultSpecError(spec, `delay of "${entry}"`);
        return { fault: { kind: "slow", delayMs }, rate };
      }
      if (kind === "reset") return { fault: { kind: "reset" }, rate };
      const status = Number(kind);
      if (Number.isInteger(status) && status >= 400 && status <= 599)
        return { fault: { kind: "status", status }, rate };
      throw new InvalidFaultSpecError(spec, `unknown fault "${kind}"`);
    });
}

/** mulberry32: tiny, fast, and good enough to spread faults reproducibly. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function createFaultInjector(spec: string | undefined, seed = 1) {
  const rules = spec ? parseFaultSpec(spec) : [];
  const random = seededRandom(seed);
  return {
    /** The fault for the next request, or null; every rule draws once per request so sequences stay stable. */
    next(): Fault | null {
      let chosen: Fault | null = null;
      for (const rule of rules) {
        const draw = random();
        if (!chosen && draw < rule.rate) chosen = rule.fault;
      }
      return chosen;
    },
  };
}
