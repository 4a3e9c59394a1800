/**
 * One approach of `npm run bench:inventory`, run by it in a process of its own (the compiled build, with the Node flags
 * an App Service instance starts with): so the peak RSS it reports is what that approach needs, not what the
 * approaches before it left in the heap. Prints its figures as the last line of its output, as JSON after
 * `figures `.
 *
 *   node [flags] dist/bench/inventory-approach.js --approach naive|full|incremental|ring --base-url URL
 *     --tenant ID --connection-string CONN --scale N
 */
import { parseArgs } from "node:util";
import { runFullInventory } from "../src/capabilities/inventory/run-full-inventory.js";
import { runIncrementalInventory } from "../src/capabilities/inventory/run-incremental-inventory.js";
import { runRingReadiness } from "../src/capabilities/rollout/run-ring-readiness.js";
import {
  createInventoryServices,
  type InventoryServices,
  ringReadinessDependencies,
} from "../src/cli/create-inventory-services.js";
import { SYNTHETIC_GROUP_IDS } from "../src/emulator/synthetic-tenant.js";
import { ClientCredentialsTokenCredential } from "../src/graph/client-credentials-token-credential.js";
import { costOf } from "../src/graph/create-graph-gateway.js";
import { createGraphTransport, requestFromLink } from "../src/graph/graph-transport.js";
import { RequestScheduler } from "../src/graph/request-scheduler.js";
// The app the practice and synthetic tenants both register for the bot.
import { PRACTICE_BOT_APP } from "../test/support/practice-tenant.js";

const APPROACHES = ["naive", "full", "incremental", "ring"] as const;
export type Approach = (typeof APPROACHES)[number];

/** What an approach spent: requests per bucket, 429s, its own wall and CPU time, its process's peak RSS. */
export interface ApproachFigures {
  reports: number;
  directory: number;
  /** Directory reads are GETs with $select: 1 ResourceUnit each (graph.md §2.3). */
  directoryUnits: number;
  throttled: number;
  wallSeconds: number;
  /** CPU seconds of this process on the approach (loading the modules before it not counted). */
  cpuSeconds: number;
  peakRssMb: number;
  /** The incremental run's changed people; the ring's members. */
  people?: number;
}

type Counts = Pick<ApproachFigures, "reports" | "directory" | "directoryUnits" | "throttled" | "people">;

/** The common script: list every user, then ask for each one's passkeys, paced by the same scheduler. */
async function naive(baseUrl: string, tenantId: string, scheduler: RequestScheduler): Promise<Counts> {
  const transport = createGraphTransport({
    baseUrl,
    credential: new ClientCredentialsTokenCredential({
      authorityHost: baseUrl,
      tenantId,
      ...PRACTICE_BOT_APP,
    }),
  });
  const counts = { reports: 0, directory: 0, directoryUnits: 0, throttled: 0 };
  const send = <T>(request: { method: "GET"; version: "v1.0"; url: string }): Promise<T> => {
    const cost = costOf(request);
    return scheduler.schedule("background", cost, async () => {
      counts.reports += cost.reports;
      if (cost.resourceUnits > 0) {
        counts.directory++;
        counts.directoryUnits += cost.resourceUnits;
      }
      try {
        return (await transport(request)) as T;
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 429) counts.throttled++;
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
  return counts;
}

/** Ours: the full run, the incremental run after it, or readiness of the synthetic tenant's pilot ring. */
async function ours(services: InventoryServices, approach: Exclude<Approach, "naive">): Promise<Counts> {
  await services.ensure();
  const before = services.reader.stats();
  let people: number | undefined;
  if (approach === "full") {
    await runFullInventory(
      { reader: services.reader, store: services.store, checkpoints: services.checkpoints, now: () => new Date() },
      "bench-full",
    );
  } else if (approach === "incremental") {
    people = (await runIncrementalInventory({ reader: services.reader, store: services.store, now: () => new Date() }))
      .changedUsers;
  } else {
    const result = await runRingReadiness(
      ringReadinessDependencies(services, () => new Date()),
      {
        ringIds: [SYNTHETIC_GROUP_IDS.pilotRing],
        runId: "bench-rings",
      },
    );
    people = result.rings[0]?.funnel.members ?? 0;
  }
  const after = services.reader.stats();
  const directory = after.directoryRequests - before.directoryRequests;
  return {
    reports: after.reportsRequests - before.reportsRequests,
    directory,
    directoryUnits: directory,
    throttled: after.throttled - before.throttled,
    ...(people === undefined ? {} : { people }),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      approach: { type: "string" },
      "base-url": { type: "string" },
      tenant: { type: "string" },
      "connection-string": { type: "string" },
      scale: { type: "string" },
    },
  });
  const approach = values.approach as Approach;
  if (!APPROACHES.includes(approach)) throw new Error(`--approach must be one of ${APPROACHES.join(", ")}`);
  const baseUrl = String(values["base-url"]);
  const tenantId = String(values.tenant);
  const scale = Number(values.scale);
  const schedulerOptions = { reportsPerWindow: 5 * scale, resourceUnitsPerWindow: 8000 * scale, maxConcurrent: 16 };
  const started = Date.now();
  const cpuBefore = process.cpuUsage();
  const counts =
    approach === "naive"
      ? await naive(baseUrl, tenantId, new RequestScheduler(schedulerOptions))
      : await ours(
          createInventoryServices({
            graph: { mode: "emulator", baseUrl, tenantId, ...PRACTICE_BOT_APP },
            storage: { kind: "connectionString", connectionString: String(values["connection-string"]) },
            schedulerOptions,
            reportsBatchSize: 20,
          }),
          approach,
        );
  const cpu = process.cpuUsage(cpuBefore);
  const figures: ApproachFigures = {
    ...counts,
    wallSeconds: (Date.now() - started) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    // maxRSS is the kernel's high-water mark of this process (KiB): every byte it ever held, startup included.
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  console.log(`figures ${JSON.stringify(figures)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : String(error));
    process.exit(1);
  },
);
