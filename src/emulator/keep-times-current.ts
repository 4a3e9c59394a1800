import type { EmulatorClock } from "./emulator-clock.js";
import { graphDateTime, isoTimestamp } from "./load-tenant.js";
import type { TenantFile } from "./tenant-file.js";

export interface TimeKeeper {
  /** Moves every time the tenant file brought along by the clock's progress since the last call. */
  catchUp(): void;
}

/**
 * Keeps a rebased practice tenant as it was at capture, however long the emulator runs: the history the file brought
 * (sign-ins, audits, methods, devices) slides forward with the clock, so "MFA 2 minutes ago" stays 2 minutes ago and
 * every persona answers as docs/personas.md says. What happens while the emulator runs (a TAP issued, a sign-in with
 * it, a new audit event) is real history and keeps its own time. Only for `rebaseTimes` tenants; a fixed-date
 * tenant keeps its dates.
 */
export function keepTimesCurrent(tenant: TenantFile, clock: EmulatorClock): TimeKeeper {
  if (!tenant.rebaseTimes) return { catchUp() {} };
  const fromFile = new WeakSet<object>();
  const remember = (value: unknown): void => {
    if (!value || typeof value !== "object" || fromFile.has(value)) return;
    fromFile.add(value);
    for (const child of Object.values(value)) remember(child);
  };
  remember(tenant);
  let shiftedTo = clock.now();

  const shift = (value: object, shiftMs: number, seen: Set<object>): void => {
    if (seen.has(value) || !fromFile.has(value)) return;
    seen.add(value);
    const record = value as Record<string, unknown>;
    for (const [key, item] of Object.entries(record)) {
      if (value === tenant && key === "capturedDateTime") continue;
      if (typeof item === "string" && isoTimestamp.test(item)) record[key] = graphDateTime(Date.parse(item) + shiftMs);
      else if (item && typeof item === "object") shift(item, shiftMs, seen);
    }
  };

  return {
    catchUp() {
      // Whole seconds, like the rebase at load, so times stay as tidy as Graph's own.
      const shiftMs = Math.floor((clock.now() - shiftedTo) / 1000) * 1000;
      if (shiftMs <= 0) return;
      shiftedTo += shiftMs;
      shift(tenant, shiftMs, new Set());
    },
  };
}
