import { describe, expect, it } from "vitest";
import {
  approveTapRequest,
  confirmTapRequest,
  denyTapRequest,
} from "../../../src/capabilities/tap/decide-tap-request.js";
import { requestTap } from "../../../src/capabilities/tap/request-tap.js";
import { TapRuleError } from "../../../src/capabilities/tap/tap-errors.js";
import { AuditLedger } from "../../../src/storage/audit-ledger.js";
import { usePracticeServices } from "../../support/practice-services.js";
import { actorFor, practiceTapDependencies, tapForm } from "./practice-tap-deps.js";

const practice = usePracticeServices();

describe("the audit ledger under a flood of refusals", () => {
  it("keeps every one of 300 concurrent refusals on two bot instances, in one unbroken chain, and the real approval too", async () => {
    const instances = [0, 1].map(() =>
      practiceTapDependencies({ emulator: practice.emulator, connectionString: practice.azurite.connectionString }),
    );
    const [first, second] = instances as [(typeof instances)[0], (typeof instances)[0]];
    const submitted = await requestTap(first, actorFor("agent-1"), tapForm("no-mfa-method"));
    const requestId = String(submitted.data.requestId);
    await confirmTapRequest(first, actorFor("no-mfa-method"), requestId);

    // An end user with no say floods approve/deny on both instances while the manager approves.
    const flood = Array.from({ length: 300 }, (_, i) => {
      const deps = i % 2 === 0 ? first : second;
      const run =
        i % 3 === 0
          ? denyTapRequest(deps, actorFor("ios-user"), requestId, `flood ${i}`)
          : approveTapRequest(deps, actorFor("ios-user"), requestId);
      return run.then(
        () => null,
        (error: unknown) => error,
      );
    });
    const approval = approveTapRequest(second, actorFor("manager"), requestId);
    const [refusals, approved] = await Promise.all([Promise.all(flood), approval]);

    expect(refusals.every((error) => error instanceof TapRuleError && error.rule === "notApprover")).toBe(true);
    expect(approved.data.title).toEqual({ key: "tap.statusApprovedTitle" });
    const ledger = AuditLedger.fromConnectionString(practice.azurite.connectionString);
    const entries = (await ledger.readAll()).filter((entry) => entry.requestId === requestId);
    expect(entries.filter((entry) => entry.action === "tap.refused")).toHaveLength(300);
    expect(entries.filter((entry) => entry.action === "tap.approved")).toHaveLength(1);
    const all = await ledger.readAll();
    expect(all.map((entry) => entry.seq)).toEqual(all.map((_, index) => index + 1));
    const verification = await ledger.verify();
    expect(verification.isIntact).toBe(true);
  });
});
