import type { TokenCredential } from "@azure/identity";
import {
  type AuthenticatorCatalog,
  createAuthenticatorCatalog,
} from "../capabilities/authenticators/create-authenticator-catalog.js";
import type { RingReadinessDependencies } from "../capabilities/rollout/run-ring-readiness.js";
import type { GraphConfig, StorageConfig } from "../config.js";
import { createGraphGateway } from "../graph/create-graph-gateway.js";
import { createInventoryReader, type InventoryReader } from "../graph/create-inventory-reader.js";
import type { GraphGateway } from "../graph/graph-gateway.js";
import { RequestScheduler, type RequestSchedulerOptions } from "../graph/request-scheduler.js";
import { BACKGROUND_LEASES_CONTAINER, type BackgroundLease, createBackgroundLease } from "../jobs/background-lease.js";
import { createJobCheckpoints, type JobCheckpoints } from "../jobs/job-checkpoints.js";
import { createJobQueue, type JobQueue } from "../jobs/job-queue.js";
import { createInventorySnapshotStore, type InventorySnapshotStore } from "../storage/inventory-snapshot-store.js";
import { createRolloutSnapshotStore, type RolloutSnapshotStore } from "../storage/rollout-snapshot-store.js";
import { createStorageAccount } from "../storage/storage-account.js";

/** Everything an inventory, ring or what-if run needs, wired once (the CLI, the bot and tests share this). */
export interface InventoryServices {
  gateway: GraphGateway;
  reader: InventoryReader;
  scheduler: RequestScheduler;
  store: InventorySnapshotStore;
  rollout: RolloutSnapshotStore;
  checkpoints: JobCheckpoints;
  queue: JobQueue;
  lease: BackgroundLease;
  catalog: AuthenticatorCatalog;
  ensure(): Promise<void>;
}

export interface InventoryServiceOptions {
  graph: GraphConfig;
  storage: StorageConfig;
  /** Pass the bot's scheduler so chat and inventory share one budget; a CLI makes its own. */
  scheduler?: RequestScheduler;
  schedulerOptions?: RequestSchedulerOptions;
  /** Items per reports-bucket `$batch` (default: the scheduler's reports bucket size, 5). */
  reportsBatchSize?: number;
  catalog?: AuthenticatorCatalog;
  credential?: TokenCredential;
  /** Table / queue / container name prefix, so tests and several tenants do not share rows. */
  prefix?: string;
  leaseSeconds?: number;
}

export function createInventoryServices(options: InventoryServiceOptions): InventoryServices {
  const scheduler = options.scheduler ?? new RequestScheduler(options.schedulerOptions);
  const gateway = createGraphGateway({ ...options.graph, scheduler });
  const reader = createInventoryReader({
    ...options.graph,
    scheduler,
    reportsBatchSize: options.reportsBatchSize ?? options.schedulerOptions?.reportsPerWindow ?? 5,
  });
  const account = createStorageAccount(options.storage, options.credential);
  const prefix = options.prefix ?? "";
  const store = createInventorySnapshotStore({
    snapshots: account.tableClient(`${prefix}InventorySnapshots`),
    users: account.tableClient(`${prefix}InventoryUsers`),
    audits: account.tableClient(`${prefix}InventoryAudits`),
  });
  const rollout = createRolloutSnapshotStore({
    runs: account.tableClient(`${prefix}RolloutRuns`),
    members: account.tableClient(`${prefix}RolloutMembers`),
  });
  const jobsTable = account.tableClient(`${prefix}BackgroundJobs`);
  const checkpoints = createJobCheckpoints(jobsTable);
  const queueName = `${prefix.toLowerCase()}inventory-jobs`.replace(/[^a-z0-9-]/g, "");
  const queue = createJobQueue(options.storage, queueName, account.credential);
  const lease = createBackgroundLease(
    account.containerClient(`${prefix.toLowerCase()}${BACKGROUND_LEASES_CONTAINER}`.replace(/[^a-z0-9-]/g, "")),
    "graph-background-budget",
    options.leaseSeconds ?? 30,
  );
  return {
    gateway,
    reader,
    scheduler,
    store,
    rollout,
    checkpoints,
    queue,
    lease,
    catalog: options.catalog ?? createAuthenticatorCatalog(),
    async ensure() {
      await store.ensure();
      await rollout.ensure();
      await account.ensureTables([`${prefix}BackgroundJobs`]);
      await queue.ensure();
    },
  };
}

/** A ring-readiness run's dependencies from the wired services: callers differ only in the clock and the callbacks. */
export function ringReadinessDependencies(
  services: InventoryServices,
  now: () => Date,
  callbacks: Pick<RingReadinessDependencies, "onProgress" | "onPrediction"> = {},
): RingReadinessDependencies {
  const { gateway, reader, store: inventory, rollout, catalog } = services;
  return { gateway, reader, inventory, rollout, catalog, now, ...callbacks };
}
