/** The emulator's notion of now, in epoch milliseconds. Tests inject one to move time without waiting. */
export interface EmulatorClock {
  now(): number;
}

export const systemClock: EmulatorClock = { now: () => Date.now() };

/** A clock tests move by hand. */
export function createManualClock(startMs = Date.parse("2026-11-22T10:00:00Z")) {
  let current = startMs;
  return {
    now: () => current,
    advance(ms: number) {
      current += ms;
    },
    set(ms: number) {
      current = ms;
    },
  };
}
