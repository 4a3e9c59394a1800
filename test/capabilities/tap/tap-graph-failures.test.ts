import { afterAll, describe, expect, it } from "vitest";
import { approveTapRequest, confirmTapRequest } from "../../../src/capabilities/tap/decide-tap-request.js";
import { reconcileTapRequests } from "../../../src/capabilities/tap/reconcile-tap-requests.js";
import { requestTap } from "../../../src/capabilities/tap/request-tap.js";
import { revealTap } from "../../../src/capabilities/tap/reveal-tap.js";
import type { TapDependencies } from "../../../src/capabilities/tap/tap-dependencies.js";
import type { TapCard } from "../../../src/capabilities/tap/tap-ports.js";
import { type RunningEmulator, startEmulator } from "../../../src/emulator/start-emulator.js";
import type { TenantFile } from "../../../src/emulator/tenant-file.js";
import { ThrottledError } from "../../../src/graph/graph-errors.js";
import type { GraphGateway } from "../../../src/graph/graph-gateway.js";
import { AuditLedger } from "../../../src/storage/audit-ledger.js";
import { PRACTICE_TENANT_PATH } from "../../support/bot-http.js";
import { usePracticeServices } from "../../support/practice-services.js";
import { readPracticeTenant, tapConfigurationOf } from "../../support/practice-tenant.js";
import {
  actorFor,
  personaId,
  practiceGateway,
  practiceTapDependencies,
  tapForm,
  tapPostsIn,
} from "./practice-tap-deps.js";

/**
 * Graph refusing or failing the TAP POST, each through the real emulator over HTTP. The directory changes between
 * approval and issuance are played by a second emulator that answers the issuing calls: the same tenant with its TAP
 * policy tightened, the target deleted, its throttling budget spent, or down.
 */
const practiceTenant = () => readPracticeTenant();

function withTapPolicy(tenant: TenantFile, minimum: number, maximum: number): TenantFile {
  Object.assign(tapConfigurationOf(tenant), {
    minimumLifetimeInMinutes: minimum,
    maximumLifetimeInMinutes: maximum,
    defaultLifetimeInMinutes: minimum,
  });
  return tenant;
}

/** The tenant as it is after `userId` was deleted: the user and every reference to them gone. */
function withoutUser(tenant: TenantFile, userId: string): TenantFile {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) {
      return node
        .filter((item) => item !== userId)
        .filter(
          (item) =>
            !(item && typeof item === "object" && Object.values(item as object).some((value) => value === userId)),
        )
        .map(strip);
    }
    if (node && typeof node === "object") {
      return Object.fromEntries(
        Object.entries(node as Record<string, unknown>)
          .filter(([key]) => key !== userId)
          .map(([key, value]) => [key, key === "managerId" && value === userId ? null : strip(value)]),
      );
    }
    return node;
  };
  const stripped = strip(tenant) as TenantFile;
  // The persona that stood for the user goes too (the loader refuses a persona without its user).
  const upns = new Set(stripped.users.map((user) => user.userPrincipalName.toLowerCase()));
  return { ...stripped, personas: stripped.personas?.filter((p) => upns.has(p.userPrincipalName.toLowerCase())) };
}

const practice = usePracticeServices();
const extra: RunningEmulator[] = [];
const sent: Array<{ to: string; card: TapCard }> = [];

async function emulatorWith(options: Omit<Parameters<typeof startEmulator>[0], "port">): Promise<RunningEmulator> {
  const started = await startEmulator({ port: 0, ...options });
  extra.push(started);
  return started;
}

/** A gateway for the practice emulator whose named calls go to `other` instead. */
function routed(other: GraphGateway, calls: Array<keyof GraphGateway>): GraphGateway {
  const base = practiceGateway(practice.emulator);
  return new Proxy(base, {
    get: (_target, property: keyof GraphGateway) => {
      const source = calls.includes(property) ? other : base;
      const value = source[property];
      return typeof value === "function" ? value.bind(source) : value;
    },
  });
}

const deps = (graph?: GraphGateway, clock?: () => Date): TapDependencies =>
  practiceTapDependencies({
    emulator: practice.emulator,
    connectionString: practice.azurite.connectionString,
    graph,
    sent,
    clock,
  });

async function confirmedRequest(targetKey: string, extraForm: Record<string, unknown> = {}): Promise<string> {
  const card = await requestTap(deps(), actorFor("agent-1"), tapForm(targetKey, extraForm));
  const requestId = String(card.data.requestId);
  await confirmTapRequest(deps(), actorFor(targetKey), requestId);
  return requestId;
}

/** The manager approves (on the practice emulator); the agent then presses "Issue and show" on an instance using `graph`. */
async function approveAndPress(graph: GraphGateway, requestId: string): Promise<TapCard> {
  await approveTapRequest(deps(), actorFor("manager"), requestId);
  return revealTap(deps(graph), actorFor("agent-1"), requestId, "personal");
}

async function ledgerOf(requestId: string) {
  const entries = await AuditLedger.fromConnectionString(practice.azurite.connectionString).readAll();
  return entries.filter((entry) => entry.requestId === requestId);
}

/** What every failure must leave behind: a failed, retryable request, the ledger's word, the agent told, a new request possible. */
async function expectFailedConsistently(requestId: string, targetKey: string, failureKey: string) {
  const stored = (await deps().store.get(requestId))?.value;
  expect(stored).toMatchObject({ status: "failed", failure: { key: failureKey }, methodId: null, isValueLost: false });
  const actions = (await ledgerOf(requestId)).map((entry) => entry.action);
  expect(actions.filter((action) => ["tap.approved", "tap.issuing", "tap.failed"].includes(action))).toEqual([
    "tap.approved",
    "tap.issuing",
    "tap.failed",
  ]);
  const failed = (await ledgerOf(requestId)).find((entry) => entry.action === "tap.failed");
  expect(failed?.details).toMatchObject({ failure: failureKey, message: expect.any(String) });
  const toAgent = sent.filter((s) => s.to === personaId("agent-1") && s.card.data.requestId === requestId).at(-1);
  expect(toAgent?.card.data.message).toMatchObject({ key: expect.stringMatching(/^tap\.failure/) });
  expect(await deps().graph.listTemporaryAccessPasses(personaId(targetKey))).toEqual([]);
  expect((await AuditLedger.fromConnectionString(practice.azurite.connectionString).verify()).isIntact).toBe(true);
  // The pending lock is released: the agent can ask again at once.
  const again = await requestTap(deps(), actorFor("agent-1"), tapForm(targetKey));
  expect(again.data.requestId).not.toBe(requestId);
  return { stored, failed };
}

afterAll(async () => {
  await Promise.all(extra.map((e) => e.close()));
});

describe("TAP issuance when Graph refuses or fails (real emulator over HTTP)", () => {
  it("fails retryably with Graph's reason recorded when the lifetime is outside a TAP policy tightened after the request", async () => {
    const requestId = await confirmedRequest("no-mfa-method", { lifetimeInMinutes: "120" });
    const tightened = await emulatorWith({ tenant: withTapPolicy(practiceTenant(), 30, 90), throttleScale: 100 });
    const graph = routed(practiceGateway(tightened), ["createTemporaryAccessPass"]);

    const card = await approveAndPress(graph, requestId);
    expect(card.data.message).toEqual({ key: "tap.failureRefusedByGraph" });
    expect(
      tightened.requestLog.filter((e) => e.path.endsWith("/temporaryAccessPassMethods")).map((e) => e.status),
    ).toEqual([400]);
    const { stored, failed } = await expectFailedConsistently(requestId, "no-mfa-method", "refusedByGraph");
    expect(stored?.failure?.retryable).toBe(true);
    expect(String(failed?.details.cause)).toMatch(/^400 \| badRequest \| .*LifetimeInMinutes.*between 30 and 90/);
  });

  it("fails for good (not retryable) when the target was deleted between approval and issuance", async () => {
    const targetId = personaId("stale-mfa");
    const requestId = await confirmedRequest("stale-mfa");
    const deleted = await emulatorWith({ tenant: withoutUser(practiceTenant(), targetId), throttleScale: 100 });
    const graph = routed(practiceGateway(deleted), ["createTemporaryAccessPass"]);

    const card = await approveAndPress(graph, requestId);
    expect(card.data.message).toEqual({ key: "tap.failureTargetGone" });
    const stored = (await deps().store.get(requestId))?.value;
    expect(stored).toMatchObject({ status: "failed", failure: { key: "targetGone", retryable: false } });
    const failed = (await ledgerOf(requestId)).find((entry) => entry.action === "tap.failed");
    expect(String(failed?.details.cause)).toMatch(/^404 \| /);
    expect(tapPostsIn(deleted.requestLog)).toEqual([]);
    expect(await deps().graph.listTemporaryAccessPasses(targetId)).toEqual([]);
  });

  it("fails retryably, naming the wait, when Graph throttles the POST past the gateway's retries", async () => {
    const requestId = await confirmedRequest("whfb-conflict");
    // 0.2 × 5 requests per 10 s: one TAP-bucket request per 10 s, spent before the approval.
    const busy = await emulatorWith({ tenant: PRACTICE_TENANT_PATH, throttleScale: 0.2 });
    const busyGraph = practiceGateway(busy, { schedulerOptions: { maxThrottleRetries: 0 } });
    let spent = false;
    for (let attempt = 0; attempt < 10 && !spent; attempt += 1) {
      spent = await busyGraph.listTemporaryAccessPasses(personaId("whfb-conflict")).then(
        () => false,
        (error: unknown) => error instanceof ThrottledError,
      );
    }
    expect(spent).toBe(true);

    const card = await approveAndPress(routed(busyGraph, ["createTemporaryAccessPass"]), requestId);
    expect(card.data.message).toEqual({ key: "tap.failureThrottled", params: { seconds: expect.any(Number) } });
    expect(busy.requestLog.filter((e) => e.method === "POST").map((e) => e.status)).toEqual([429]);
    const { stored, failed } = await expectFailedConsistently(requestId, "whfb-conflict", "throttled");
    expect(stored?.failure).toMatchObject({ retryable: true, params: { seconds: expect.any(Number) } });
    expect(String(failed?.details.cause)).toMatch(/^429 \| TooManyRequests/);
  });

  it.each([
    ["503 Service Unavailable", "503:1", "windows-hello-blocked"],
    ["a reset connection", "reset:1", "yubikey-allowed"],
  ])(
    "looks before deciding when the POST meets %s, finds nothing created and offers Issue and show again",
    async (_name, faults, targetKey) => {
      const requestId = await confirmedRequest(targetKey);
      const down = await emulatorWith({ tenant: PRACTICE_TENANT_PATH, faults });
      const graph = routed(practiceGateway(down, { requestTimeoutMs: 5_000 }), ["createTemporaryAccessPass"]);

      const card = await approveAndPress(graph, requestId);
      expect(card.data).toMatchObject({ message: { key: "tap.statusReofferedMessage" }, offerIssue: true });
      expect((await deps().store.get(requestId))?.value.status).toBe("approved");
      const actions = (await ledgerOf(requestId)).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(["tap.issuing", "tap.reconciled", "tap.reoffered"]));
      const reconciled = (await ledgerOf(requestId)).find((e) => e.action === "tap.reconciled");
      expect(reconciled?.details.cause).toEqual(expect.any(String));
      expect(await deps().graph.listTemporaryAccessPasses(personaId(targetKey))).toEqual([]);
      expect(tapPostsIn(practice.emulator.requestLog, personaId(targetKey))).toEqual([]);

      // The next press, with Graph back, issues the one pass.
      expect((await revealTap(deps(), actorFor("agent-1"), requestId, "personal")).name).toBe("tap-revealed");
      expect(tapPostsIn(practice.emulator.requestLog, personaId(targetKey))).toHaveLength(1);
    },
  );

  it("does not ask for a permission when Graph rejects the app's credentials (401) on the POST", async () => {
    const requestId = await confirmedRequest("ios-user");
    const rejecting = await emulatorWith({ tenant: PRACTICE_TENANT_PATH, faults: "401:1" });
    const graph = routed(practiceGateway(rejecting, { requestTimeoutMs: 5_000 }), ["createTemporaryAccessPass"]);

    await approveAndPress(graph, requestId);
    const stored = (await deps().store.get(requestId))?.value;
    expect(stored?.status).not.toBe("issued");
    expect(stored?.failure?.key).not.toBe("accessDenied");
    expect(JSON.stringify(stored)).not.toContain("UserAuthMethod-TAP.ReadWrite.All");
    expect(await deps().graph.listTemporaryAccessPasses(personaId("ios-user"))).toEqual([]);
  });

  it("keeps the request issuing through a full outage and settles it once Graph is back — one pass at most, nothing lost", async () => {
    const targetKey = "attestation-mismatch";
    const requestId = await confirmedRequest(targetKey);
    const down = await emulatorWith({ tenant: PRACTICE_TENANT_PATH, faults: "503:1" });
    const graph = routed(practiceGateway(down), ["createTemporaryAccessPass", "listTemporaryAccessPasses"]);

    const card = await approveAndPress(graph, requestId);
    expect(card.data.message).toEqual({ key: "tap.statusIssuingMessage" });
    expect((await deps().store.get(requestId))?.value.status).toBe("issuing");
    expect((await ledgerOf(requestId)).map((e) => e.action).slice(-2)).toEqual([
      "tap.issuing",
      "tap.reconcileDeferred",
    ]);

    // Too soon: a Graph call elsewhere could still be running, so nothing is decided yet.
    expect(await reconcileTapRequests(deps())).toEqual([]);
    const later = () => new Date(Date.now() + 3 * 60_000);
    const [settled] = await reconcileTapRequests(deps(undefined, later));
    expect(settled).toMatchObject({ id: requestId, status: "approved", issuingAt: null });
    expect(tapPostsIn(practice.emulator.requestLog, personaId(targetKey))).toEqual([]);

    // The approval stands: the agent's next press issues exactly one pass.
    expect((await revealTap(deps(), actorFor("agent-1"), requestId, "personal")).name).toBe("tap-revealed");
    expect((await deps().store.get(requestId))?.value.status).toBe("issued");
    expect(tapPostsIn(practice.emulator.requestLog, personaId(targetKey))).toHaveLength(1);
    expect(await deps().graph.listTemporaryAccessPasses(personaId(targetKey))).toHaveLength(1);
  });
});
