import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../src/bot/create-logger.js";
import { type RunningApp, startApp } from "../src/index.js";
import { botConfigOver } from "./support/bot-config.js";
import { practicePersona, teamsActivity } from "./support/bot-http.js";
import { hostileActivity, injectedFilters, sendHostile } from "./support/hostile-input.js";
import { usePracticeServices } from "./support/practice-services.js";

/** Bounded here; `npm run bench:hostile` runs 10,000 and more. */
const RUNS = 80;

const practice = usePracticeServices({ emulator: { throttleScale: 1000 } });
let app: RunningApp;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  app = await startApp(
    botConfigOver(practice, {
      GRAPH_EMULATOR_THROTTLE_SCALE: "1000",
    }),
    { logger: createLogger("silent") },
  );
});

afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await app?.close();
});

describe("hostile input (property-based)", () => {
  it("never answers 5xx, always answers a well-formed message or card action, and lets no injected clause reach Graph", async () => {
    await fc.assert(
      fc.asyncProperty(hostileActivity, async (activity) => {
        const outcome = await sendHostile(app.url, activity);
        expect(outcome.status).toBeLessThan(500);
        if (outcome.expectsAnswer && outcome.status === 200) expect(outcome.answered).toBe(true);
      }),
      { numRuns: RUNS },
    );
    expect(injectedFilters(practice.emulator.requestLog)).toEqual([]);
    expect(unhandled).toEqual([]);
  }, 240_000);

  it("records the filters it was sent: an agent's search reaches Graph only as an escaped literal", async () => {
    const agent = practicePersona("agent-1");
    const before = practice.emulator.requestLog.length;
    const outcome = await sendHostile(
      app.url,
      teamsActivity(agent, { type: "message", text: "triage x') or startswith(userPrincipalName,'zzinj" }),
    );
    expect(outcome.status).toBe(200);
    const filters = practice.emulator.requestLog
      .slice(before)
      .map((entry) => entry.filter)
      .filter(Boolean);
    expect(filters.some((filter) => filter?.includes("zzinj"))).toBe(true);
    expect(injectedFilters(practice.emulator.requestLog.slice(before))).toEqual([]);
  });
});
