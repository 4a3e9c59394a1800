import { afterEach, describe, expect, it } from "vitest";
import { createManualClock } from "../../src/emulator/emulator-clock.js";
import { type RunningEmulator, startEmulator } from "../../src/emulator/start-emulator.js";
import { createGraphGateway } from "../../src/graph/create-graph-gateway.js";
import { GraphUnavailableError } from "../../src/graph/graph-errors.js";
import type { SchedulerClock } from "../../src/graph/scheduler-clock.js";
import { auditCount, botApp, gatewayTenant, tenantId, users } from "./gateway-tenant.js";

/**
 * Virtual time shared by the emulator and the gateway's scheduler: when the scheduler arms its timer, time jumps to
 * the deadline on the next turn of the event loop, so a 10 s throttling wait costs no wall-clock time.
 */
function virtualTime() {
  const emulatorClock = createManualClock(Date.now());
  const scheduler: SchedulerClock = {
    now: () => emulatorClock.now(),
    setTimeout(callback, ms) {
      const deadline = emulatorClock.now() + ms;
      return setImmediate(() => {
        if (emulatorClock.now() < deadline) emulatorClock.set(deadline);
        callback();
      });
    },
    clearTimeout: (handle) => clearImmediate(handle as NodeJS.Immediate),
  };
  return { emulatorClock, scheduler };
}

let emulator: RunningEmulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe("the gateway under throttling and outages", () => {
  it("retries a throttled $batch item after its Retry-After and still returns every snapshot part", async () => {
    const time = virtualTime();
    // Scale 0.2: the reports bucket holds one request per 10 s, so two reports items in one batch collide.
    emulator = await startEmulator({
      port: 0,
      tenant: gatewayTenant(time.emulatorClock.now()),
      throttleScale: 0.2,
      clock: time.emulatorClock,
    });
    const gateway = createGraphGateway({
      mode: "emulator",
      baseUrl: emulator.baseUrl,
      tenantId,
      ...botApp,
      clock: time.scheduler,
    });
    const snapshot = await gateway.getUserAuthSnapshot(users.alice, {
      groupIds: [],
      auditsSince: new Date(time.emulatorClock.now() - 24 * 3600_000).toISOString(),
    });
    expect(snapshot.methods.ok).toBe(true);
    expect(snapshot.registrationAudits.ok && snapshot.registrationAudits.value).toHaveLength(auditCount);
    const batchItems = emulator.requestLog.filter((entry) => entry.batchId !== undefined && entry.bucket === "reports");
    expect(batchItems.map((entry) => entry.status)).toContain(429);
    expect(batchItems.at(-1)?.status).toBe(200);
  });

  it("queues requests beyond the reports budget instead of failing them, and says how long the wait is", async () => {
    const time = virtualTime();
    emulator = await startEmulator({
      port: 0,
      tenant: gatewayTenant(time.emulatorClock.now()),
      throttleScale: 0.2,
      clock: time.emulatorClock,
    });
    const gateway = createGraphGateway({
      mode: "emulator",
      baseUrl: emulator.baseUrl,
      tenantId,
      ...botApp,
      clock: time.scheduler,
    });
    const reads = Array.from({ length: 8 }, () => gateway.listPasskeys(users.alice));
    const waiting = gateway.schedulerStatus();
    expect(waiting.queuedInteractive).toBe(3);
    expect(waiting.reportsBucketWaitSeconds).toBeGreaterThan(0);
    const results = await Promise.all(reads);
    expect(results.every((passkeys) => passkeys.length === 1)).toBe(true);
    expect(gateway.schedulerStatus().queuedInteractive).toBe(0);
    expect(emulator.requestLog.some((entry) => entry.status === 429)).toBe(true);
  });

  it("serves interactive reads before queued background reads", async () => {
    const time = virtualTime();
    emulator = await startEmulator({
      port: 0,
      tenant: gatewayTenant(time.emulatorClock.now()),
      clock: time.emulatorClock,
    });
    const gateway = createGraphGateway({
      mode: "emulator",
      baseUrl: emulator.baseUrl,
      tenantId,
      ...botApp,
      clock: time.scheduler,
      schedulerOptions: { reportsPerWindow: 1 },
    });
    const finished: string[] = [];
    const track = (name: string, work: Promise<unknown>) => work.then(() => finished.push(name));
    await Promise.all([
      track("background-1", gateway.listPasskeys(users.alice, "background")),
      track("background-2", gateway.listPasskeys(users.alice, "background")),
      track("interactive", gateway.listPasskeys(users.alice, "interactive")),
    ]);
    expect(finished).toEqual(["background-1", "interactive", "background-2"]);
  });

  it("reports an outage as GraphUnavailableError and as unavailable snapshot parts", async () => {
    emulator = await startEmulator({ port: 0, tenant: gatewayTenant(), faults: "503:1" });
    const gateway = createGraphGateway({ mode: "emulator", baseUrl: emulator.baseUrl, tenantId, ...botApp });
    await expect(gateway.getUser(users.alice)).rejects.toBeInstanceOf(GraphUnavailableError);
    const policy = await gateway.getTenantPolicySnapshot();
    expect(policy.fido2).toMatchObject({ ok: false, problem: { kind: "unavailable" } });
    expect(await gateway.isReachable()).toBe(false);
  });

  it("reports a closed connection as GraphUnavailableError", async () => {
    emulator = await startEmulator({ port: 0, tenant: gatewayTenant() });
    const gateway = createGraphGateway({ mode: "emulator", baseUrl: emulator.baseUrl, tenantId, ...botApp });
    await gateway.getUser(users.alice);
    await emulator.close();
    emulator = undefined;
    await expect(gateway.getUser(users.manager)).rejects.toBeInstanceOf(GraphUnavailableError);
  });
});

describe("the shared tenant policy snapshot", () => {
  it("serves a snapshot past its minute at once while one background refresh runs, and waits only once it is long stale", async () => {
    const time = virtualTime();
    emulator = await startEmulator({
      port: 0,
      tenant: gatewayTenant(time.emulatorClock.now()),
      clock: time.emulatorClock,
    });
    const running = emulator;
    const gateway = createGraphGateway({
      mode: "emulator",
      baseUrl: running.baseUrl,
      tenantId,
      ...botApp,
      clock: time.scheduler,
    });
    const policyReads = () =>
      running.requestLog.filter((entry) => entry.path.endsWith("/authenticationMethodConfigurations/fido2")).length;

    const first = await gateway.getTenantPolicySnapshot();
    expect(policyReads()).toBe(1);

    time.emulatorClock.set(time.emulatorClock.now() + 90_000);
    const stale = await gateway.getTenantPolicySnapshot();
    expect(stale).toBe(first);
    // The refresh went out behind the stale answer; the next caller gets its result without another read.
    await new Promise((settled) => setTimeout(settled, 200));
    expect(policyReads()).toBe(2);
    const refreshed = await gateway.getTenantPolicySnapshot();
    expect(refreshed).not.toBe(first);
    expect(policyReads()).toBe(2);

    time.emulatorClock.set(time.emulatorClock.now() + 60 * 60_000);
    const reread = await gateway.getTenantPolicySnapshot();
    expect(reread).not.toBe(refreshed);
    expect(policyReads()).toBe(3);
  });
});
