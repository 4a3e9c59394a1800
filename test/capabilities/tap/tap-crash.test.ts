import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { confirmTapRequest } from "../../../src/capabilities/tap/decide-tap-request.js";
import { reconcileTapRequests } from "../../../src/capabilities/tap/reconcile-tap-requests.js";
import { requestTap } from "../../../src/capabilities/tap/request-tap.js";
import { revealTap } from "../../../src/capabilities/tap/reveal-tap.js";
import type { IssuanceStep, TapDependencies } from "../../../src/capabilities/tap/tap-dependencies.js";
import type { TapCard } from "../../../src/capabilities/tap/tap-ports.js";
import type { TapRequestStatus } from "../../../src/capabilities/tap/tap-request.js";
import { AuditLedger } from "../../../src/storage/audit-ledger.js";
import { usePracticeServices } from "../../support/practice-services.js";
import { actorFor, personaId, practiceTapDependencies, tapForm, tapPostsIn } from "./practice-tap-deps.js";

/**
 * A bot instance killed (SIGKILL) mid-issuance (inside the agent's "Issue and show" turn) in a child process, then a
 * fresh instance's reconciliation: never a live pass nobody saw, never two live passes; the request offered again.
 * The child runs the real use cases against this process's emulator and Azurite.
 */
const practice = usePracticeServices();
const children = new Set<ChildProcess>();
const spawnedPids = new Set<number>();
/**
 * tsx's loader, run in node itself: the `tsx` binary is a wrapper that starts a second node process for the script,
 * so a SIGKILL to the wrapper would leave the real bot instance running (and issuing) as an orphan.
 */
const TSX_LOADER = pathToFileURL(createRequire(__filename).resolve("tsx")).href;
const CHILD = resolve(__dirname, "issue-in-child.ts");

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  // Anything still running the child script against this run's emulator (its URL is in argv) outlived the test.
  const leftovers = processesWithArgument(practice.emulator.baseUrl).filter((pid) => pid !== process.pid);
  for (const pid of leftovers) process.kill(pid, "SIGKILL");
  expect(leftovers, "child processes left running after the crash test").toEqual([]);
  expect([...spawnedPids].filter(isRunning)).toEqual([]);
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Pids whose command line holds `argument` (Linux /proc; elsewhere nothing is found). */
function processesWithArgument(argument: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  return entries
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(argument);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** A bot instance started after the crash; its clock is past the grace period reconciliation waits for. */
function freshInstance(sent: Array<{ to: string; card: TapCard }> = []): TapDependencies {
  const later = () => new Date(Date.now() + 3 * 60_000);
  return practiceTapDependencies({
    emulator: practice.emulator,
    connectionString: practice.azurite.connectionString,
    sent,
    clock: later,
  });
}

async function confirmedRequest(targetKey: string): Promise<string> {
  const deps = practiceTapDependencies({
    emulator: practice.emulator,
    connectionString: practice.azurite.connectionString,
  });
  const card = await requestTap(deps, actorFor("agent-1"), tapForm(targetKey));
  const requestId = String(card.data.requestId);
  await confirmTapRequest(deps, actorFor(targetKey), requestId);
  return requestId;
}

/** Approves and presses "Issue and show" in a child process that stops at `step`; kills it there with SIGKILL. */
async function pressAndKillAt(requestId: string, step: IssuanceStep): Promise<void> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      TSX_LOADER,
      CHILD,
      JSON.stringify({
        baseUrl: practice.emulator.baseUrl,
        tenantId: practice.emulator.tenantId,
        connectionString: practice.azurite.connectionString,
        requestId,
        stopAt: step,
      }),
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  children.add(child);
  if (child.pid !== undefined) spawnedPids.add(child.pid);
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  await new Promise<void>((resolvePaused, reject) => {
    child.stdout?.on("data", (chunk) => {
      stdout += String(chunk);
      if (stdout.includes(`STOPPED ${step}`)) resolvePaused();
    });
    child.once("exit", (code) =>
      reject(new Error(`The child exited (${code}) before ${step}: ${stdout}${stderr.slice(-2000)}`)),
    );
  });
  const exited = new Promise((done) => child.once("exit", (_code, signal) => done(signal)));
  child.kill("SIGKILL");
  expect(await exited).toBe("SIGKILL");
  children.delete(child);
  // The killed process is the bot instance itself, not a launcher in front of it: nothing runs the child script any more.
  expect(child.pid !== undefined && isRunning(child.pid)).toBe(false);
  expect(processesWithArgument(requestId)).toEqual([]);
}

async function statusOf(requestId: string): Promise<TapRequestStatus | undefined> {
  return (await freshInstance().store.get(requestId))?.value.status;
}

async function actionsOf(requestId: string): Promise<string[]> {
  const entries = await AuditLedger.fromConnectionString(practice.azurite.connectionString).readAll();
  return entries.filter((entry) => entry.requestId === requestId).map((entry) => entry.action);
}

describe("a bot instance killed during TAP issuance", () => {
  it("killed after the approved→issuing write: reconciliation finds no pass and offers the request again; the next press issues once", async () => {
    const targetId = personaId("ios-user");
    const requestId = await confirmedRequest("ios-user");
    await pressAndKillAt(requestId, "issuingWritten");
    expect(await statusOf(requestId)).toBe("issuing");
    expect(tapPostsIn(practice.emulator.requestLog, targetId)).toHaveLength(0);

    const [first, second] = await Promise.all([
      reconcileTapRequests(freshInstance()),
      reconcileTapRequests(freshInstance()),
    ]);
    const outcomes = [...first, ...second].filter((request) => request.id === requestId);
    expect(outcomes.length).toBeGreaterThanOrEqual(1);
    for (const outcome of outcomes) expect(outcome).toMatchObject({ status: "approved" });
    expect(tapPostsIn(practice.emulator.requestLog, targetId)).toHaveLength(0);
    expect((await actionsOf(requestId)).filter((a) => a === "tap.reoffered")).toHaveLength(1);

    const again = await revealTap(freshInstance(), actorFor("agent-1"), requestId, "personal");
    expect(again.name).toBe("tap-revealed");
    expect(tapPostsIn(practice.emulator.requestLog, targetId)).toHaveLength(1);
    expect(await freshInstance().graph.listTemporaryAccessPasses(targetId)).toHaveLength(1);
  });

  it("killed after Graph's TAP POST returned but before the issued write: the orphan nobody saw is deleted and the request offered again", async () => {
    const targetId = personaId("android-user");
    const requestId = await confirmedRequest("android-user");
    await pressAndKillAt(requestId, "graphCreated");
    expect(await statusOf(requestId)).toBe("issuing");
    expect(tapPostsIn(practice.emulator.requestLog, targetId)).toHaveLength(1);
    const [orphan] = await freshInstance().graph.listTemporaryAccessPasses(targetId);
    expect(orphan?.id).toEqual(expect.any(String));

    const sent: Array<{ to: string; card: TapCard }> = [];
    const results = await reconcileTapRequests(freshInstance(sent));
    expect(results.find((request) => request.id === requestId)).toMatchObject({ status: "approved" });
    expect(await freshInstance().graph.listTemporaryAccessPasses(targetId)).toEqual([]);
    expect(tapPostsIn(practice.emulator.requestLog, targetId)).toHaveLength(1);
    expect(sent.find((s) => s.to === personaId("agent-1"))?.card.data).toMatchObject({
      requestId,
      message: { key: "tap.statusReofferedMessage" },
      offerIssue: true,
    });
    const entries = await AuditLedger.fromConnectionString(practice.azurite.connectionString).readAll();
    const reconciled = entries.find((entry) => entry.requestId === requestId && entry.action === "tap.reconciled");
    expect(reconciled?.details).toMatchObject({ foundCreated: 1, deletedMethodIds: orphan?.id });
    expect(entries.some((e) => e.requestId === requestId && e.action === "tap.orphanDeleted")).toBe(true);

    // A second pass finds nothing left to do; the agent's next press creates the one live pass.
    expect((await reconcileTapRequests(freshInstance())).some((request) => request.id === requestId)).toBe(false);
    expect((await revealTap(freshInstance(), actorFor("agent-1"), requestId, "personal")).name).toBe("tap-revealed");
    expect(await freshInstance().graph.listTemporaryAccessPasses(targetId)).toHaveLength(1);
  });

  it("killed between the approved state and the issuing write: nothing to reconcile; two presses on two fresh instances issue exactly one TAP", async () => {
    const targetId = personaId("all-good");
    const requestId = await confirmedRequest("all-good");
    await pressAndKillAt(requestId, "beforeIssuingWrite");
    expect(await statusOf(requestId)).toBe("approved");

    await Promise.all([reconcileTapRequests(freshInstance()), reconcileTapRequests(freshInstance())]);
    expect(await statusOf(requestId)).toBe("approved");
    expect(tapPostsIn(practice.emulator.requestLog, targetId)).toHaveLength(0);

    const presses = await Promise.all([
      revealTap(freshInstance(), actorFor("agent-1"), requestId, "personal"),
      revealTap(freshInstance(), actorFor("agent-1"), requestId, "personal"),
    ]);
    expect(presses.filter((card) => card.name === "tap-revealed")).toHaveLength(1);
    expect(await statusOf(requestId)).toBe("issued");
    expect(tapPostsIn(practice.emulator.requestLog, targetId)).toHaveLength(1);
    expect(await freshInstance().graph.listTemporaryAccessPasses(targetId)).toHaveLength(1);
  });
});
