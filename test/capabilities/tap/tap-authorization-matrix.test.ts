import { beforeAll, describe, expect, it } from "vitest";
import {
  approveTapRequest,
  confirmTapRequest,
  declineTapRequest,
  denyTapRequest,
} from "../../../src/capabilities/tap/decide-tap-request.js";
import { listPendingApprovals } from "../../../src/capabilities/tap/list-pending-approvals.js";
import { openTapRequestForm, requestTap } from "../../../src/capabilities/tap/request-tap.js";
import { cancelTapRequest, revealTap } from "../../../src/capabilities/tap/reveal-tap.js";
import type { TapDependencies } from "../../../src/capabilities/tap/tap-dependencies.js";
import { TapRuleError } from "../../../src/capabilities/tap/tap-errors.js";
import type { Actor } from "../../../src/capabilities/tap/tap-request.js";
import { PRACTICE_TENANT_ID } from "../../support/bot-http.js";
import { usePracticeServices } from "../../support/practice-services.js";
import { readPracticeTenant } from "../../support/practice-tenant.js";
import { practiceTapDependencies, tapForm, tapPostsIn } from "./practice-tap-deps.js";

/**
 * Every role × action × relationship on the practice tenant (docs/personas.md): who may request, confirm, approve
 * (first and second), deny, issue-and-show and cancel, for a target who is the actor themself, their report, their
 * manager, unrelated, or holding a role in the bot. Expected answers are the rules of docs/tap.md, not the code.
 *
 * Reporting lines: manager-top ← manager ← agent-1, agent-2, the end users; manager-top ← admin, samir.haddad.
 * TAP Approvers: manager-top, samir.haddad. Helpdesk Admins: admin. Agents: agent-1, agent-2.
 */
const tenant = readPracticeTenant();
const idOf = (name: string): string => {
  const user = tenant.users.find((candidate) => candidate.userPrincipalName.split("@")[0] === name);
  if (!user) throw new Error(`The practice tenant must have ${name}`);
  return user.id;
};
const as = (name: string): Actor => ({ id: idOf(name), tenantId: PRACTICE_TENANT_ID, name });

const practice = usePracticeServices();
let deps: TapDependencies;

beforeAll(async () => {
  deps = practiceTapDependencies({ emulator: practice.emulator, connectionString: practice.azurite.connectionString });
});

async function ruleOf(run: Promise<unknown>): Promise<string> {
  return run.then(
    () => "allowed",
    (error: unknown) => {
      if (error instanceof TapRuleError) return error.rule;
      throw error;
    },
  );
}

async function submitted(requester: string, target: string, extra: Record<string, unknown> = {}): Promise<string> {
  const card = await requestTap(deps, as(requester), {
    ...tapForm("no-mfa-method", extra),
    targetUserId: idOf(target),
  });
  expect(card.name, `${requester} → ${target}`).toBe("tap-status");
  return String(card.data.requestId);
}

async function cancel(requestId: string, requester: string) {
  await cancelTapRequest(deps, as(requester), requestId);
}

describe("TAP authorization matrix (practice tenant, real emulator and Azurite)", () => {
  it.each([
    // [actor, target, relationship, expected]
    ["agent-1", "agent-1", "self", "selfRequest"],
    ["agent-1", "manager", "manager (target is the agent's manager)", "allowed"],
    ["agent-1", "no-mfa-method", "unrelated end user", "allowed"],
    ["agent-1", "agent-2", "bot role (agent)", "allowed"],
    ["agent-1", "admin", "bot role (Helpdesk Admin)", "allowed"],
    ["agent-1", "privileged-admin", "active Global Administrator", "privilegedTarget"],
    ["agent-1", "nina.hofer", "PIM-eligible Global Administrator", "privilegedTarget"],
    ["agent-1", "oskar.brandt", "Global Administrator through a role-assignable group", "privilegedTarget"],
    ["agent-1", "petra.ulrich", "eligible through PIM for Groups", "privilegedTarget"],
    ["manager", "no-mfa-method", "report (manager, not an agent)", "requesterNotAgent"],
    ["admin", "no-mfa-method", "unrelated (admin, not an agent)", "requesterNotAgent"],
    ["no-mfa-method", "stale-mfa", "unrelated end user", "requesterNotAgent"],
    ["manager-top", "manager", "report (approver, not an agent)", "requesterNotAgent"],
  ])("request: %s for %s (%s) → %s", async (actor, target, _relationship, expected) => {
    const rule = await ruleOf(
      requestTap(deps, as(actor), { ...tapForm("no-mfa-method"), targetUserId: idOf(target) }).then(async (card) => {
        if (card.data.requestId) await cancel(String(card.data.requestId), actor);
      }),
    );
    expect(rule).toBe(expected);
    // The form itself is refused by the same rules.
    expect(await ruleOf(openTapRequestForm(deps, as(actor), idOf(target)))).toBe(expected);
  });

  it("confirm / approve / deny / issue-and-show / cancel for an end user: only the rightful person, whatever the relationship", async () => {
    const requestId = await submitted("agent-1", "no-mfa-method");
    for (const actor of ["agent-1", "agent-2", "manager", "manager-top", "admin", "stale-mfa"]) {
      expect(await ruleOf(confirmTapRequest(deps, as(actor), requestId)), actor).toBe("notTarget");
      expect(await ruleOf(declineTapRequest(deps, as(actor), requestId)), actor).toBe("notTarget");
    }
    await confirmTapRequest(deps, as("no-mfa-method"), requestId);
    const approvers: Array<[string, string]> = [
      ["agent-1", "notApprover"], // the requester
      ["no-mfa-method", "notApprover"], // self: the target
      ["manager-top", "notApprover"], // the manager's manager, not the target's manager
      ["agent-2", "notApprover"], // a peer (the target's colleague)
      ["admin", "notApprover"], // a Helpdesk Admin, but no first approval is due from an admin
      ["samir.haddad", "notApprover"], // a TAP Approver, but the target has a manager
    ];
    for (const [actor, expected] of approvers) {
      expect(await ruleOf(approveTapRequest(deps, as(actor), requestId)), actor).toBe(expected);
      expect(await ruleOf(denyTapRequest(deps, as(actor), requestId, "no")), actor).toBe(expected);
    }
    for (const actor of ["agent-2", "manager", "no-mfa-method", "admin"]) {
      expect(await ruleOf(revealTap(deps, as(actor), requestId, "personal")), actor).toBe("notRequester");
      expect(await ruleOf(cancelTapRequest(deps, as(actor), requestId)), actor).toBe("notRequester");
    }
    // The manager (the target reports to him) approves; only then can the requester issue, in personal chat only.
    expect(await ruleOf(revealTap(deps, as("agent-1"), requestId, "personal"))).toBe("invalidTransition");
    expect(await ruleOf(approveTapRequest(deps, as("manager"), requestId))).toBe("allowed");
    expect(await ruleOf(revealTap(deps, as("agent-1"), requestId, "groupChat"))).toBe("notPersonalChat");
    expect((await revealTap(deps, as("agent-1"), requestId, "personal")).name).toBe("tap-revealed");
    expect(await ruleOf(cancelTapRequest(deps, as("agent-1"), requestId))).toBe("invalidTransition");
  });

  it("two-person rule for a bot-role target: the manager's approval, then a Helpdesk Admin who is neither requester, target nor first approver", async () => {
    const posts = tapPostsIn(practice.emulator.requestLog, idOf("agent-2")).length;
    // Skipping agent-2's own confirmation is never allowed for someone who holds a role in the bot.
    expect(
      await ruleOf(
        requestTap(deps, as("agent-1"), {
          ...tapForm("no-mfa-method", { isTargetUnreachable: "true", identityVerificationNote: "Called back" }),
          targetUserId: idOf("agent-2"),
        }),
      ),
    ).toBe("unreachableNotAllowed");
    const requestId = await submitted("agent-1", "agent-2");
    await confirmTapRequest(deps, as("agent-2"), requestId);
    const first = await approveTapRequest(deps, as("manager"), requestId);
    expect(first.data.title).toEqual({ key: "tap.statusFirstApprovedTitle" });
    expect((await deps.store.get(requestId))?.value.status).toBe("confirmed");
    expect(await ruleOf(revealTap(deps, as("agent-1"), requestId, "personal"))).toBe("invalidTransition");
    // The second approval card waits for the admin, not for the first approver.
    expect((await listPendingApprovals(deps, as("admin"))).map((card) => card.data.requestId)).toContain(requestId);
    expect((await listPendingApprovals(deps, as("manager"))).map((card) => card.data.requestId)).not.toContain(
      requestId,
    );
    for (const [actor, expected] of [
      ["manager", "secondApproverNotAdmin"], // the first approver again
      ["manager-top", "secondApproverNotAdmin"], // an approver but no admin
      ["agent-1", "notApprover"], // the requester
      ["agent-2", "notApprover"], // the target
    ] as const) {
      expect(await ruleOf(approveTapRequest(deps, as(actor), requestId)), actor).toBe(expected);
    }
    expect(await ruleOf(approveTapRequest(deps, as("admin"), requestId))).toBe("allowed");
    expect((await deps.store.get(requestId))?.value).toMatchObject({
      status: "approved",
      decidedBy: { id: idOf("admin") },
      firstApproval: { by: { id: idOf("manager") } },
    });
    expect(tapPostsIn(practice.emulator.requestLog, idOf("agent-2"))).toHaveLength(posts);
    expect((await revealTap(deps, as("agent-1"), requestId, "personal")).name).toBe("tap-revealed");
    expect(tapPostsIn(practice.emulator.requestLog, idOf("agent-2"))).toHaveLength(posts + 1);
  });

  it("no one approves for a person above them: a TAP Approver who reports to the (manager-less) target is refused", async () => {
    // manager-top has no manager, so the TAP Approvers group decides; samir.haddad is in it and reports to her.
    const requestId = await submitted("agent-1", "manager-top");
    await confirmTapRequest(deps, as("manager-top"), requestId);
    expect(await ruleOf(approveTapRequest(deps, as("samir.haddad"), requestId))).toBe("approverReportsToTarget");
    expect(await ruleOf(denyTapRequest(deps, as("samir.haddad"), requestId, "no"))).toBe("approverReportsToTarget");
    expect(await ruleOf(approveTapRequest(deps, as("manager-top"), requestId))).toBe("notApprover");
    expect((await deps.store.get(requestId))?.value.status).toBe("confirmed");
    await cancel(requestId, "agent-1");
  });

  it("skips the target's confirmation only with a stated verification, shown to the approver", async () => {
    expect(
      await ruleOf(
        requestTap(deps, as("agent-1"), {
          ...tapForm("no-mfa-method", { isTargetUnreachable: "true" }),
          targetUserId: idOf("stale-mfa"),
        }),
      ),
    ).toBe("unreachableNotAllowed");
    const requestId = await submitted("agent-1", "stale-mfa", {
      isTargetUnreachable: "true",
      identityVerificationNote: "Called back on the number HR holds",
    });
    const [card] = (await listPendingApprovals(deps, as("manager"))).filter((c) => c.data.requestId === requestId);
    expect(card?.data).toMatchObject({
      isConfirmed: false,
      unreachableVerification: {
        key: "tap.approvalUnreachableVerifiedBy",
        params: { note: "Called back on the number HR holds" },
      },
    });
    await cancel(requestId, "agent-1");
  });
});
