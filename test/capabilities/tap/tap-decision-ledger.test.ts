import { describe, expect, it } from "vitest";
import {
  approveTapRequest,
  confirmTapRequest,
  declineTapRequest,
  denyTapRequest,
} from "../../../src/capabilities/tap/decide-tap-request.js";
import { reconcileTapRequests } from "../../../src/capabilities/tap/reconcile-tap-requests.js";
import { requestTap } from "../../../src/capabilities/tap/request-tap.js";
import type { DecisionStep, TapDependencies } from "../../../src/capabilities/tap/tap-dependencies.js";
import type { TapRequestStatus } from "../../../src/capabilities/tap/tap-request.js";
import { AuditLedger } from "../../../src/storage/audit-ledger.js";
import { verifyAuditLedger } from "../../../src/storage/audit-ledger-verify.js";
import { usePracticeServices } from "../../support/practice-services.js";
import { actorFor, practiceTapDependencies, tapForm } from "./practice-tap-deps.js";

/**
 * A decision (confirm, decline, approve, deny) is written to the request before its ledger entry is appended. An
 * instance that dies in between must not lose the entry: the write carries a note of the entry owed, and the next
 * reconciliation (any instance, after the grace period) appends it exactly once. Dying after the append but before
 * the note is removed must not append it twice. The in-process "death" is a step hook that throws; the SIGKILL of a
 * real process at the same point is in test/faults/tap-under-faults.test.ts.
 */
const practice = usePracticeServices();

class InstanceDiedError extends Error {}

function instance(options: { diesAt?: DecisionStep; minutesLater?: number } = {}): TapDependencies {
  const offset = (options.minutesLater ?? 0) * 60_000;
  const deps = practiceTapDependencies({
    emulator: practice.emulator,
    connectionString: practice.azurite.connectionString,
    clock: () => new Date(Date.now() + offset),
  });
  return {
    ...deps,
    atDecisionStep: async (step) => {
      if (step === options.diesAt) throw new InstanceDiedError(`died at ${step}`);
    },
  };
}

type Decision = {
  name: string;
  /** One target per crash point: a request still pending blocks another for the same person. */
  targets: Record<DecisionStep, string>;
  /** Runs before the decision: nothing, or the target's confirmation. */
  before: (deps: TapDependencies, requestId: string, target: string) => Promise<unknown>;
  decide: (deps: TapDependencies, requestId: string, target: string) => Promise<unknown>;
  action: string;
  status: TapRequestStatus;
};

const decisions: Decision[] = [
  {
    name: "the target confirms",
    targets: { decisionWritten: "all-good", auditAppended: "android-user" },
    before: async () => undefined,
    decide: (deps, id, target) => confirmTapRequest(deps, actorFor(target), id),
    action: "tap.confirmed",
    status: "confirmed",
  },
  {
    name: "the target declines",
    targets: { decisionWritten: "ios-user", auditAppended: "whfb-conflict" },
    before: async () => undefined,
    decide: (deps, id, target) => declineTapRequest(deps, actorFor(target), id),
    action: "tap.declined",
    status: "denied",
  },
  {
    name: "the manager approves",
    targets: { decisionWritten: "yubikey-allowed", auditAppended: "attestation-mismatch" },
    before: (deps, id, target) => confirmTapRequest(deps, actorFor(target), id),
    decide: (deps, id) => approveTapRequest(deps, actorFor("manager"), id),
    action: "tap.approved",
    status: "approved",
  },
  {
    name: "the manager denies",
    targets: { decisionWritten: "windows-hello-blocked", auditAppended: "blocked-key" },
    before: (deps, id, target) => confirmTapRequest(deps, actorFor(target), id),
    decide: (deps, id) => denyTapRequest(deps, actorFor("manager"), id, "Not without a call first"),
    action: "tap.denied",
    status: "denied",
  },
];

async function ledgerActions(requestId: string): Promise<Array<{ action: string; recovered: boolean }>> {
  const ledger = AuditLedger.fromConnectionString(practice.azurite.connectionString);
  return (await ledger.entriesFor(requestId)).map((entry) => ({
    action: entry.action,
    recovered: typeof entry.details.recoveredAt === "string",
  }));
}

async function expectLedgerIntact(): Promise<void> {
  const ledger = AuditLedger.fromConnectionString(practice.azurite.connectionString);
  const verification = verifyAuditLedger(await ledger.readAll(), await ledger.head());
  expect(verification.problems).toEqual([]);
}

describe.each(["decisionWritten", "auditAppended"] as const)("an instance dies at %s", (diesAt) => {
  it.each(decisions)("$name: the ledger ends with the entry exactly once", async (decision) => {
    const healthy = instance();
    const target = decision.targets[diesAt];
    const card = await requestTap(healthy, actorFor("agent-1"), tapForm(target));
    const requestId = String(card.data.requestId);
    expect(requestId, JSON.stringify(card.data)).toMatch(/./);
    await decision.before(healthy, requestId, target);

    await expect(decision.decide(instance({ diesAt }), requestId, target)).rejects.toBeInstanceOf(InstanceDiedError);
    const written = (await healthy.store.get(requestId))?.value;
    expect(written?.status).toBe(decision.status);
    expect(written?.pendingAudits?.map((pending) => pending.event.action)).toEqual([decision.action]);
    const heldAtDeath = (await ledgerActions(requestId)).filter((entry) => entry.action === decision.action);
    expect(heldAtDeath).toHaveLength(diesAt === "auditAppended" ? 1 : 0);

    // Within the grace period the deciding instance might still be appending: the reconciler leaves it alone.
    await reconcileTapRequests(instance());
    expect((await healthy.store.get(requestId))?.value.pendingAudits).toHaveLength(1);

    // Later, any instance settles it, once, however often it runs.
    const survivor = instance({ minutesLater: 3 });
    await reconcileTapRequests(survivor);
    await reconcileTapRequests(survivor);
    const settled = (await healthy.store.get(requestId))?.value;
    expect(settled?.status).toBe(decision.status);
    expect(settled?.pendingAudits ?? []).toEqual([]);
    const entries = (await ledgerActions(requestId)).filter((entry) => entry.action === decision.action);
    expect(entries).toEqual([{ action: decision.action, recovered: diesAt === "decisionWritten" }]);
    await expectLedgerIntact();
  });
});

describe("a decision with nobody dying", () => {
  it("appends its entry once and leaves no note behind", async () => {
    const deps = instance();
    const card = await requestTap(deps, actorFor("agent-1"), tapForm("stale-mfa"));
    const requestId = String(card.data.requestId);
    await confirmTapRequest(deps, actorFor("stale-mfa"), requestId);
    expect((await deps.store.get(requestId))?.value.pendingAudits ?? []).toEqual([]);
    expect(await deps.store.listAwaitingAudit()).toSatisfy((awaiting: Array<{ value: { id: string } }>) =>
      awaiting.every((stored) => stored.value.id !== requestId),
    );
    expect((await ledgerActions(requestId)).map((entry) => entry.action)).toEqual(["tap.requested", "tap.confirmed"]);
  });
});
