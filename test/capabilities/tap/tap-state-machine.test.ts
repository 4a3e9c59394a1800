import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { InvalidTransitionError } from "../../../src/capabilities/tap/tap-errors.js";
import { TapSecret } from "../../../src/capabilities/tap/tap-secret.js";
import { tapStateMachine } from "../../../src/capabilities/tap/tap-state-machine.js";
import { aTapRequest } from "./tap-request-fixture.js";

const now = "2026-11-22T10:10:00.000Z";
const later = "2026-11-22T10:40:00.000Z";

describe("tapStateMachine", () => {
  it("walks requested → confirmed → approved → issuing → issued", () => {
    const request = aTapRequest();
    const confirmed = tapStateMachine(request, { type: "confirm" }, now);
    const approved = tapStateMachine(confirmed, { type: "approve", by: request.requester, issueBy: later }, now);
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
    // Issue on reveal: the approval restarts the clock for the agent's press, and the value is shown in that turn.
    expect(approved.expiresAt).toBe(later);
    expect(issued.revealedAt).toBe(now);
  });

  it("holds the first approval of a bot-role target until a second one, and offers an interrupted issuance again", () => {
    const request = aTapRequest({ status: "confirmed", confirmation: "confirmed", requiresSecondApproval: true });
    const manager = { id: "manager-id", userPrincipalName: "manager@x", displayName: "Manager" };
    const admin = { id: "admin-id", userPrincipalName: "admin@x", displayName: "Admin" };
    const first = tapStateMachine(request, { type: "approve", by: manager, issueBy: later }, now);
    expect(first).toMatchObject({ status: "confirmed", firstApproval: { by: manager, at: now } });
    const second = tapStateMachine(first, { type: "approve", by: admin, issueBy: later }, now);
    expect(second).toMatchObject({ status: "approved", decidedBy: admin, firstApproval: { by: manager } });
    const issuing = tapStateMachine(second, { type: "beginIssuing" }, now);
    expect(tapStateMachine(issuing, { type: "reoffer" }, now)).toMatchObject({ status: "approved", issuingAt: null });
    expect(() => tapStateMachine(second, { type: "reoffer" }, now)).toThrow(InvalidTransitionError);
  });

  it("lets the requesting agent cancel until the pass is issued, never after", () => {
    const by = aTapRequest().requester;
    for (const status of ["requested", "confirmed", "approved"] as const) {
      expect(tapStateMachine(aTapRequest({ status }), { type: "cancel", by }, now).status).toBe("cancelled");
    }
    for (const status of ["issuing", "issued", "denied", "expired", "failed", "cancelled"] as const) {
      expect(() => tapStateMachine(aTapRequest({ status }), { type: "cancel", by }, now)).toThrow(
        InvalidTransitionError,
      );
    }
  });

  it("refuses approval of an unconfirmed request unless the agent said the user cannot reach Teams", () => {
    expect(() =>
      tapStateMachine(aTapRequest(), { type: "approve", by: aTapRequest().requester, issueBy: later }, now),
    ).toThrow(InvalidTransitionError);
    const unreachable = aTapRequest({ confirmation: "unreachable" });
    expect(
      tapStateMachine(unreachable, { type: "approve", by: unreachable.requester, issueBy: later }, now).status,
    ).toBe("approved");
  });

  it("never leaves a final status", () => {
    const denied = tapStateMachine(aTapRequest(), { type: "deny", by: aTapRequest().requester, reason: "no" }, now);
    for (const type of ["confirm", "approve", "expire", "beginIssuing"] as const) {
      expect(() => tapStateMachine(denied, { type, by: denied.requester } as never, now)).toThrow(
        InvalidTransitionError,
      );
    }
    const issued = aTapRequest({ status: "issued" });
    expect(() => tapStateMachine(issued, { type: "beginIssuing" }, now)).toThrow(InvalidTransitionError);
  });
});

describe("TapSecret", () => {
  it("never prints the value it holds", () => {
    const secret = new TapSecret("Abc-Secret-123");
    expect(JSON.stringify({ secret })).not.toContain("Abc-Secret-123");
    expect(inspect(secret)).not.toContain("Abc-Secret-123");
    expect(`${secret}`).toBe("[redacted]");
    expect(secret.reveal()).toBe("Abc-Secret-123");
  });
});
