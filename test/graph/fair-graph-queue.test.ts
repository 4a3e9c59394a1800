import { afterEach, describe, expect, it } from "vitest";
import { createManualClock } from "../../src/emulator/emulator-clock.js";
import { type RunningEmulator, startEmulator } from "../../src/emulator/start-emulator.js";
import { createGraphGateway } from "../../src/graph/create-graph-gateway.js";
import { runWithGraphRequestContext } from "../../src/graph/graph-request-context.js";
import { RequestScheduler } from "../../src/graph/request-scheduler.js";
import type { SchedulerClock } from "../../src/graph/scheduler-clock.js";
import { botApp, gatewayTenant, tenantId, users } from "./gateway-tenant.js";

/**
 * Virtual time shared by emulator and scheduler: a 10 s throttling wait costs no wall-clock time. Time jumps only once
 * every request already sent has been answered, so none reaches the emulator after the jump (where it would land in
 * the same instant as the next window's requests and look like overspending).
 */
function virtualTime() {
  const emulatorClock = createManualClock(Date.now());
  const state = { scheduler: undefined as RequestScheduler | undefined };
  const clock: SchedulerClock = {
    now: () => emulatorClock.now(),
    setTimeout(callback, ms) {
      const deadline = emulatorClock.now() + ms;
      const handle = { timer: undefined as NodeJS.Timeout | undefined, cancelled: false };
      const tryJump = () => {
        if (handle.cancelled) return;
        if ((state.scheduler?.inFlight ?? 0) > 0) {
          handle.timer = setTimeout(tryJump, 2);
          return;
        }
        if (emulatorClock.now() < deadline) emulatorClock.set(deadline);
        callback();
      };
      handle.timer = setTimeout(tryJump, 0);
      return handle;
    },
    clearTimeout: (handle) => {
      const timer = handle as { timer?: NodeJS.Timeout; cancelled: boolean };
      timer.cancelled = true;
      clearTimeout(timer.timer);
    },
  };
  state.scheduler = new RequestScheduler({ clock });
  return { emulatorClock, clock, scheduler: state.scheduler };
}

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe("one person's flood under the real reports bucket", () => {
  it("does not put another person's triage reads behind the flood: theirs finish right after the flooder's requests already sent, with no 429", async () => {
    const time = virtualTime();
    emulator = await startEmulator({
      port: 0,
      tenant: gatewayTenant(time.emulatorClock.now()),
      clock: time.emulatorClock,
    });
    const gateway = createGraphGateway({
      mode: "emulator",
      baseUrl: emulator.baseUrl,
      tenantId,
      ...botApp,
      clock: time.clock,
      scheduler: time.scheduler,
      // Per-person sign-in reads: the queue alone must keep the neighbour out from behind the flood.
      shareSignInReads: false,
    });
    const since = new Date(time.emulatorClock.now() - 3600_000).toISOString();
    const finished: string[] = [];
    const snapshot = (person: string, label: string) =>
      runWithGraphRequestContext({ person }, () =>
        gateway.getUserAuthSnapshot(users.alice, { groupIds: [], signInsSince: since }),
      ).then((result) => {
        finished.push(label);
        return result;
      });
    // Fifteen "Check again" presses from one person (each two reports requests: 30 against a bucket of 5 per 10 s)…
    const flood = Array.from({ length: 15 }, (_, i) => snapshot("flooder", `flood${i + 1}`));
    await new Promise((resolve) => setImmediate(resolve));
    // …then one press from somebody else.
    const verdict = await snapshot("neighbour", "neighbour");
    expect(verdict.methods.ok).toBe(true);
    expect(verdict.signIns.ok).toBe(true);
    const results = await Promise.all(flood);
    expect(results.every((result) => result.methods.ok)).toBe(true);
    expect(finished.indexOf("neighbour")).toBeLessThanOrEqual(3);
    // Nothing overspent: every reports request went through on its first try.
    expect(emulator.requestLog.filter((entry) => entry.status === 429)).toEqual([]);
  });
});
