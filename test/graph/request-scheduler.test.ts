import { describe, expect, it } from "vitest";
import { GraphQueueFullError, ThrottledError } from "../../src/graph/graph-errors.js";
import { runWithGraphRequestContext } from "../../src/graph/graph-request-context.js";
import { resourceUnitCost } from "../../src/graph/request-cost.js";
import { RequestScheduler } from "../../src/graph/request-scheduler.js";
import type { SharedThrottleBudget } from "../../src/graph/shared-throttle-budget.js";
import { FakeClock, settle } from "./fake-clock.js";

const report = { reports: 1, resourceUnits: 0 };
const directory = (resourceUnits: number) => ({ reports: 0, resourceUnits });

function recorder() {
  const started: string[] = [];
  const task = (name: string) => async () => {
    started.push(name);
    return name;
  };
  return { started, task };
}

describe("RequestScheduler", () => {
  it("lets five reports requests through at once and holds the sixth until the 10 s window has room", async () => {
    const clock = new FakeClock();
    const scheduler = new RequestScheduler({ clock });
    const { started, task } = recorder();
    for (let i = 1; i <= 6; i++) void scheduler.schedule("interactive", report, task(`r${i}`));
    await settle();
    expect(started).toEqual(["r1", "r2", "r3", "r4", "r5"]);
    expect(scheduler.status()).toEqual({ queuedInteractive: 1, queuedBackground: 0, reportsBucketWaitSeconds: 10 });
    await clock.advance(9_999);
    expect(started).toHaveLength(5);
    await clock.advance(1);
    expect(started).toHaveLength(6);
  });

  it("serves queued interactive work before background work that was queued earlier", async () => {
    const clock = new FakeClock();
    const scheduler = new RequestScheduler({ clock, reportsPerWindow: 1 });
    const { started, task } = recorder();
    void scheduler.schedule("background", report, task("first"));
    void scheduler.schedule("background", report, task("inventory"));
    void scheduler.schedule("interactive", report, task("chat"));
    await settle();
    expect(started).toEqual(["first"]);
    expect(scheduler.status().queuedBackground).toBe(1);
    expect(scheduler.status().queuedInteractive).toBe(1);
    await clock.advance(10_000);
    expect(started).toEqual(["first", "chat"]);
    await clock.advance(10_000);
    expect(started).toEqual(["first", "chat", "inventory"]);
  });

  it("lets directory requests pass while the reports bucket is full", async () => {
    const clock = new FakeClock();
    const scheduler = new RequestScheduler({ clock, reportsPerWindow: 1 });
    const { started, task } = recorder();
    void scheduler.schedule("interactive", report, task("r1"));
    void scheduler.schedule("interactive", report, task("r2"));
    void scheduler.schedule("background", directory(1), task("d1"));
    await settle();
    expect(started).toEqual(["r1", "d1"]);
  });

  it("keeps within the directory ResourceUnit budget and refills it over the window", async () => {
    const clock = new FakeClock();
    const scheduler = new RequestScheduler({ clock, resourceUnitsPerWindow: 10, resourceUnitsWindowMs: 10_000 });
    const { started, task } = recorder();
    for (let i = 1; i <= 4; i++) void scheduler.schedule("interactive", directory(4), task(`c${i}`));
    await settle();
    expect(started).toEqual(["c1", "c2"]);
    await clock.advance(1_999);
    expect(started).toHaveLength(2);
    await clock.advance(1);
    expect(started).toEqual(["c1", "c2", "c3"]);
    await clock.advance(4_000);
    expect(started).toHaveLength(4);
  });

  it("pauses the bucket for the advised Retry-After on 429 and retries the request instead of failing", async () => {
    const clock = new FakeClock();
    const scheduler = new RequestScheduler({ clock });
    let attempts = 0;
    const result = scheduler.schedule("interactive", report, async () => {
      attempts++;
      if (attempts === 1) throw new ThrottledError("throttled", 429, "TooManyRequests", null, 3);
      return "ok";
    });
    await settle();
    expect(attempts).toBe(1);
    expect(scheduler.status().reportsBucketWaitSeconds).toBe(3);
    await clock.advance(2_999);
    expect(attempts).toBe(1);
    await clock.advance(1);
    await expect(result).resolves.toBe("ok");
    expect(attempts).toBe(2);
  });

  it("gives up with ThrottledError after the configured number of throttled attempts", async () => {
    const clock = new FakeClock();
    const scheduler = new RequestScheduler({ clock, maxThrottleRetries: 1 });
    const result = scheduler.schedule("interactive", directory(1), async () => {
      throw new ThrottledError("throttled", 429, "TooManyRequests", null, 1);
    });
    const outcome = expect(result).rejects.toBeInstanceOf(ThrottledError);
    await clock.advance(1_000);
    await outcome;
  });

  it("passes other failures straight to the caller", async () => {
    const scheduler = new RequestScheduler({ clock: new FakeClock() });
    await expect(
      scheduler.schedule("interactive", report, async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
  });

  it("arms at most one timer while requests wait, rather than polling", async () => {
    const clock = new FakeClock();
    const scheduler = new RequestScheduler({ clock, reportsPerWindow: 1 });
    const { task } = recorder();
    for (let i = 0; i < 10; i++) void scheduler.schedule("background", report, task(`r${i}`));
    await settle();
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(100_000);
    expect(clock.pendingTimers).toBe(0);
  });

  it("reports how long until the reports bucket has room", async () => {
    const clock = new FakeClock();
    const scheduler = new RequestScheduler({ clock, reportsPerWindow: 2 });
    const { task } = recorder();
    void scheduler.schedule("interactive", report, task("a"));
    await clock.advance(4_000);
    void scheduler.schedule("interactive", report, task("b"));
    await settle();
    expect(scheduler.status().reportsBucketWaitSeconds).toBe(6);
    await clock.advance(6_000);
    expect(scheduler.status().reportsBucketWaitSeconds).toBe(0);
  });

  it("limits how many requests are in flight at once", async () => {
    const scheduler = new RequestScheduler({ clock: new FakeClock(), maxConcurrent: 2 });
    const releases: Array<() => void> = [];
    let started = 0;
    const slow = () =>
      new Promise<void>((resolve) => {
        started++;
        releases.push(resolve);
      });
    const all = [1, 2, 3].map(() => scheduler.schedule("interactive", directory(1), slow));
    await settle();
    expect(started).toBe(2);
    releases[0]?.();
    await settle();
    expect(started).toBe(3);
    for (const release of releases) release();
    await Promise.all(all);
  });
});

describe("resourceUnitCost", () => {
  it.each([
    [{ method: "GET", path: "/users/abc", query: "$select=id" }, 1],
    [{ method: "GET", path: "/users", query: "$select=id&$top=5" }, 1],
    [{ method: "GET", path: "/users", query: "" }, 2],
    [{ method: "POST", path: "/users/abc/checkMemberGroups" }, 4],
    [{ method: "GET", path: "/users/abc/manager", query: "$select=id" }, 1],
    [{ method: "GET", path: "/groups/g/transitiveMembers", query: "$expand=x" }, 6],
    [{ method: "DELETE", path: "/users/abc/authentication/temporaryAccessPassMethods/x" }, 2],
  ])("charges %o → %i ResourceUnits", (request, expected) => {
    expect(resourceUnitCost(request)).toBe(expected);
  });
});

describe("RequestScheduler fairness and priorities", () => {
  const as = <T>(person: string, work: () => T, priority?: "tap" | "interactive" | "background") =>
    runWithGraphRequestContext({ person, priority }, work);

  it("serves another person's first request right after the one in flight, however many one person queued", async () => {
    const clock = new FakeClock();
    const scheduler = new RequestScheduler({ clock, reportsPerWindow: 1 });
    const { started, task } = recorder();
    for (let i = 1; i <= 30; i++)
      void as("flooder", () => scheduler.schedule("interactive", report, task(`flood${i}`)));
    void as("neighbour", () => scheduler.schedule("interactive", report, task("verdict")));
    await settle();
    expect(started).toEqual(["flood1"]);
    await clock.advance(10_000);
    expect(started).toEqual(["flood1", "verdict"]);
  });

  it("alternates between people with backlogs instead of serving one backlog to the end", async () => {
    const clock = new FakeClock();
    const scheduler = new RequestScheduler({ clock, reportsPerWindow: 1 });
    const { started, task } = recorder();
    for (let i = 1; i <= 3; i++) void as("a", () => scheduler.schedule("interactive", report, task(`a${i}`)));
    for (let i = 1; i <= 3; i++) void as("b", () => scheduler.schedule("interactive", report, task(`b${i}`)));
    await settle();
    await clock.advance(50_000);
    expect(started).toEqual(["a1", "b1", "a2", "b2", "a3", "b3"]);
  });

  it("serves TAP work before triage and triage before background, whatever the arrival order", async () => {
    const clock = new FakeClock();
    const scheduler = new RequestScheduler({ clock, reportsPerWindow: 1 });
    const { started, task } = recorder();
    void scheduler.schedule("background", report, task("first"));
    void scheduler.schedule("background", report, task("inventory"));
    void as("user", () => scheduler.schedule("interactive", report, task("triage")));
    // A TAP turn's requests ask for "interactive" like any other; the turn's context makes them TAP work.
    void as("manager", () => scheduler.schedule("interactive", report, task("approval")), "tap");
    await settle();
    await clock.advance(30_000);
    expect(started).toEqual(["first", "approval", "triage", "inventory"]);
  });

  it("keeps background requests background inside a TAP turn", async () => {
    const clock = new FakeClock();
    const scheduler = new RequestScheduler({ clock, reportsPerWindow: 1 });
    const { started, task } = recorder();
    void scheduler.schedule("background", report, task("first"));
    void as("agent", () => scheduler.schedule("background", report, task("refresh")), "tap");
    void as("user", () => scheduler.schedule("interactive", report, task("triage")));
    await settle();
    await clock.advance(20_000);
    expect(started).toEqual(["first", "triage", "refresh"]);
  });

  it("refuses a person's request at once past their queue bound, with a wait hint, and still serves others", async () => {
    const clock = new FakeClock();
    const scheduler = new RequestScheduler({ clock, reportsPerWindow: 1, maxQueuedPerPerson: 3 });
    const { started, task } = recorder();
    const outcomes: Array<Promise<unknown>> = [];
    for (let i = 1; i <= 5; i++)
      outcomes.push(as("flooder", () => scheduler.schedule("interactive", report, task(`f${i}`))).catch((e) => e));
    void as("other", () => scheduler.schedule("interactive", report, task("other")));
    const refused = await outcomes[4];
    expect(refused).toBeInstanceOf(GraphQueueFullError);
    expect((refused as GraphQueueFullError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    await clock.advance(10_000);
    expect(started).toEqual(["f1", "other"]);
    expect(scheduler.status().queuedInteractive).toBe(3);
  });

  it("bounds the whole queue", async () => {
    const scheduler = new RequestScheduler({ clock: new FakeClock(), reportsPerWindow: 1, maxQueued: 2 });
    const { task } = recorder();
    void scheduler.schedule("interactive", report, task("running"));
    void scheduler.schedule("interactive", report, task("q1"));
    void scheduler.schedule("interactive", report, task("q2"));
    await expect(scheduler.schedule("background", report, task("q3"))).rejects.toBeInstanceOf(GraphQueueFullError);
  });
});

describe("RequestScheduler with a shared budget", () => {
  /** A budget holding `tokens` reports tokens that refuses background work while fewer than `reserve` remain. */
  function fakeBudget(tokens: number, reserve: number) {
    const state = { tokens, leases: 0, pausedUntilMs: 0 };
    const budget: SharedThrottleBudget = {
      async lease(_bucket, wanted, minimum, priority) {
        state.leases++;
        const floor = priority === "background" ? reserve : 0;
        if (state.tokens - floor < minimum) return { granted: 0, retryAfterMs: 5_000, pausedUntilMs: 0 };
        const granted = Math.min(wanted, state.tokens - floor);
        state.tokens -= granted;
        return { granted, retryAfterMs: 0, pausedUntilMs: state.pausedUntilMs };
      },
      async pause(_bucket, untilMs) {
        state.pausedUntilMs = untilMs;
      },
    };
    return { budget, state };
  }

  it("spends only what it leased, and a background refusal does not hold up a person's request", async () => {
    const clock = new FakeClock();
    const { budget, state } = fakeBudget(3, 2);
    const scheduler = new RequestScheduler({ clock, sharedBudget: budget });
    const { started, task } = recorder();
    void scheduler.schedule("background", report, task("inventory1"));
    void scheduler.schedule("background", report, task("inventory2"));
    await settle();
    expect(started).toEqual(["inventory1"]);
    void scheduler.schedule("interactive", report, task("triage"));
    await settle();
    expect(started).toEqual(["inventory1", "triage"]);
    expect(state.tokens).toBe(1);
  });

  it("tells the shared budget when Graph answers 429, so the other instances pause too", async () => {
    const clock = new FakeClock();
    const { budget, state } = fakeBudget(5, 0);
    const scheduler = new RequestScheduler({ clock, sharedBudget: budget });
    let calls = 0;
    const before = Date.now();
    void scheduler.schedule("interactive", report, async () => {
      calls++;
      if (calls === 1) throw new ThrottledError("throttled", 429, "TooManyRequests", null, 7);
      return "ok";
    });
    await settle();
    expect(state.pausedUntilMs).toBeGreaterThanOrEqual(before + 7_000);
  });
});
