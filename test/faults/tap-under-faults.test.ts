import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { approveTapRequest, confirmTapRequest, denyTapRequest } from "../../src/capabilities/tap/decide-tap-request.js";
import { reconcileTapRequests } from "../../src/capabilities/tap/reconcile-tap-requests.js";
import { requestTap } from "../../src/capabilities/tap/request-tap.js";
import { cancelTapRequest, revealTap } from "../../src/capabilities/tap/reveal-tap.js";
import type { TapDependencies } from "../../src/capabilities/tap/tap-dependencies.js";
import type { TapCard } from "../../src/capabilities/tap/tap-ports.js";
import { type TapRequest, TERMINAL_STATUSES } from "../../src/capabilities/tap/tap-request.js";
import { type RunningEmulator, startEmulator } from "../../src/emulator/start-emulator.js";
import type { GraphGateway } from "../../src/graph/graph-gateway.js";
import { AuditLedger } from "../../src/storage/audit-ledger.js";
import { verifyAuditLedger } from "../../src/storage/audit-ledger-verify.js";
import {
  actorFor,
  personaId,
  practiceGateway,
  practiceTapDependencies,
  tapForm,
  tapPostsIn,
} from "../capabilities/tap/practice-tap-deps.js";
import { type RunningAzurite, startAzurite } from "../support/azurite.js";
import { PRACTICE_TENANT_PATH } from "../support/bot-http.js";
import { type FaultRule, startGraphFaultProxy } from "./graph-fault-proxy.js";
import { startRestartableAzurite } from "./restartable-azurite.js";

/**
 * The TAP flow (approval marks a request `approved`; the agent's "Issue and show" creates the pass in that turn) under
 * the faults a deployment meets: storage stopped and restarted in the middle of an approval, a bot instance killed
 * between approval and the press, two instances racing on one storage, and Graph throttling, failing or dropping the
 * connection during issuance — including after Graph created the pass. After each: exactly one TAP per issued request,
 * every request ends issued, denied, expired, cancelled or failed with a reason, the people were told, and the audit
 * ledger verifies and holds every step.
 */
vi.setConfig({ testTimeout: 120_000 });
const TSX_LOADER = pathToFileURL(createRequire(__filename).resolve("tsx")).href;
const APPROVE_CHILD = resolve(__dirname, "approve-in-child.ts");
const children = new Set<ChildProcess>();
const cleanups: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await Promise.all(cleanups.map((cleanup) => cleanup()));
});

async function practiceEmulator(): Promise<RunningEmulator> {
  const emulator = await startEmulator({ port: 0, tenant: PRACTICE_TENANT_PATH, throttleScale: 100 });
  cleanups.push(() => emulator.close());
  return emulator;
}

async function azurite(): Promise<RunningAzurite> {
  const running = await startAzurite();
  cleanups.push(() => running.stop());
  return running;
}

type Sent = Array<{ to: string; card: TapCard }>;

/** One bot instance: its own Graph gateway, its own Table clients, its own ledger writer. */
function instance(
  emulator: RunningEmulator,
  connectionString: string,
  options: { sent?: Sent; graph?: GraphGateway; clock?: () => Date } = {},
): TapDependencies {
  return practiceTapDependencies({ emulator, connectionString, ...options });
}

/** A request by agent-1 for `targetKey`, confirmed by the target: the approver (`manager`) has it. */
async function confirmedRequest(deps: TapDependencies, targetKey: string): Promise<string> {
  const card = await requestTap(deps, actorFor("agent-1"), tapForm(targetKey));
  const requestId = String(card.data.requestId);
  expect(requestId, `no request for ${targetKey}: ${JSON.stringify(card.data)}`).toMatch(/./);
  await confirmTapRequest(deps, actorFor(targetKey), requestId);
  return requestId;
}

async function stored(deps: TapDependencies, requestId: string): Promise<TapRequest> {
  const request = (await deps.store.get(requestId))?.value;
  if (!request) throw new Error(`request ${requestId} is lost`);
  return request;
}

/**
 * What the world promises after a fault, for every request: a final state (a failure names its reason); an issued
 * request has exactly one live pass and its value was shown exactly once; any other has none; the ledger verifies and
 * holds each request's steps once.
 */
async function expectSettled(
  deps: TapDependencies,
  connectionString: string,
  requests: Array<{ id: string; targetKey: string }>,
  revealedCounts: Map<string, number>,
): Promise<Map<string, TapRequest>> {
  const ledger = AuditLedger.fromConnectionString(connectionString);
  const entries = await ledger.readAll();
  const verification = verifyAuditLedger(entries, await ledger.head());
  expect(verification.problems).toEqual([]);
  expect(verification.isIntact).toBe(true);
  const finals = new Map<string, TapRequest>();
  for (const { id, targetKey } of requests) {
    const request = await stored(deps, id);
    finals.set(id, request);
    expect(TERMINAL_STATUSES, `${targetKey} is stuck in ${request.status}`).toContain(request.status);
    const actions = entries.filter((entry) => entry.requestId === id).map((entry) => entry.action);
    const count = (action: string) => actions.filter((a) => a === action).length;
    expect(count("tap.requested"), `${targetKey}: ${actions}`).toBe(1);
    expect(count("tap.confirmed"), `${targetKey}: ${actions}`).toBe(1);
    const passes = await deps.graph.listTemporaryAccessPasses(personaId(targetKey));
    if (request.status === "issued") {
      expect(passes, `${targetKey} must hold exactly the issued pass`).toHaveLength(1);
      expect(passes[0]?.id).toBe(request.methodId);
      expect(revealedCounts.get(id) ?? 0, `${targetKey}: value shown once`).toBe(1);
      expect(count("tap.approved")).toBe(1);
      expect(count("tap.issued")).toBe(1);
      expect(count("tap.revealed")).toBe(1);
    } else {
      expect(passes, `${targetKey} (${request.status}) must hold no pass`).toEqual([]);
      expect(revealedCounts.get(id) ?? 0).toBe(0);
      expect(count(`tap.${request.status}`), `${targetKey}: ${actions}`).toBe(1);
    }
    if (request.status === "failed") expect(request.failure?.key).toMatch(/./);
  }
  return finals;
}

/** The agent presses "Issue and show"; returns the card, counting the revealed ones. */
async function press(deps: TapDependencies, requestId: string, revealed: Map<string, number>): Promise<TapCard> {
  const card = await revealTap(deps, actorFor("agent-1"), requestId, "personal");
  if (card.name === "tap-revealed") revealed.set(requestId, (revealed.get(requestId) ?? 0) + 1);
  return card;
}

describe("Azurite stopped and restarted in the middle of an approval", () => {
  it("the approval lands once (or the manager's press fails and the next one lands), the agent is told, one pass is issued, the ledger holds every step", async () => {
    const emulator = await practiceEmulator();
    const storage = await startRestartableAzurite();
    cleanups.push(() => storage.dispose());
    const sent: Sent = [];
    const requestIds = [
      await confirmedRequest(instance(emulator, storage.connectionString), "no-mfa-method"),
      await confirmedRequest(instance(emulator, storage.connectionString), "stale-mfa"),
    ];

    // The approval reads the request from storage, then asks Graph who may approve: storage goes down right then,
    // before the approval's own write, and comes back a second later.
    let outage: Promise<void> | undefined;
    const graph = practiceGateway(emulator);
    const stopStorageOnFirstCall = new Proxy(graph, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          outage ??= (async () => {
            await storage.stop();
            await new Promise((r) => setTimeout(r, 1_000));
            await storage.start();
          })();
          return value.apply(target, args);
        };
      },
    });
    const approver = instance(emulator, storage.connectionString, { sent, graph: stopStorageOnFirstCall });
    const first = await Promise.allSettled(
      requestIds.map((id) => approveTapRequest(approver, actorFor("manager"), id)),
    );
    await outage;
    expect(outage, "storage was never stopped during the approval").toBeDefined();

    // Whatever the first press saw (the SDK's retries may have ridden out the outage), a second press by the manager
    // on a healthy instance either approves or says it is already decided: never a second approval.
    const healthy = instance(emulator, storage.connectionString, { sent });
    for (const [index, id] of requestIds.entries()) {
      const outcome = first[index];
      if (outcome?.status === "fulfilled") continue;
      const again = await approveTapRequest(healthy, actorFor("manager"), id);
      expect(again.name).not.toBe("error");
    }
    for (const id of requestIds) expect((await stored(healthy, id)).status).toBe("approved");
    // The agent was told to issue the pass when with the person, once per request.
    for (const id of requestIds) {
      const told = sent.filter((s) => s.to === personaId("agent-1") && s.card.data.requestId === id);
      expect(told.length, `agent told about ${id}`).toBeGreaterThanOrEqual(1);
    }

    const revealed = new Map<string, number>();
    for (const id of requestIds) expect((await press(healthy, id, revealed)).name).toBe("tap-revealed");
    await expectSettled(
      healthy,
      storage.connectionString,
      [
        { id: requestIds[0] as string, targetKey: "no-mfa-method" },
        { id: requestIds[1] as string, targetKey: "stale-mfa" },
      ],
      revealed,
    );
  });
});

describe("a bot instance killed between the approval and Issue and show", () => {
  it("SIGKILL after the approval: the agent presses on a second instance and gets the one pass; the ledger holds the approval", async () => {
    const emulator = await practiceEmulator();
    const storage = await azurite();
    const requestId = await confirmedRequest(instance(emulator, storage.connectionString), "yubikey-allowed");

    const child = spawn(
      process.execPath,
      [
        "--import",
        TSX_LOADER,
        APPROVE_CHILD,
        JSON.stringify({
          baseUrl: emulator.baseUrl,
          tenantId: emulator.tenantId,
          connectionString: storage.connectionString,
          requestId,
        }),
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    children.add(child);
    let output = "";
    await new Promise<void>((approved, reject) => {
      child.stdout?.on("data", (chunk) => {
        output += String(chunk);
        if (output.includes("APPROVED")) approved();
      });
      child.stderr?.on("data", (chunk) => {
        output += String(chunk);
      });
      child.once("exit", (code) => reject(new Error(`the approving instance exited (${code}): ${output}`)));
    });
    const exited = new Promise((done) => child.once("exit", (_code, signal) => done(signal)));
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    children.delete(child);

    const second = instance(emulator, storage.connectionString, { clock: () => new Date(Date.now() + 3 * 60_000) });
    expect((await stored(second, requestId)).status).toBe("approved");
    // The survivor's reconciler has nothing to undo: nothing was being issued.
    await reconcileTapRequests(second);
    expect((await stored(second, requestId)).status).toBe("approved");
    expect(tapPostsIn(emulator.requestLog, personaId("yubikey-allowed"))).toHaveLength(0);

    const revealed = new Map<string, number>();
    const survivor = instance(emulator, storage.connectionString);
    expect((await press(survivor, requestId, revealed)).name).toBe("tap-revealed");
    const again = await press(survivor, requestId, revealed);
    expect(again.name).not.toBe("tap-revealed");
    await expectSettled(
      survivor,
      storage.connectionString,
      [{ id: requestId, targetKey: "yubikey-allowed" }],
      revealed,
    );
  });
});

describe("a bot instance killed between writing the approval and appending it to the ledger", () => {
  it("SIGKILL after the write: the survivor's reconciler appends the approval once, and the agent still gets the one pass", async () => {
    const emulator = await practiceEmulator();
    const storage = await azurite();
    const requestId = await confirmedRequest(instance(emulator, storage.connectionString), "ios-user");

    const child = spawn(
      process.execPath,
      [
        "--import",
        TSX_LOADER,
        APPROVE_CHILD,
        JSON.stringify({
          baseUrl: emulator.baseUrl,
          tenantId: emulator.tenantId,
          connectionString: storage.connectionString,
          requestId,
          stopAt: "decisionWritten",
        }),
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    children.add(child);
    let output = "";
    await new Promise<void>((written, reject) => {
      child.stdout?.on("data", (chunk) => {
        output += String(chunk);
        if (output.includes("WRITTEN")) written();
      });
      child.stderr?.on("data", (chunk) => {
        output += String(chunk);
      });
      child.once("exit", (code) => reject(new Error(`the approving instance exited (${code}): ${output}`)));
    });
    const exited = new Promise((done) => child.once("exit", (_code, signal) => done(signal)));
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    children.delete(child);

    const ledger = AuditLedger.fromConnectionString(storage.connectionString);
    const approvals = async () =>
      (await ledger.entriesFor(requestId)).filter((entry) => entry.action === "tap.approved");
    expect((await stored(instance(emulator, storage.connectionString), requestId)).status).toBe("approved");
    expect(await approvals(), "the dead instance never appended its approval").toHaveLength(0);

    const later = instance(emulator, storage.connectionString, { clock: () => new Date(Date.now() + 3 * 60_000) });
    await reconcileTapRequests(later);
    await reconcileTapRequests(later);
    const recovered = await approvals();
    expect(recovered).toHaveLength(1);
    expect(recovered[0]?.actorId).toBe(personaId("manager"));
    expect(recovered[0]?.details.recoveredAt).toEqual(expect.any(String));

    const revealed = new Map<string, number>();
    const survivor = instance(emulator, storage.connectionString);
    expect((await press(survivor, requestId, revealed)).name).toBe("tap-revealed");
    await expectSettled(survivor, storage.connectionString, [{ id: requestId, targetKey: "ios-user" }], revealed);
  });
});

describe("two instances racing on one storage", () => {
  it("approve/deny, press/press and press/cancel races across two instances: one outcome each, one pass per issued request, one unbroken ledger", async () => {
    const emulator = await practiceEmulator();
    const storage = await azurite();
    const a = instance(emulator, storage.connectionString);
    const b = instance(emulator, storage.connectionString);
    const targets = ["no-mfa-method", "stale-mfa", "yubikey-allowed", "windows-hello-blocked", "whfb-conflict"];
    const ids = await Promise.all(targets.map((key, i) => confirmedRequest(i % 2 ? a : b, key)));
    const requests = targets.map((targetKey, i) => ({ id: ids[i] as string, targetKey }));

    // The manager's approval and denial of the first request arrive at both instances at once; the rest are approved
    // twice at once (a double click landing on two instances).
    const [raceDecision] = await Promise.allSettled([
      Promise.allSettled([
        approveTapRequest(a, actorFor("manager"), ids[0]),
        denyTapRequest(b, actorFor("manager"), ids[0], "not today"),
      ]),
      ...ids
        .slice(1)
        .map((id) =>
          Promise.allSettled([
            approveTapRequest(a, actorFor("manager"), id),
            approveTapRequest(b, actorFor("manager"), id),
          ]),
        ),
    ]);
    expect(raceDecision?.status).toBe("fulfilled");

    const revealed = new Map<string, number>();
    const tally = async (deps: TapDependencies, id: string) => {
      try {
        return (await press(deps, id, revealed)).name;
      } catch (error) {
        return (error as Error).name;
      }
    };
    // Two presses on two instances for requests 2 and 3; a press and the agent's cancel at once for 4 and 5.
    await Promise.all([
      tally(a, ids[1] as string),
      tally(b, ids[1] as string),
      tally(b, ids[2] as string),
      tally(a, ids[2] as string),
      tally(a, ids[3] as string),
      cancelTapRequest(b, actorFor("agent-1"), ids[3]).catch((e: Error) => e.name),
      cancelTapRequest(a, actorFor("agent-1"), ids[4]).catch((e: Error) => e.name),
      tally(b, ids[4] as string),
    ]);
    // A request the race left approved (the cancel lost to nothing, or the deny lost) is pressed once more by the agent.
    for (const id of ids) {
      if ((await stored(a, id)).status === "approved") await tally(a, id);
    }
    const finals = await expectSettled(a, storage.connectionString, requests, revealed);
    expect(["approved", "denied"].map(String)).toContain(
      (finals.get(ids[0] as string)?.status === "issued" ? "approved" : finals.get(ids[0] as string)?.status) ?? "",
    );
    expect(finals.get(ids[1] as string)?.status).toBe("issued");
    expect(finals.get(ids[2] as string)?.status).toBe("issued");
    for (const id of ids.slice(3)) expect(["issued", "cancelled"]).toContain(finals.get(id)?.status);
    // The denial, when it won, reached the agent and the target; exactly one of approve/deny was recorded.
    const entries = await AuditLedger.fromConnectionString(storage.connectionString).readAll();
    const decisions = entries.filter(
      (entry) => entry.requestId === ids[0] && (entry.action === "tap.approved" || entry.action === "tap.denied"),
    );
    expect(decisions).toHaveLength(1);
  });
});

describe("Graph throttling, failing and dropping connections during issuance", () => {
  it.each<[string, FaultRule[]]>([
    ["a 429 storm with Retry-After", [{ fault: "429", rate: 0.5 }]],
    ["503s before Graph acts", [{ fault: "503", rate: 0.4 }]],
    ["connections reset before Graph acts", [{ fault: "resetBefore", rate: 0.4 }]],
    [
      "the TAP created, then the connection reset or a 503 instead of the answer",
      [
        { fault: "resetAfter", rate: 0.5, match: /^POST .*temporaryAccessPassMethods$/ },
        { fault: "503After", rate: 0.5, match: /^POST .*temporaryAccessPassMethods$/ },
      ],
    ],
    [
      "all of them at once",
      [
        { fault: "429", rate: 0.15 },
        { fault: "503", rate: 0.1 },
        { fault: "resetBefore", rate: 0.1 },
        { fault: "resetAfter", rate: 0.3, match: /^POST .*temporaryAccessPassMethods$/ },
        { fault: "503After", rate: 0.3, match: /^(POST|DELETE) .*temporaryAccessPassMethods/ },
      ],
    ],
  ])(
    "every request ends issued once or failed with a reason, the agent told each time (%s)",
    async (_label, rules) => {
      const emulator = await practiceEmulator();
      const storage = await azurite();
      const proxy = await startGraphFaultProxy(emulator.baseUrl, 11);
      cleanups.push(() => proxy.close());
      const healthy = instance(emulator, storage.connectionString);
      const targets = ["no-mfa-method", "stale-mfa", "yubikey-allowed", "windows-hello-blocked", "all-good"];
      const ids: string[] = [];
      for (const key of targets) {
        const id = await confirmedRequest(healthy, key);
        await approveTapRequest(healthy, actorFor("manager"), id);
        ids.push(id);
      }
      const requests = targets.map((targetKey, i) => ({ id: ids[i] as string, targetKey }));

      proxy.setRules(rules);
      const sent: Sent = [];
      const faulty = instance(emulator, storage.connectionString, {
        sent,
        graph: practiceGateway(
          { baseUrl: proxy.baseUrl, tenantId: emulator.tenantId },
          { requestTimeoutMs: 2_000, schedulerOptions: { maxThrottleRetries: 2 } },
        ),
      });
      const revealed = new Map<string, number>();
      const lastCard = new Map<string, TapCard>();
      const later = instance(emulator, storage.connectionString, {
        sent,
        clock: () => new Date(Date.now() + 3 * 60_000),
      });
      // The agent keeps pressing as the cards say ("press again" when the pass was not created or is being sorted out);
      // the reconciler runs between rounds, as it does every minute on every instance.
      for (let round = 0; round < 8; round += 1) {
        const open: string[] = [];
        for (const id of ids) if (!TERMINAL_STATUSES.includes((await stored(healthy, id)).status)) open.push(id);
        if (open.length === 0) break;
        const cards = await Promise.all(
          open.map(async (id) => {
            try {
              const card = await press(faulty, id, revealed);
              lastCard.set(id, card);
              return card;
            } catch (error) {
              // A press whose own storage or Graph call failed outright: the bot's boundary answers it; nothing is lost.
              return { name: "error", data: { error: (error as Error).name } } as unknown as TapCard;
            }
          }),
        );
        for (const card of cards) {
          expect(card.name, JSON.stringify(card.data)).toMatch(/^(tap-revealed|tap-status|error)$/);
        }
        await reconcileTapRequests(later);
      }
      proxy.setRules([]);
      // Faults over: anything still open settles with the agent's next press.
      for (const id of ids) {
        const status = (await stored(healthy, id)).status;
        if (status === "issuing") await reconcileTapRequests(later);
        if ((await stored(healthy, id)).status === "approved") await press(healthy, id, revealed);
      }
      const finals = await expectSettled(healthy, storage.connectionString, requests, revealed);
      for (const request of finals.values()) {
        expect(["issued", "failed"]).toContain(request.status);
        if (request.status === "failed") {
          // Told clearly: the press that failed answered with the named failure and, when a new request can cure it,
          // the "request again" offer.
          const card = lastCard.get(request.id);
          expect(card?.name).toBe("tap-status");
          const key = request.failure?.key ?? "";
          expect(card?.data).toMatchObject({
            title: { key: "tap.statusFailedTitle" },
            message: { key: `tap.failure${key.charAt(0).toUpperCase()}${key.slice(1)}` },
          });
          if (request.failure?.retryable) expect(card?.data).toMatchObject({ offerRetry: true });
        }
      }
      const injected = Object.values(proxy.injected).reduce((sum, n) => sum + n, 0);
      expect(injected, "the proxy injected no fault").toBeGreaterThan(0);
      console.log(`faults ${JSON.stringify(proxy.injected)} → ${[...finals.values()].map((r) => r.status).join(", ")}`);
    },
    120_000,
  );
});
