import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { findInsights } from "../capabilities/inventory/find-insights.js";
import { createInventoryJobHandlers, INVENTORY_JOB_KINDS } from "../capabilities/inventory/inventory-jobs.js";
import { loadTargetMemberships } from "../capabilities/inventory/load-target-memberships.js";
import { renderInventoryHtml } from "../capabilities/inventory/render-inventory-html.js";
import { writeInventoryCsv } from "../capabilities/inventory/write-inventory-csv.js";
import { summarizeRolloutRun } from "../capabilities/rollout/summarize-rollout-run.js";
import { type AppConfig, loadConfigFromEnvironment } from "../config.js";
import { runJobWorker } from "../jobs/run-job-worker.js";
import { createInventoryServices } from "./create-inventory-services.js";
import { createProgressBar } from "./progress-bar.js";

const USAGE = `Usage:
  npm run inventory -- [--full | --incremental | --resume] [--csv FILE] [--json FILE] [--html FILE]
    --full          queue a full run (registration report, passkeys where the report cannot name them, disabled accounts)
    --incremental   queue a run that reads only the audit log since the last snapshot (the default when one exists)
    --resume        queue nothing: finish the runs already queued (a run whose instance died is taken over)
    --csv/--json/--html FILE   write the latest snapshot as CSV (one row per passkey), insights JSON, HTML report
    --bulk-threshold N --bulk-window-minutes M   bulk registration: >= N people within M minutes (default 10 in 30)
Graph and storage come from the environment (GRAPH_MODE, GRAPH_EMULATOR_URL, STORAGE_CONNECTION_STRING …); with
nothing set, the local emulator and Azurite.`;

export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

/** A flag's value must be a positive whole number. */
export class InvalidCliArgumentError extends Error {
  constructor(flag: string, value: string) {
    super(`--${flag} must be a positive whole number, got "${value}"`);
    this.name = "InvalidCliArgumentError";
  }
}

function positive(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new InvalidCliArgumentError(flag, value);
  return number;
}

/** `npm run inventory`; returns the exit code (0 done, 1 failed, 2 usage). */
export async function runInventoryCli(
  args: string[],
  io: CliOutput,
  loadAppConfig: () => Pick<AppConfig, "graph" | "storage"> = loadConfigFromEnvironment,
): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        full: { type: "boolean" },
        incremental: { type: "boolean" },
        resume: { type: "boolean" },
        csv: { type: "string" },
        json: { type: "string" },
        html: { type: "string" },
        "bulk-threshold": { type: "string" },
        "bulk-window-minutes": { type: "string" },
        "lease-seconds": { type: "string" },
        "visibility-seconds": { type: "string" },
        "reports-per-window": { type: "string" },
      },
      strict: true,
    }));
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if ([values.full, values.incremental, values.resume].filter(Boolean).length > 1) {
    io.err(`Choose one of --full, --incremental, --resume.\n${USAGE}`);
    return 2;
  }
  let bulkThreshold: number;
  let bulkWindowMinutes: number;
  let leaseSeconds: number;
  let visibilitySeconds: number;
  let reportsPerWindow: number;
  try {
    bulkThreshold = positive("bulk-threshold", values["bulk-threshold"] as string | undefined, 10);
    bulkWindowMinutes = positive("bulk-window-minutes", values["bulk-window-minutes"] as string | undefined, 30);
    leaseSeconds = positive("lease-seconds", values["lease-seconds"] as string | undefined, 30);
    visibilitySeconds = positive("visibility-seconds", values["visibility-seconds"] as string | undefined, 60);
    reportsPerWindow = positive("reports-per-window", values["reports-per-window"] as string | undefined, 5);
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }

  const config = loadAppConfig();
  const services = createInventoryServices({
    graph: config.graph,
    storage: config.storage,
    leaseSeconds,
    schedulerOptions: { reportsPerWindow },
  });
  await services.ensure();
  const latest = await services.store.latest();
  if (!values.resume) {
    const kind = values.full || !latest ? INVENTORY_JOB_KINDS.full : INVENTORY_JOB_KINDS.incremental;
    const id = `${kind === INVENTORY_JOB_KINDS.full ? "full" : "incremental"}-${new Date().toISOString().replace(/[:.]/g, "")}-${randomUUID().slice(0, 8)}`;
    await services.queue.enqueue({ id, kind, payload: {} });
    io.out(`Queued ${kind} run ${id}.`);
  }
  const bar = createProgressBar();
  const handlers = createInventoryJobHandlers({
    reader: services.reader,
    store: services.store,
    checkpoints: services.checkpoints,
    now: () => new Date(),
    usersTotalEstimate: latest?.users ?? null,
    onProgress: (progress) => bar.update(progress, services.scheduler.status().reportsBucketWaitSeconds),
  });
  let failed = false;
  await runJobWorker({
    queue: services.queue,
    lease: services.lease,
    handlers,
    untilEmpty: true,
    visibilitySeconds,
    pollMs: 1000,
    onEvent: (event) => {
      if (event.kind === "leaseBusy") io.err("Another instance holds the background lease; waiting for it…");
      if (event.kind === "started" && event.dequeueCount > 1) io.out(`Resuming ${event.job.id} from its checkpoint.`);
      if (event.kind === "failed" || event.kind === "gaveUp") {
        failed = true;
        io.err(`Run ${event.job.id} failed: ${(event.error as Error)?.message ?? String(event.error)}`);
      }
    },
  });
  bar.done();
  if (failed) return 1;

  const snapshot = await services.store.latest();
  if (!snapshot) {
    io.err("No complete inventory snapshot yet.");
    return 1;
  }
  const stats = services.reader.stats();
  io.out(
    `Snapshot ${snapshot.id}: ${snapshot.users} people; this run sent ${stats.reportsRequests} reports requests, ${stats.throttled} throttled.`,
  );
  if (values.csv || values.json || values.html) {
    const policy = await services.gateway.getTenantPolicySnapshot();
    const memberships = await loadTargetMemberships(services.reader, policy);
    const context = { fido2: policy.fido2, memberOf: memberships.of, catalog: services.catalog };
    if (values.csv) {
      const rows = await writeInventoryCsv(values.csv as string, services.store.users(snapshot.id), context);
      io.out(`Wrote ${rows} passkeys to ${values.csv}`);
    }
    if (values.json || values.html) {
      const insights = await findInsights(
        { users: services.store.users(snapshot.id), audits: services.store.audits(snapshot.id), ...context },
        { bulkThreshold, bulkWindowMinutes },
      );
      if (values.json) {
        await writeFile(values.json as string, `${JSON.stringify({ snapshot, insights }, null, 2)}\n`, "utf8");
        io.out(`Wrote insights to ${values.json}`);
      }
      if (values.html) {
        const rollout = await summarizeRolloutRun({ rollout: services.rollout, catalog: services.catalog });
        await writeFile(
          values.html as string,
          renderInventoryHtml({
            tenantName: config.graph.tenantId,
            generatedDateTime: new Date().toISOString(),
            snapshotId: snapshot.id,
            insights,
            ...(rollout ? { rings: rollout.rings } : {}),
          }),
          "utf8",
        );
        io.out(`Wrote the HTML report to ${values.html}`);
      }
    }
  }
  return 0;
}

if (require.main === module) {
  runInventoryCli(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  }).then(
    (code) => {
      process.exit(code);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
