import { afterEach, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/start-emulator.js";
import { createGraphGateway } from "../../src/graph/create-graph-gateway.js";
import { runWithGraphRequestContext } from "../../src/graph/graph-request-context.js";
import { botApp, gatewayTenant, tenantId, users } from "./gateway-tenant.js";

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const gatewayFor = (running: RunningEmulator, shareSignInReads: boolean) =>
  createGraphGateway({
    mode: "emulator",
    baseUrl: running.baseUrl,
    tenantId,
    ...botApp,
    shareSignInReads,
    schedulerOptions: { reportsPerWindow: 1000, maxQueuedPerPerson: 1000 },
  });

const signInReads = (running: RunningEmulator) =>
  running.requestLog.filter((entry) => entry.path.endsWith("/auditLogs/signIns"));

describe("the shared sign-in feed", () => {
  it("answers every concurrent triage with exactly what its own read would have returned, for a fraction of the reports requests", async () => {
    emulator = await startEmulator({ port: 0, tenant: gatewayTenant(), throttleScale: 100 });
    const since = new Date(Date.now() - 24 * 3600_000).toISOString();
    const people = [users.alice, users.manager, users.admin, users.alice, users.manager, users.alice];
    const own = gatewayFor(emulator, false);
    const expected = await Promise.all(
      people.map((id) => own.getUserAuthSnapshot(id, { groupIds: [], signInsSince: since })),
    );
    const before = signInReads(emulator).length;
    const shared = gatewayFor(emulator, true);
    const snapshots = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        runWithGraphRequestContext({ person: `p${i}` }, () =>
          shared.getUserAuthSnapshot(people[i % people.length] as string, { groupIds: [], signInsSince: since }),
        ),
      ),
    );
    snapshots.forEach((snapshot, i) => {
      expect(snapshot.signIns).toEqual(expected[i % people.length]?.signIns);
    });
    expect(expected[0]?.signIns.ok && expected[0].signIns.value.length).toBeGreaterThan(0);
    // 30 triages, at most a couple of shared reads (one per read cycle) instead of 30.
    expect(signInReads(emulator).length - before).toBeLessThanOrEqual(3);
  });

  it("stays as fresh as a per-person read: a sign-in made after one triage is seen by the next", async () => {
    emulator = await startEmulator({ port: 0, tenant: gatewayTenant(), throttleScale: 100 });
    const running = emulator;
    const shared = gatewayFor(running, true);
    const since = new Date(Date.now() - 3600_000).toISOString();
    const first = await shared.getUserAuthSnapshot(users.manager, { groupIds: [], signInsSince: since });
    expect(first.signIns.ok && first.signIns.value).toEqual([]);
    const response = await fetch(`${running.baseUrl}/_emulator/sign-ins`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user: users.manager, method: "Mobile app notification" }),
    });
    expect(response.status).toBe(201);
    const second = await shared.getUserAuthSnapshot(users.manager, { groupIds: [], signInsSince: since });
    expect(second.signIns.ok && second.signIns.value).toHaveLength(1);
    // The second read asked only for what is new since the first (less the ingestion overlap), tenant-wide.
    const filters = signInReads(running).map((entry) => entry.path);
    expect(filters).toHaveLength(2);
  });
});
