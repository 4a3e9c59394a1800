/**
 * One bot instance's Graph side in its own process: a gateway whose scheduler shares the tenant's budget through the
 * given storage (or, with "shared": false, assumes it owns the budget like a lone instance). Reads `count` triage
 * snapshots at once when told "go" on stdin and prints one JSON line: how many succeeded and how many failed.
 */
import { createGraphGateway } from "../../../src/graph/create-graph-gateway.js";
import { createStorageAccount } from "../../../src/storage/storage-account.js";
import { GRAPH_THROTTLE_BUDGET_TABLE, TableThrottleBudget } from "../../../src/storage/table-throttle-budget.js";

interface Args {
  baseUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  connectionString: string;
  userIds: string[];
  count: number;
  reportsCapacity: number;
  shared: boolean;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? "{}") as Args;
  const account = createStorageAccount({ kind: "connectionString", connectionString: args.connectionString });
  const table = account.tableClient(GRAPH_THROTTLE_BUDGET_TABLE);
  await account.ensureTables();
  const sharedBudget = args.shared
    ? new TableThrottleBudget(table, {
        scope: `${args.tenantId}_${args.clientId}`,
        sizes: { reports: { capacity: args.reportsCapacity, windowMs: 10_000 } },
      })
    : undefined;
  const gateway = createGraphGateway({
    mode: "emulator",
    baseUrl: args.baseUrl,
    tenantId: args.tenantId,
    clientId: args.clientId,
    clientSecret: args.clientSecret,
    schedulerOptions: { reportsPerWindow: args.reportsCapacity, sharedBudget, maxQueuedPerPerson: 10_000 },
    // One reports request per read, as many as possible: the pressure the shared budget must hold.
    shareSignInReads: false,
  });
  // A token first, so the race below is about the budget and not about who got a token sooner.
  await gateway.isReachable();
  process.stdout.write("ready\n");
  // Both instances start the moment the test says "go" on stdin, so neither has a head start.
  await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
  const since = new Date(Date.now() - 3600_000).toISOString();
  const results = await Promise.allSettled(
    Array.from({ length: args.count }, (_, i) =>
      gateway.getUserAuthSnapshot(args.userIds[i % args.userIds.length] as string, {
        groupIds: [],
        signInsSince: since,
      }),
    ),
  );
  const ok = results.filter(
    (result) => result.status === "fulfilled" && result.value.methods.ok && result.value.signIns.ok,
  );
  process.stdout.write(`${JSON.stringify({ ok: ok.length, failed: results.length - ok.length })}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
