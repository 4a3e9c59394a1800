/**
 * `npm run bench:inventory [-- --users 100000 --scale 400 --seed 1]`: one synthetic tenant (30 % with passkeys:
 * Authenticator 48 %, YubiKey 28 %, Windows Hello 12 %, Feitian 4 %, synced Apple/Google 8 % of passkeys; 2 % of
 * accounts disabled), the Graph emulator in its own process with every throttling bucket multiplied by `--scale`, and
 * side by side: (a) the naive script (list users, one fido2Methods call per user), (b) our full run, (c) our
 * incremental run after 1 % of people registered a passkey, (d) ring readiness of the largest ring. Per approach:
 * requests per bucket, 429s, wall time, the throttle floor for the requests it needed, wall ÷ floor, the CPU seconds
 * each process spent (the approach's, the emulator, Azurite: where the time above the floor goes), and the peak RSS of
 * the approach's process (the emulator's memory is not counted: it is Graph). Figures only: nothing is asserted.
 *
 * Each approach runs in a process of its own (bench/inventory-approach.ts), as an App Service instance runs the app:
 * the compiled build (the bench compiles first) with the Node flags of infra/azure.bicep's start command, heap limits
 * included. So its peak RSS is the kernel's high-water mark for that approach alone, not the heap the approaches
 * before it left behind; `--instance-flags="…"` tries other flags (as in bench:load).
 *
 * Each approach starts with Graph's buckets at rest (the emulator's are reset), as a tenant nobody else is reading,
 * so its floor does not depend on what the approach before it spent. Graph's buckets are token buckets that start
 * full and refill continuously (graph.md §2.3), so the floor for N requests is the time to refill what exceeds one
 * bucketful: max(0, N − capacity) ÷ rate. A run that needs less than a bucketful has a floor of 0 and no ratio: pick
 * `--scale` below users ÷ 40 for a meaningful full-run ratio (the default 100,000 users at ×400 has one).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { createInventoryServices } from "../src/cli/create-inventory-services.js";
import { generateSyntheticTenant } from "../src/emulator/synthetic-tenant.js";
import { startAzurite } from "../test/support/azurite.js";
import { freePort } from "../test/support/free-port.js";
import { PRACTICE_BOT_APP } from "../test/support/practice-tenant.js";
import { compileSources, deployedNodeFlags } from "./deployed-instance.js";
import type { Approach, ApproachFigures } from "./inventory-approach.js";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "100000" },
    scale: { type: "string", default: "400" },
    seed: { type: "string", default: "1" },
    "instance-flags": { type: "string" },
  },
});
const USERS = Number(values.users);
const SCALE = Number(values.scale);
const SEED = Number(values.seed);
const REPORTS_PER_WINDOW = 5 * SCALE;
const UNITS_PER_WINDOW = 8000 * SCALE;
const NODE_FLAGS = (values["instance-flags"] ?? deployedNodeFlags()).split(" ").filter(Boolean);
const ROOT = resolve(__dirname, "..");

/** The least time Graph's buckets allow for these requests, both starting full (see above). */
function floorSeconds(f: ApproachFigures): number {
  const refill = (spent: number, capacity: number) => (Math.max(0, spent - capacity) / capacity) * 10;
  return Math.max(refill(f.reports, REPORTS_PER_WINDOW), refill(f.directoryUnits, UNITS_PER_WINDOW));
}

/** Wall ÷ floor, or "n/a" when the requests fit in one bucketful (no throttle floor to compare with). */
function overFloor(f: ApproachFigures): string {
  const floor = floorSeconds(f);
  return floor > 0 ? (f.wallSeconds / floor).toFixed(2) : "n/a";
}

/** CPU seconds (user + system) a process has spent so far, from /proc (Linux): the emulator and Azurite. */
function cpuSecondsOf(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

async function startEmulatorProcess(port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "src/emulator/cli.ts",
      "--port",
      String(port),
      "--synthetic",
      String(USERS),
      "--seed",
      String(SEED),
      "--throttle-scale",
      String(SCALE),
      // The synthetic history stays where it was generated, as a real tenant's does. Keeping it current re-dates the
      // whole tenant on every request a second after the last (1.6 s of CPU at 10,000 users, 15 s at 100,000 on this
      // machine), which starves the emulator and measures that instead of the inventory.
      "--let-time-pass",
    ],
    { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
  );
  let text = "";
  child.stdout?.on("data", (chunk) => {
    text += chunk;
  });
  for (let i = 0; i < 1200 && !text.includes("listening"); i++) await new Promise((r) => setTimeout(r, 100));
  if (!text.includes("listening")) throw new Error("The emulator must start within 120 s");
  return child;
}

interface Bench {
  emulator: ChildProcess;
  emulatorUrl: string;
  tenantId: string;
  azurite: { pid: number | undefined; connectionString: string };
}

/** Runs one approach in its own process, with Graph's buckets at rest, and prints its figures. */
async function measure(bench: Bench, name: string, approach: Approach): Promise<ApproachFigures> {
  const reset = await fetch(`${bench.emulatorUrl}/_emulator/throttling/reset`, { method: "POST" });
  if (!reset.ok) throw new Error(`The emulator refused to reset its throttling buckets: ${reset.status}`);
  const emulatorBefore = cpuSecondsOf(bench.emulator.pid);
  const azuriteBefore = cpuSecondsOf(bench.azurite.pid);
  const child = spawn(
    process.execPath,
    [
      ...NODE_FLAGS,
      resolve(ROOT, "dist/bench/inventory-approach.js"),
      ...["--approach", approach, "--base-url", bench.emulatorUrl, "--tenant", bench.tenantId],
      ...["--connection-string", bench.azurite.connectionString, "--scale", String(SCALE)],
    ],
    { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  const [code] = await once(child, "exit");
  const line = output.trim().split("\n").at(-1) ?? "";
  if (code !== 0 || !line.startsWith("figures ")) {
    throw new Error(`The ${approach} approach must finish and print its figures (exit ${code}): ${output}`);
  }
  const figures = JSON.parse(line.slice("figures ".length)) as ApproachFigures;
  const cpu = `CPU s approach ${figures.cpuSeconds.toFixed(1)}, emulator ${(cpuSecondsOf(bench.emulator.pid) - emulatorBefore).toFixed(1)}, Azurite ${(cpuSecondsOf(bench.azurite.pid) - azuriteBefore).toFixed(1)}`;
  console.log(
    `${name.padEnd(34)} reports ${String(figures.reports).padStart(7)} · directory ${String(figures.directory).padStart(6)} (${figures.directoryUnits} RU) · 429s ${figures.throttled} · wall ${figures.wallSeconds.toFixed(1)} s · floor ${floorSeconds(figures).toFixed(1)} s · wall/floor ${overFloor(figures)} · ${cpu} · peak RSS ${figures.peakRssMb} MB`,
  );
  return figures;
}

/** 1 % of people register a passkey (the emulator logs "Add Passkey" with its AAGUID, as Entra does). */
async function registerPasskeysForOnePercent(bench: Bench): Promise<number> {
  const services = createInventoryServices({
    graph: { mode: "emulator", baseUrl: bench.emulatorUrl, tenantId: bench.tenantId, ...PRACTICE_BOT_APP },
    storage: { kind: "connectionString", connectionString: bench.azurite.connectionString },
  });
  const snapshot = await services.store.latest();
  if (!snapshot) throw new Error("The full run must leave a snapshot for the incremental run");
  const changed: string[] = [];
  let index = 0;
  for await (const user of services.store.users(snapshot.id)) {
    if (index++ % 100 === 0 && user.accountEnabled) changed.push(user.id);
  }
  for (const id of changed) {
    const response = await fetch(`${bench.emulatorUrl}/_emulator/passkey-registrations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user: id, aaGuid: "ee882879-721c-4913-9775-3dfcce97072a", model: "YubiKey 5 Series" }),
    });
    if (!response.ok) throw new Error(`The emulator refused a passkey registration: ${response.status}`);
  }
  return changed.length;
}

async function main(): Promise<void> {
  const tenantId = generateSyntheticTenant({ users: 1, seed: SEED }).organization.id;
  console.log(
    `bench:inventory — ${USERS} synthetic users (seed ${SEED}), buckets ×${SCALE}: reports ${REPORTS_PER_WINDOW}/10 s, identity ${UNITS_PER_WINDOW} RU/10 s`,
  );
  compileSources();
  console.log(`approaches: node ${NODE_FLAGS.join(" ")} dist/bench/inventory-approach.js`);
  const port = await freePort();
  const [emulator, azurite] = await Promise.all([startEmulatorProcess(port), startAzurite()]);
  const bench: Bench = {
    emulator,
    emulatorUrl: `http://127.0.0.1:${port}`,
    tenantId,
    azurite: { pid: azurite.pid, connectionString: azurite.connectionString },
  };
  try {
    const naive = await measure(bench, "(a) naive: one call per user", "naive");
    const full = await measure(bench, "(b) full run", "full");
    const changed = await registerPasskeysForOnePercent(bench);
    const incremental = await measure(bench, `(c) incremental, ${changed} changed`, "incremental");
    const ring = await measure(bench, "(d) readiness of the pilot ring", "ring");

    const percent = ((full.reports / Math.max(1, naive.reports)) * 100).toFixed(1);
    const peak = Math.max(full.peakRssMb, incremental.peakRssMb, ring.peakRssMb);
    console.log(
      `inventory: full ${percent} % of naive reports requests, ${overFloor(full)} × floor, incremental ${incremental.reports + incremental.directory} requests for ${incremental.people ?? 0} changed users, ring ${ring.reports + ring.directory} requests for ${ring.people ?? 0} members, peak RSS ${peak} MB`,
    );
  } finally {
    emulator.kill("SIGTERM");
    await once(emulator, "exit").catch(() => {});
    await azurite.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : String(error));
    process.exit(1);
  },
);
