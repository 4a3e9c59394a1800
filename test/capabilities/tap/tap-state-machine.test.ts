import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { InvalidTransitionError } from "../../../src/capabilities/tap/tap-errors.js";
import { tapStateMachine } from "../../../src/capabilities/tap/tap-state-machine.js";
import { TapSecret, TapValueVault } from "../../../src/capabilities/tap/tap-value-vault.js";
import { aTapRequest } from "./tap-request-fixture.js";

const now = "2026-11-22T10:10:00.000Z";

describe("tapStateMachine", () => {
  it("walks requested → confirmed → approved → issuing → issued", () => {
    const request = aTapRequest();
    const confirmed = tapStateMachine(request, { type: "confirm" }, now);
    const approved = tapStateMachine(confirmed, { type: "approve", by: request.requester }, now);
    const issuing = tapStateMachine(approved, { type: "beginIssuing" }, now);
    const issued = tapStateMachine(
      issuing,
      { type: "markIssued", methodId: "m1", startDateTime: now, isValueLost: false },
      now,
    );
    expect([confirmed, approved, issuing, issued].map((r) => r.status)).toEqual([
      "confirmed",
      "approved",
      "issuing",
      "issued",
    ]);
    expect(issuing.issuingAt).toBe(now);
    expect(issued.aftermath).toEqual({ state: "watching" });
  });

  it("refuses approval of an unconfirmed request unless the agent said the user cannot reach Teams", () => {
    expect(() => tapStateMachine(aTapRequest(), { type: "approve", by: aTapRequest().requester }, now)).toThrow(
      InvalidTransitionError,
    );
    const unreachable = aTapRequest({ confirmation: "unreachable" });
    expect(tapStateMachine(unreachable, { type: "approve", by: unreachable.requester }, now).status).toBe("approved");
  });

  it("never leaves a final status and never reveals twice", () => {
    const denied = tapStateMachine(aTapRequest(), { type: "deny", by: aTapRequest().requester, reason: "no" }, now);
    for (const type of ["confirm", "approve", "expire", "beginIssuing"] as const) {
      expect(() => tapStateMachine(denied, { type, by: denied.requester } as never, now)).toThrow(
        InvalidTransitionError,
      );
    }
    const issued = aTapRequest({ status: "issued" });
    const revealed = tapStateMachine(issued, { type: "reveal" }, now);
    expect(() => tapStateMachine(revealed, { type: "reveal" }, now)).toThrow(InvalidTransitionError);
  });
});

describe("TapValueVault", () => {
  it("gives a value out once and never prints it", () => {
    const vault = new TapValueVault(() => 0);
    const secret = new TapSecret("Abc-Secret-123");
    vault.put("r1", secret, new Date(1000));
    expect(JSON.stringify({ secret })).not.toContain("Abc-Secret-123");
    expect(inspect(secret)).not.toContain("Abc-Secret-123");
    expect(`${secret}`).toBe("[redacted]");
    expect(vault.take("r1")?.reveal()).toBe("Abc-Secret-123");
    expect(vault.take("r1")).toBeNull();
  });

  it("forgets a value once the TAP's lifetime has passed", () => {
    let clock = 0;
    const vault = new TapValueVault(() => clock);
    vault.put("r1", new TapSecret("x"), new Date(1000));
    clock = 1000;
    expect(vault.take("r1")).toBeNull();
  });
});
