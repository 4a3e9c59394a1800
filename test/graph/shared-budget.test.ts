import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../src/emulator/start-emulator.js";
import { createStorageAccount } from "../../src/storage/storage-account.js";
import { GRAPH_THROTTLE_BUDGET_TABLE, TableThrottleBudget } from "../../src/storage/table-throttle-budget.js";
import { type RunningAzurite, startAzurite } from "../support/azurite.js";
import { botApp, gatewayTenant, tenantId, users } from "./gateway-tenant.js";

const TSX_LOADER = pathToFileURL(createRequire(__filename).resolve("tsx")).href;
const INSTANCE = resolve(__dirname, "support/budget-instance.ts");
/** The emulator's buckets × 10 (reports: 50 per 10 s) keeps the run short; the instances are told the same size. */
const SCALE = 10;
const REPORTS_CAPACITY = 5 * SCALE;

let azurite: RunningAzurite;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite?.stop();
});
afterEach(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  children.clear();
});

interface Instance {
  ready: Promise<void>;
  go(): void;
  result: Promise<{ ok: number; failed: number }>;
}

function runInstance(args: object): Instance {
  const child = spawn(process.execPath, ["--import", TSX_LOADER, INSTANCE, JSON.stringify(args)], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  children.add(child);
  let stdout = "";
  let stderr = "";
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolveReady) => {
    markReady = resolveReady;
  });
  child.stdout?.on("data", (chunk) => {
    stdout += String(chunk);
    if (stdout.includes("ready\n")) markReady();
  });
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const result = new Promise<{ ok: number; failed: number }>((resolveResult, reject) => {
    child.on("exit", (code) => {
      const line = stdout.split("\n").find((candidate) => candidate.startsWith("{"));
      if (code === 0 && line) resolveResult(JSON.parse(line));
      else reject(new Error(`instance exited ${code}: ${stderr}`));
    });
  });
  return { ready, go: () => child.stdin?.write("go\n"), result };
}

/** Two instances, started together once both have a token. */
async function runPair(args: object): Promise<Array<{ ok: number; failed: number }>> {
  const instances = [runInstance(args), runInstance(args)];
  await Promise.all(instances.map((instance) => instance.ready));
  for (const instance of instances) instance.go();
  return Promise.all(instances.map((instance) => instance.result));
}

describe("one Graph budget across instances", () => {
  it("two instances in two processes sharing the budget through Azure Table storage overspend nothing: no 429 from the real-shaped reports bucket", async () => {
    const emulator = await startEmulator({ port: 0, tenant: gatewayTenant(), throttleScale: SCALE });
    try {
      // 2 × 20 triage reads × 2 reports requests = 80 against a bucket of 50 that refills 5 per second.
      const common = {
        baseUrl: emulator.baseUrl,
        tenantId,
        ...botApp,
        connectionString: azurite.connectionString,
        userIds: [users.alice, users.manager, users.admin],
        count: 20,
        reportsCapacity: REPORTS_CAPACITY,
        shared: true,
      };
      const results = await runPair(common);
      expect(results).toEqual([
        { ok: 20, failed: 0 },
        { ok: 20, failed: 0 },
      ]);
      const reports = emulator.requestLog.filter((entry) => entry.bucket === "reports");
      expect(reports.length).toBeGreaterThanOrEqual(80);
      expect(reports.filter((entry) => entry.status === 429)).toEqual([]);
    } finally {
      await emulator.close();
    }
  }, 60_000);

  it("the same two instances each assuming they own the budget are answered 429 (what the shared budget prevents)", async () => {
    const emulator = await startEmulator({ port: 0, tenant: gatewayTenant(), throttleScale: SCALE });
    try {
      const common = {
        baseUrl: emulator.baseUrl,
        tenantId,
        ...botApp,
        connectionString: azurite.connectionString,
        userIds: [users.alice, users.manager, users.admin],
        // 2 × 60 reports requests against a bucket of 50 refilling 5 a second: each instance alone stays within it, the
        // two together overspend unless the machine spreads them over 14 s (15 each was timing-dependent under load).
        count: 30,
        reportsCapacity: REPORTS_CAPACITY,
        shared: false,
      };
      await runPair(common);
      const throttled = emulator.requestLog.filter((entry) => entry.bucket === "reports" && entry.status === 429);
      expect(throttled.length).toBeGreaterThan(0);
    } finally {
      await emulator.close();
    }
  }, 60_000);
});

describe("TableThrottleBudget", () => {
  const budgetFor = (scope: string, now: () => number) =>
    new TableThrottleBudget(
      createStorageAccount({ kind: "connectionString", connectionString: azurite.connectionString }).tableClient(
        GRAPH_THROTTLE_BUDGET_TABLE,
      ),
      { scope, sizes: { reports: { capacity: 5, windowMs: 10_000 } }, now },
    );

  beforeAll(async () => {
    await createStorageAccount({ kind: "connectionString", connectionString: azurite.connectionString }).ensureTables([
      GRAPH_THROTTLE_BUDGET_TABLE,
    ]);
  });

  it("never grants two instances more than the bucket holds, however they race", async () => {
    const now = () => 1_000_000;
    const [a, b] = [budgetFor("race", now), budgetFor("race", now)];
    const leases = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).lease("reports", 1, 1, "interactive")),
    );
    // 5 less the one-token headroom for requests still on their way to Graph.
    expect(leases.reduce((sum, lease) => sum + lease.granted, 0)).toBe(4);
    const refused = leases.find((lease) => lease.granted === 0);
    expect(refused?.retryAfterMs).toBe(2_000);
  });

  it("keeps the interactive reserve from background work, and refills with time", async () => {
    let time = 2_000_000;
    const budget = budgetFor("reserve", () => time);
    // Usable: 4 (5 less the headroom); background may not dig into the 40 % reserve (1.6 requests).
    expect((await budget.lease("reports", 3, 1, "background")).granted).toBe(2);
    expect((await budget.lease("reports", 1, 1, "background")).granted).toBe(0);
    expect((await budget.lease("reports", 1, 1, "interactive")).granted).toBe(1);
    time += 10_000;
    expect((await budget.lease("reports", 5, 1, "background")).granted).toBe(2);
  });

  it("a 429 seen by one instance pauses the other until Retry-After has passed", async () => {
    let time = 3_000_000;
    const [a, b] = [budgetFor("pause", () => time), budgetFor("pause", () => time)];
    await a.pause("reports", time + 4_000);
    const paused = await b.lease("reports", 1, 1, "tap");
    expect(paused).toEqual({ granted: 0, retryAfterMs: 4_000, pausedUntilMs: time + 4_000 });
    time += 4_000;
    expect((await b.lease("reports", 1, 1, "tap")).granted).toBe(1);
  });
});
