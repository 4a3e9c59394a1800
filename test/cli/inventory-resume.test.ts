import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { TableClient } from "@azure/data-tables";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/start-emulator.js";
import { BOT_APP_ID, generateSyntheticTenant } from "../../src/emulator/synthetic-tenant.js";
import { type RunningAzurite, startAzurite } from "../support/azurite.js";

const ROOT = resolve(__dirname, "../..");
let shared: RunningAzurite;
let fresh: RunningAzurite;
let emulator: RunningEmulator;
let dir: string;

beforeAll(async () => {
  [shared, fresh, emulator] = await Promise.all([
    startAzurite(),
    startAzurite(),
    // 40× Graph's buckets: the run takes seconds, not the hours a real 3,000-person tenant would at 5 per 10 s.
    startEmulator({ port: 0, tenant: generateSyntheticTenant({ users: 3000, seed: 11 }), throttleScale: 40 }),
  ]);
  dir = await mkdtemp(join(tmpdir(), "inventory-resume-"));
}, 60_000);
afterAll(async () => {
  await emulator?.close();
  await shared?.stop();
  await fresh?.stop();
});

function inventory(storage: RunningAzurite, args: string[]): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "src/cli/inventory.ts", ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GRAPH_MODE: "emulator",
      GRAPH_EMULATOR_URL: emulator.baseUrl,
      TENANT_ID: emulator.tenantId,
      GRAPH_CLIENT_ID: BOT_APP_ID,
      STORAGE_CONNECTION_STRING: storage.connectionString,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function finished(child: ChildProcess): Promise<{ code: number | null; out: string }> {
  let out = "";
  child.stdout?.on("data", (chunk) => {
    out += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    out += chunk;
  });
  return new Promise((done) => child.on("exit", (code) => done({ code, out })));
}

const passkeyReads = () => emulator.requestLog.filter((entry) => entry.path.endsWith("/fido2Methods")).length;
const common = ["--reports-per-window", "200", "--lease-seconds", "15", "--visibility-seconds", "15"];

describe("a full inventory killed halfway", () => {
  it("resumes on a second instance without redoing finished people and writes the CSV an uninterrupted run writes", async () => {
    const first = inventory(shared, ["--full", ...common]);
    const firstDone = finished(first);
    const jobs = TableClient.fromConnectionString(shared.connectionString, "BackgroundJobs", {
      allowInsecureConnection: true,
    });
    let usersDone = 0;
    for (let attempt = 0; attempt < 600 && usersDone < 1200; attempt++) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        for await (const entity of jobs.listEntities<{ state: string }>()) {
          usersDone = Math.max(usersDone, JSON.parse(entity.state).usersDone ?? 0);
        }
      } catch {}
    }
    expect(usersDone).toBeGreaterThanOrEqual(1200);
    first.kill("SIGKILL");
    const killed = await firstDone;
    expect(killed.code).toBeNull();
    const readsBeforeKill = passkeyReads();

    const second = await finished(inventory(shared, ["--resume", "--csv", join(dir, "resumed.csv"), ...common]));
    expect(second.out).toContain("Resuming");
    expect(second.code).toBe(0);
    const readsInterrupted = passkeyReads();

    const uninterrupted = await finished(inventory(fresh, ["--full", "--csv", join(dir, "whole.csv"), ...common]));
    expect(uninterrupted.code).toBe(0);
    const readsWhole = passkeyReads() - readsInterrupted;

    const resumedCsv = await readFile(join(dir, "resumed.csv"), "utf8");
    expect(resumedCsv.split("\r\n").length).toBeGreaterThan(200);
    expect(resumedCsv).toBe(await readFile(join(dir, "whole.csv"), "utf8"));
    // Redone at most: the one chunk (100 people) in flight when the first instance died.
    expect(readsInterrupted - readsWhole).toBeLessThanOrEqual(100);
    expect(readsBeforeKill).toBeGreaterThan(0);
  }, 240_000);
});
