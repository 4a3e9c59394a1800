/**
 * `npm run bench:inventory [-- --users 100000 --scale 400 --seed 1]`: one synthetic tenant (30 % with passkeys:
 * Authenticator 48 %, YubiKey 28 %, Windows Hello 12 %, Feitian 4 %, synced Apple/Google 8 % of passkeys; 2 % of
 * accounts disabled), the Graph emulator in its own process with every throttling bucket multiplied by `--scale`, and
 * side by side: (a) the naive script (list users, one fido2Methods call per user), (b) our full run, (c) our
 * incremental run after 1 % of people registered a passkey, (d) ring readiness of the largest ring. Per approach:
 * requests per bucket, 429s, wall time, the throttle floor for the requests it needed, wall ÷ floor, the CPU seconds
 * each process spent (this one, the emulator, Azurite: where the time above the floor goes), peak RSS of this
 * process (the emulator's memory is not counted: it is Graph). Figures only: nothing is asserted.
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
import { runFullInventory } from "../src/capabilities/inventory/run-full-inventory.js";
import { runIncrementalInventory } from "../src/capabilities/inventory/run-incremental-inventory.js";
import { runRingReadiness } from "../src/capabilities/rollout/run-ring-readiness.js";
import {
  createInventoryServices,
  type InventoryServices,
  ringReadinessDependencies,
} from "../src/cli/create-inventory-services.js";
import { BOT_APP_ID, generateSyntheticTenant, SYNTHETIC_GROUP_IDS } from "../src/emulator/synthetic-tenant.js";
import { ClientCredentialsTokenCredential } from "../src/graph/client-credentials-token-credential.js";
import { costOf } from "../src/graph/create-graph-gateway.js";
import { createGraphTransport, requestFromLink } from "../src/graph/graph-transport.js";
import { RequestScheduler } from "../src/graph/request-scheduler.js";
import { startAzurite } from "../test/support/azurite.js";
import { freePort } from "../test/support/free-port.js";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "100000" },
    scale: { type: "string", default: "400" },
    seed: { type: "string", default: "1" },
  },
});
const USERS = Number(values.users);
const SCALE = Number(values.scale);
const SEED = Number(values.seed);
const REPORTS_PER_WINDOW = 5 * SCALE;
const UNITS_PER_WINDOW = 8000 * SCALE;

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 100);
sampler.unref();

interface Figures {
  name: string;
  reports: number;
  directory: number;
  directoryUnits: number;
  throttled: number;
  wallSeconds: number;
  peakRssMb: number;
  cpu: string;
}

/** The least time Graph's buckets allow for these requests, both starting full (see above). */
function floorSeconds(f: Figures): number {
  const refill = (spent: number, capacity: number) => (Math.max(0, spent - capacity) / capacity) * 10;
  return Math.max(refill(f.reports, REPORTS_PER_WINDOW), refill(f.directoryUnits, UNITS_PER_WINDOW));
}

/** Wall ÷ floor, or "n/a" when the requests fit in one bucketful (no throttle floor to compare with). */
function overFloor(f: Figures): string {
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
    { cwd: resolve(__dirname, ".."), stdio: ["ignore", "pipe", "inherit"] },
  );
  let text = "";
  child.stdout?.on("data", (chunk) => {
    text += chunk;
  });
  for (let i = 0; i < 1200 && !text.includes("listening"); i++) await new Promise((r) => setTimeout(r, 100));
  if (!text.includes("listening")) throw new Error("The emulator must start within 120 s");
  return child;
}

/** The other processes of the bench, whose CPU each approach reports beside its own. */
const processes: { emulator?: number; azurite?: number; emulatorUrl?: string } = {};

async function measure(name: string, work: () => Promise<Omit<Figures, "name" | "wallSeconds" | "peakRssMb" | "cpu">>) {
  if (processes.emulatorUrl) {
    const reset = await fetch(`${processes.emulatorUrl}/_emulator/throttling/reset`, { method: "POST" });
    if (!reset.ok) throw new Error(`The emulator refused to reset its throttling buckets: ${reset.status}`);
  }
  if (global.gc) global.gc();
  peakRss = process.memoryUsage.rss();
  const cpuBefore = process.cpuUsage();
  const emulatorBefore = cpuSecondsOf(processes.emulator);
  const azuriteBefore = cpuSecondsOf(processes.azurite);
  const started = Date.now();
  const counts = await work();
  const wallSeconds = (Date.now() - started) / 1000;
  const own = process.cpuUsage(cpuBefore);
  const figures: Figures = {
    name,
    ...counts,
    wallSeconds,
    peakRssMb: Math.round(Math.max(peakRss, process.memoryUsage.rss()) / 1048576),
    cpu: `CPU s bench ${((own.user + own.system) / 1e6).toFixed(1)}, emulator ${(cpuSecondsOf(processes.emulator) - emulatorBefore).toFixed(1)}, Azurite ${(cpuSecondsOf(processes.azurite) - azuriteBefore).toFixed(1)}`,
  };
  console.log(
    `${name.padEnd(34)} reports ${String(figures.reports).padStart(7)} · directory ${String(figures.directory).padStart(6)} (${figures.directoryUnits} RU) · 429s ${figures.throttled} · wall ${figures.wallSeconds.toFixed(1)} s · floor ${floorSeconds(figures).toFixed(1)} s · wall/floor ${overFloor(figures)} · ${figures.cpu} · peak RSS ${figures.peakRssMb} MB`,
  );
  return figures;
}

async function main(): Promise<void> {
  const tenantId = generateSyntheticTenant({ users: 1, seed: SEED }).organization.id;
  console.log(
    `bench:inventory — ${USERS} synthetic users (seed ${SEED}), buckets ×${SCALE}: reports ${REPORTS_PER_WINDOW}/10 s, identity ${UNITS_PER_WINDOW} RU/10 s`,
  );
  const port = await freePort();
  const [emulator, azurite] = await Promise.all([startEmulatorProcess(port), startAzurite()]);
  const baseUrl = `http://127.0.0.1:${port}`;
  processes.emulator = emulator.pid;
  processes.azurite = azurite.pid;
  processes.emulatorUrl = baseUrl;
  const graph = {
    mode: "emulator" as const,
    baseUrl,
    tenantId,
    clientId: BOT_APP_ID,
    clientSecret: "contoso-practice-bot-secret",
  };
  const schedulerOptions = {
    reportsPerWindow: REPORTS_PER_WINDOW,
    resourceUnitsPerWindow: UNITS_PER_WINDOW,
    maxConcurrent: 16,
  };
  try {
    // (a) The common script: list every user, then ask for each one's passkeys, paced by the same scheduler.
    const naive = await measure("(a) naive: one call per user", async () => {
      const scheduler = new RequestScheduler(schedulerOptions);
      const transport = createGraphTransport({
        baseUrl,
        credential: new ClientCredentialsTokenCredential({
          authorityHost: baseUrl,
          tenantId,
          clientId: BOT_APP_ID,
          clientSecret: "contoso-practice-bot-secret",
        }),
      });
      let reports = 0;
      let directory = 0;
      let units = 0;
      let throttled = 0;
      const send = <T>(request: { method: "GET"; version: "v1.0"; url: string }): Promise<T> => {
        const cost = costOf(request);
        return scheduler.schedule("background", cost, async () => {
          reports += cost.reports;
          if (cost.resourceUnits > 0) {
            directory++;
            units += cost.resourceUnits;
          }
          try {
            return (await transport(request)) as T;
          } catch (error) {
            if ((error as { statusCode?: number }).statusCode === 429) throttled++;
            throw error;
          }
        });
      };
      let link: string | null = null;
      let first = true;
      while (first || link) {
        first = false;
        const request = link
          ? (requestFromLink(link, baseUrl) as { method: "GET"; version: "v1.0"; url: string })
          : { method: "GET" as const, version: "v1.0" as const, url: "/users?$select=id&$top=999" };
        const page: { value: Array<{ id: string }>; "@odata.nextLink"?: string } = await send(request);
        link = page["@odata.nextLink"] ?? null;
        await Promise.all(
          page.value.map((user) =>
            send({ method: "GET", version: "v1.0", url: `/users/${user.id}/authentication/fido2Methods` }),
          ),
        );
      }
      return { reports, directory, directoryUnits: units, throttled };
    });

    const services: InventoryServices = createInventoryServices({
      graph,
      storage: { kind: "connectionString", connectionString: azurite.connectionString },
      schedulerOptions,
      reportsBatchSize: 20,
    });
    await services.ensure();
    const delta = (before: ReturnType<InventoryServices["reader"]["stats"]>) => {
      const after = services.reader.stats();
      return {
        reports: after.reportsRequests - before.reportsRequests,
        directory: after.directoryRequests - before.directoryRequests,
        // Directory reads the inventory makes are GETs with $select: 1 RU each (graph.md §2.3).
        directoryUnits: after.directoryRequests - before.directoryRequests,
        throttled: after.throttled - before.throttled,
      };
    };

    const full = await measure("(b) full run", async () => {
      const before = services.reader.stats();
      await runFullInventory(
        { reader: services.reader, store: services.store, checkpoints: services.checkpoints, now: () => new Date() },
        "bench-full",
      );
      return delta(before);
    });

    // 1 % of people register a passkey (the emulator logs "Add Passkey" with its AAGUID, as Entra does).
    const changed: string[] = [];
    let index = 0;
    for await (const user of services.store.users("bench-full")) {
      if (index++ % 100 === 0 && user.accountEnabled) changed.push(user.id);
    }
    for (const id of changed) {
      const response = await fetch(`${baseUrl}/_emulator/passkey-registrations`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ user: id, aaGuid: "ee882879-721c-4913-9775-3dfcce97072a", model: "YubiKey 5 Series" }),
      });
      if (!response.ok) throw new Error(`The emulator refused a passkey registration: ${response.status}`);
    }
    let changedUsers = 0;
    const incremental = await measure(`(c) incremental, ${changed.length} changed`, async () => {
      const before = services.reader.stats();
      const result = await runIncrementalInventory({
        reader: services.reader,
        store: services.store,
        now: () => new Date(),
      });
      changedUsers = result.changedUsers;
      return delta(before);
    });

    let members = 0;
    const ring = await measure("(d) readiness of the pilot ring", async () => {
      const before = services.reader.stats();
      const result = await runRingReadiness(
        ringReadinessDependencies(services, () => new Date()),
        { ringIds: [SYNTHETIC_GROUP_IDS.pilotRing], runId: "bench-rings" },
      );
      members = result.rings[0]?.funnel.members ?? 0;
      return delta(before);
    });

    const percent = ((full.reports / Math.max(1, naive.reports)) * 100).toFixed(1);
    const wallOverFloor = overFloor(full);
    const peak = Math.max(full.peakRssMb, incremental.peakRssMb, ring.peakRssMb);
    console.log(
      `inventory: full ${percent} % of naive reports requests, ${wallOverFloor} × floor, incremental ${incremental.reports + incremental.directory} requests for ${changedUsers} changed users, ring ${ring.reports + ring.directory} requests for ${members} members, peak RSS ${peak} MB`,
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
