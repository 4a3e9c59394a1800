import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { TableServiceClient } from "@azure/data-tables";
import { BlobServiceClient } from "@azure/storage-blob";
import pino from "pino";
import { beforeEach, describe, expect, it } from "vitest";
import {
  approveTapRequest,
  confirmTapRequest,
  declineTapRequest,
  denyTapRequest,
} from "../../../src/capabilities/tap/decide-tap-request.js";
import { reconcileTapRequests } from "../../../src/capabilities/tap/reconcile-tap-requests.js";
import { openTapRequestForm, requestTap } from "../../../src/capabilities/tap/request-tap.js";
import { revealTap } from "../../../src/capabilities/tap/reveal-tap.js";
import type { TapDependencies } from "../../../src/capabilities/tap/tap-dependencies.js";
import { TapRuleError } from "../../../src/capabilities/tap/tap-errors.js";
import type { TapCard } from "../../../src/capabilities/tap/tap-ports.js";
import type { Actor } from "../../../src/capabilities/tap/tap-request.js";
import { tapStateMachine } from "../../../src/capabilities/tap/tap-state-machine.js";
import { watchIssuedTaps } from "../../../src/capabilities/tap/watch-issued-taps.js";
import { generateSyntheticTenant, SYNTHETIC_GROUP_IDS } from "../../../src/emulator/synthetic-tenant.js";
import type { TenantFile } from "../../../src/emulator/tenant-file.js";
import { createGraphGateway } from "../../../src/graph/create-graph-gateway.js";
import { createRoleResolver } from "../../../src/roles/role-resolver.js";
import { AuditLedger } from "../../../src/storage/audit-ledger.js";
import { TapRequestRepository } from "../../../src/storage/tap-request-repository.js";
import { usePracticeServices } from "../../support/practice-services.js";

const BOT_APP = { clientId: "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f", clientSecret: "contoso-practice-bot-secret" };
const LIMITED_APP = {
  clientId: "6a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
  clientSecret: "contoso-practice-limited-secret",
};

const who = {} as Record<
  | "agent"
  | "otherAgent"
  | "manager"
  | "otherManager"
  | "admin"
  | "endUser"
  | "privileged"
  | "noManager"
  | "managedByAgent"
  | "nestedApprover",
  string
>;
let targets: string[] = [];
const logLines: string[] = [];
const sent: Array<{ to: string; card: TapCard }> = [];

/** Personas chosen from a synthetic tenant and wired into the groups the TAP flow checks. */
function buildTenant(): TenantFile {
  const t = generateSyntheticTenant({ users: 40, seed: 7 });
  const privileged = t.roleAssignments?.[0]?.principalId ?? "";
  const plain = t.users.filter((u) => u.id !== privileged && u.userType !== "Guest").map((u) => u.id);
  const [agent, otherAgent, manager, otherManager, admin, endUser, ...rest] = plain as string[];
  const [noManager, managedByAgent, nestedApprover] = rest.slice(12, 15) as string[];
  Object.assign(who, { agent, otherAgent, manager, otherManager, admin, endUser, privileged });
  Object.assign(who, { noManager, managedByAgent, nestedApprover });
  targets = rest.slice(0, 12);
  for (const user of t.users) {
    if (targets.includes(user.id) || user.id === privileged) user.managerId = manager;
    if (user.id === endUser) user.managerId = otherManager;
    if (user.id === noManager) delete user.managerId;
    // Nobody reports to the manager-less target: an approver below the target would (rightly) be refused.
    else if (user.managerId === noManager) user.managerId = manager;
    if (user.id === managedByAgent) user.managerId = agent;
    user.accountEnabled = true;
  }
  // The approvers group holds the requesting agent (who must never approve their own request) and a nested group.
  const nestedGroupId = "0a11e3b0-0000-4000-8000-0000000000aa";
  t.groups.push({
    id: nestedGroupId,
    displayName: "TAP Approvers (night shift)",
    memberIds: [nestedApprover as string],
  });
  const members: Record<string, string[]> = {
    [SYNTHETIC_GROUP_IDS.helpdeskAgents]: [agent as string, otherAgent as string],
    [SYNTHETIC_GROUP_IDS.helpdeskAdmins]: [admin as string],
    [SYNTHETIC_GROUP_IDS.tapApprovers]: [otherManager as string, agent as string, nestedGroupId],
    [SYNTHETIC_GROUP_IDS.tapEligible]: t.users.map((u) => u.id),
  };
  for (const group of t.groups) if (members[group.id]) group.memberIds = members[group.id] as string[];
  return t;
}

function makeDeps(options: { app?: typeof BOT_APP; store?: TapRequestRepository; ledgerTable?: string } = {}) {
  const gateway = createGraphGateway({
    mode: "emulator",
    baseUrl: running.emulator.baseUrl,
    tenantId: running.emulator.tenantId,
    ...(options.app ?? BOT_APP),
    schedulerOptions: { reportsPerWindow: 1000 },
  });
  const logger = pino(
    { level: "trace" },
    new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  );
  const deps: TapDependencies = {
    graph: gateway,
    store: options.store ?? TapRequestRepository.fromConnectionString(running.azurite.connectionString, "TapRequests"),
    audit: AuditLedger.fromConnectionString(running.azurite.connectionString, options.ledgerTable ?? "AuditLedger"),
    roles: createRoleResolver({
      directory: gateway,
      groups: {
        agentsGroupId: SYNTHETIC_GROUP_IDS.helpdeskAgents,
        adminsGroupId: SYNTHETIC_GROUP_IDS.helpdeskAdmins,
        tapApproversGroupId: SYNTHETIC_GROUP_IDS.tapApprovers,
      },
    }),
    messenger: {
      async sendToUser(user, card) {
        // What a bot would log about a proactive send: everything but the rendered card text.
        logger.info({ event: "tap.cardSent", recipient: user.id, card }, "card sent");
        sent.push({ to: user.id, card });
      },
    },
    settings: {
      tenantId: running.emulator.tenantId,
      agentsGroupId: SYNTHETIC_GROUP_IDS.helpdeskAgents,
      adminsGroupId: SYNTHETIC_GROUP_IDS.helpdeskAdmins,
      approversGroupId: SYNTHETIC_GROUP_IDS.tapApprovers,
      requestExpiryMinutes: 30,
    },
    clock: () => new Date(),
    newId: randomUUID,
  };
  return { deps, logger };
}

const as = (id: string, tenantId = running.emulator.tenantId): Actor => ({ id, tenantId, name: null });
const tapPosts = () =>
  running.emulator.requestLog.filter(
    (r) => r.method === "POST" && /temporaryAccessPassMethods$/.test(r.path) && r.status === 201,
  );
const form = (targetUserId: string, extra: Record<string, unknown> = {}) => ({
  targetUserId,
  reason: "Lost phone, no MFA method left",
  identityVerification: "videoCallPhotoId",
  lifetimeInMinutes: "60",
  isUsableOnce: "true",
  ...extra,
});
const nextTarget = () => {
  const id = targets.shift();
  if (!id) throw new Error("out of test targets");
  return id;
};

async function requestedAndConfirmed(deps: TapDependencies, target: string): Promise<string> {
  const card = await requestTap(deps, as(who.agent), form(target));
  const requestId = String(card.data.requestId);
  await confirmTapRequest(deps, as(target), requestId);
  return requestId;
}

const running = usePracticeServices({ emulator: { tenant: buildTenant() } });
beforeEach(() => {
  sent.length = 0;
});

describe("TAP flow against the Graph emulator and Azurite", () => {
  it("requests, confirms, approves, issues on the agent's press and shows once, notifies, revokes on a passkey — and stores or logs no TAP value", async () => {
    const { deps } = makeDeps();
    const target = nextTarget();
    const formCard = await openTapRequestForm(deps, as(who.agent), target);
    expect(formCard.data).toMatchObject({ policyMinimum: 60, policyMaximum: 480 });

    const requestId = await requestedAndConfirmed(deps, target);
    expect(sent.map((s) => [s.to, s.card.name])).toEqual([
      [target, "tap-confirm"],
      [who.manager, "tap-approval"],
    ]);
    const before = tapPosts().length;
    const approved = await approveTapRequest(deps, as(who.manager), requestId);
    expect(approved.data.title).toEqual({ key: "tap.statusApprovedTitle" });
    // Approval creates nothing: the agent is offered "Issue and show".
    expect(tapPosts().length).toBe(before);
    expect((await deps.store.get(requestId))?.value.status).toBe("approved");
    const offer = sent.find((s) => s.card.name === "tap-issued");
    expect(offer?.to).toBe(who.agent);
    expect(sent.some((s) => s.card.name === "tap-notice")).toBe(false);

    const revealed = await revealTap(deps, as(who.agent), requestId, "personal");
    const value = String(revealed.data.temporaryAccessPass);
    expect(revealed.name).toBe("tap-revealed");
    expect(value.length).toBeGreaterThanOrEqual(8);
    expect(tapPosts().length).toBe(before + 1);
    expect(sent.find((s) => s.card.name === "tap-notice")?.to).toBe(target);
    expect((await deps.store.get(requestId))?.value).toMatchObject({
      status: "issued",
      revealedAt: expect.any(String),
    });
    const again = await revealTap(deps, as(who.agent), requestId, "personal");
    expect(again.name).toBe("tap-status");
    expect(again.data.message).toEqual({ key: "tap.statusRevealedAlready" });
    expect(JSON.stringify(again)).not.toContain(value);
    expect(tapPosts().length).toBe(before + 1);

    await fetch(`${running.emulator.baseUrl}/_emulator/passkey-registrations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        user: target,
        aaGuid: "90a3ccdf-635c-4729-a248-9b709135078f",
        displayName: "iPhone",
        attestationLevel: "notAttested",
      }),
    });
    const changed = await watchIssuedTaps(deps);
    expect(changed.find((r) => r.id === requestId)?.aftermath).toMatchObject({
      state: "revoked",
      resultingPasskey: { aaGuid: "90a3ccdf-635c-4729-a248-9b709135078f", displayName: "iPhone" },
    });
    expect(await deps.graph.listTemporaryAccessPasses(target)).toEqual([]);

    const ledger = AuditLedger.fromConnectionString(running.azurite.connectionString, "AuditLedger");
    const actions = (await ledger.readAll()).filter((e) => e.requestId === requestId).map((e) => e.action);
    expect(actions).toEqual([
      "tap.requested",
      "tap.confirmed",
      "tap.approved",
      "tap.issuing",
      "tap.issued",
      "tap.revealed",
      "tap.passkeyRegistered",
      "tap.revoked",
    ]);
    expect((await ledger.verify()).isIntact).toBe(true);

    // No TAP value in any log line, any Table entity or any blob.
    expect(logLines.join("\n")).not.toContain(value);
    expect(JSON.stringify(sent)).not.toContain(value);
    const tables = TableServiceClient.fromConnectionString(running.azurite.connectionString, {
      allowInsecureConnection: true,
    });
    for await (const table of tables.listTables()) {
      const client = (await import("@azure/data-tables")).TableClient.fromConnectionString(
        running.azurite.connectionString,
        table.name ?? "",
        { allowInsecureConnection: true },
      );
      for await (const entity of client.listEntities()) expect(JSON.stringify(entity)).not.toContain(value);
    }
    const blobs = BlobServiceClient.fromConnectionString(running.azurite.connectionString);
    for await (const container of blobs.listContainers()) {
      const containerClient = blobs.getContainerClient(container.name);
      for await (const blob of containerClient.listBlobsFlat()) {
        const body = await containerClient.getBlobClient(blob.name).downloadToBuffer();
        expect(body.toString("utf8")).not.toContain(value);
      }
    }
  });

  it("lets only the rightful person do each action, and audits every refusal (authorization matrix)", async () => {
    const { deps } = makeDeps();
    const target = nextTarget();
    const ledger = AuditLedger.fromConnectionString(running.azurite.connectionString, "AuditLedger");
    const refusalsBefore = (await ledger.readAll()).filter((e) => e.action === "tap.refused").length;
    const refused = async (run: Promise<unknown>, rule: string) => {
      const error = await run.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, rule).toBeInstanceOf(TapRuleError);
      expect((error as TapRuleError).rule).toBe(rule);
    };

    // request: only agents, never for themselves, never privileged targets, never from another tenant.
    for (const id of [who.endUser, who.manager, who.otherManager, who.admin, target]) {
      await refused(requestTap(deps, as(id), form(target)), "requesterNotAgent");
    }
    await refused(requestTap(deps, as(who.agent), form(who.agent)), "selfRequest");
    await refused(requestTap(deps, as(who.agent), form(who.privileged)), "privilegedTarget");
    await refused(requestTap(deps, as(who.agent, randomUUID()), form(target)), "wrongTenant");
    await refused(
      requestTap(deps, as(who.agent), form(target, { identityVerification: "trust me" })),
      "identityVerificationRequired",
    );

    const card = await requestTap(deps, as(who.agent), form(target));
    const requestId = String(card.data.requestId);
    // A second request for the same person shows the pending one instead of an error; only its requester may cancel it.
    const second = await requestTap(deps, as(who.otherAgent), form(target));
    expect(second.data).toMatchObject({ requestId, title: { key: "tap.statusPendingTitle" }, offerCancel: false });
    const own = await openTapRequestForm(deps, as(who.agent), target);
    expect(own.data).toMatchObject({ requestId, offerCancel: true });

    // confirm: only the target.
    for (const id of [who.agent, who.manager, who.admin, who.endUser]) {
      await refused(confirmTapRequest(deps, as(id), requestId), "notTarget");
    }
    // approve before confirmation: refused even for the manager.
    await refused(approveTapRequest(deps, as(who.manager), requestId), "invalidTransition");
    await confirmTapRequest(deps, as(target), requestId);

    // approve / deny: only the target's manager; never requester, target, another manager, an approvers member, an admin.
    await refused(approveTapRequest(deps, as(who.agent), requestId), "notApprover");
    await refused(approveTapRequest(deps, as(target), requestId), "notApprover");
    for (const id of [who.otherManager, who.admin, who.otherAgent, who.endUser]) {
      await refused(approveTapRequest(deps, as(id), requestId), "notApprover");
      await refused(denyTapRequest(deps, as(id), requestId, "no"), "notApprover");
    }
    await refused(approveTapRequest(deps, as(who.manager, randomUUID()), requestId), "wrongTenant");
    // forged ids: another request id, a malformed one.
    await refused(approveTapRequest(deps, as(who.manager), randomUUID()), "requestNotFound");
    await refused(approveTapRequest(deps, as(who.manager), "'; drop table"), "requestNotFound");
    // another verb on the same data: a reveal before issuance.
    await refused(revealTap(deps, as(who.agent), requestId, "personal"), "invalidTransition");

    await approveTapRequest(deps, as(who.manager), requestId);
    // replayed old card.
    await refused(approveTapRequest(deps, as(who.manager), requestId), "invalidTransition");
    await refused(denyTapRequest(deps, as(who.manager), requestId, "too late"), "invalidTransition");
    await refused(declineTapRequest(deps, as(target), requestId), "invalidTransition");

    // reveal: only the requester, only in personal chat.
    for (const id of [who.manager, target, who.otherAgent, who.admin]) {
      await refused(revealTap(deps, as(id), requestId, "personal"), "notRequester");
    }
    await refused(revealTap(deps, as(who.agent), requestId, "channel"), "notPersonalChat");
    await refused(revealTap(deps, as(who.agent), requestId, "groupChat"), "notPersonalChat");
    expect((await revealTap(deps, as(who.agent), requestId, "personal")).name).toBe("tap-revealed");

    const refusals = (await ledger.readAll()).filter((e) => e.action === "tap.refused");
    expect(refusals.length - refusalsBefore).toBeGreaterThanOrEqual(30);
    expect(refusals.at(-1)?.details).toMatchObject({ attempted: "tap.reveal", rule: "notPersonalChat" });
  });

  it("fails the request for good when its requester has left the help-desk agents group before pressing Issue and show", async () => {
    const { deps } = makeDeps();
    const target = nextTarget();
    const requestId = await requestedAndConfirmed(deps, target);
    await approveTapRequest(deps, as(who.manager), requestId);
    const before = tapPosts().length;
    const roles = deps.roles;
    deps.roles = {
      ...roles,
      resolveCallerRoles: async (id) => ({ ...(await roles.resolveCallerRoles(id)), isAgent: false }),
    };
    const card = await revealTap(deps, as(who.agent), requestId, "personal");
    expect(card.data.message).toEqual({ key: "tap.failureRequesterNotAgent" });
    expect((await deps.store.get(requestId))?.value).toMatchObject({
      status: "failed",
      failure: { key: "requesterNotAgent", retryable: false },
    });
    // A former agent is refused outright afterwards; nothing was ever created.
    await expect(revealTap(deps, as(who.agent), requestId, "personal")).rejects.toMatchObject({
      rule: "requesterNotAgent",
    });
    deps.roles = roles;
    expect(tapPosts().length).toBe(before);
  });

  it("sends the approval card to every TAP Approvers member (nested too) but requester and target when the target has no manager", async () => {
    const { deps } = makeDeps();
    const card = await requestTap(deps, as(who.agent), form(who.noManager));
    const requestId = String(card.data.requestId);
    await confirmTapRequest(deps, as(who.noManager), requestId);
    const approvals = sent.filter((s) => s.card.name === "tap-approval").map((s) => s.to);
    expect(approvals.sort()).toEqual([who.otherManager, who.nestedApprover].sort());
    expect(sent.some((s) => s.to === who.agent && s.card.name === "tap-approval")).toBe(false);

    // The requester is a group member yet never an approver; any current member is.
    await expect(approveTapRequest(deps, as(who.agent), requestId)).rejects.toMatchObject({ rule: "notApprover" });
    await expect(approveTapRequest(deps, as(who.manager), requestId)).rejects.toMatchObject({ rule: "notApprover" });
    const approved = await approveTapRequest(deps, as(who.nestedApprover), requestId);
    expect(approved.name).toBe("tap-status");
    expect((await deps.store.get(requestId))?.value).toMatchObject({
      status: "approved",
      decidedBy: { id: who.nestedApprover },
    });
    const ledger = AuditLedger.fromConnectionString(running.azurite.connectionString, "AuditLedger");
    const entries = (await ledger.readAll()).filter((e) => e.requestId === requestId);
    expect(entries.find((e) => e.action === "tap.requested")?.details.approver).toBe(
      `group:${SYNTHETIC_GROUP_IDS.tapApprovers}`,
    );
    expect(entries.some((e) => e.action === "tap.deliveryFailed")).toBe(false);
  });

  it("goes to the TAP Approvers group when the target's manager is the requesting agent", async () => {
    const { deps } = makeDeps();
    const card = await requestTap(
      deps,
      as(who.agent),
      form(who.managedByAgent, {
        isTargetUnreachable: "true",
        identityVerificationNote: "Called back on the HR number",
      }),
    );
    const requestId = String(card.data.requestId);
    expect(
      sent
        .filter((s) => s.card.name === "tap-approval")
        .map((s) => s.to)
        .sort(),
    ).toEqual([who.otherManager, who.nestedApprover].sort());
    await expect(approveTapRequest(deps, as(who.agent), requestId)).rejects.toMatchObject({ rule: "notApprover" });
    await denyTapRequest(deps, as(who.otherManager), requestId, "Call the user back first");
    expect((await deps.store.get(requestId))?.value.status).toBe("denied");
  });

  it("audits a group delivery nobody can receive instead of dropping it", async () => {
    const { deps } = makeDeps();
    deps.messenger = {
      async sendToUser() {
        throw new Error("connector down");
      },
    };
    const target = nextTarget();
    // A fresh target whose manager is removed at request time: the request goes to the group, and every send fails.
    const graph = deps.graph;
    deps.graph = new Proxy(graph, {
      get: (_t, property: keyof typeof graph) =>
        property === "getManager" ? async () => null : graph[property].bind(graph),
    });
    const card = await requestTap(
      deps,
      as(who.agent),
      form(target, { isTargetUnreachable: "true", identityVerificationNote: "Called back on the HR number" }),
    );
    expect(card.data.message).toEqual({ key: "tap.statusDeliveryFailed" });
    const ledger = AuditLedger.fromConnectionString(running.azurite.connectionString, "AuditLedger");
    const failures = (await ledger.readAll()).filter(
      (e) => e.requestId === card.data.requestId && e.action === "tap.deliveryFailed",
    );
    expect(failures.map((e) => e.details.recipient).sort()).toEqual([who.otherManager, who.nestedApprover].sort());
  });

  it("issues exactly one TAP when the agent presses Issue and show on two instances at the same moment", async () => {
    const first = makeDeps();
    const second = makeDeps({
      store: TapRequestRepository.fromConnectionString(running.azurite.connectionString, "TapRequests"),
    });
    const target = nextTarget();
    const requestId = await requestedAndConfirmed(first.deps, target);
    await approveTapRequest(first.deps, as(who.manager), requestId);
    const before = tapPosts().length;
    const presses = await Promise.all([
      revealTap(first.deps, as(who.agent), requestId, "personal"),
      revealTap(second.deps, as(who.agent), requestId, "personal"),
      revealTap(first.deps, as(who.agent), requestId, "personal"),
    ]);
    expect(tapPosts().length).toBe(before + 1);
    expect(presses.filter((card) => card.name === "tap-revealed")).toHaveLength(1);
    // The others say the pass is being issued or was already shown; none carries a value.
    for (const card of presses.filter((c) => c.name !== "tap-revealed")) {
      expect(card.data.temporaryAccessPass).toBeUndefined();
      expect([{ key: "tap.statusRevealedAlready" }, { key: "tap.statusIssuingMessage" }]).toContainEqual(
        card.data.message,
      );
    }
    const stored = await first.deps.store.get(requestId);
    expect(stored?.value.status).toBe("issued");
    const ledger = AuditLedger.fromConnectionString(running.azurite.connectionString, "AuditLedger");
    const actions = (await ledger.readAll()).filter((e) => e.requestId === requestId).map((e) => e.action);
    expect(actions.filter((a) => a === "tap.issued")).toHaveLength(1);
    expect(actions.filter((a) => a === "tap.revealed")).toHaveLength(1);
    expect(actions).not.toContain("tap.valueLost");
  });

  it("refuses to approve a request past its expiry even before the sweeper has run, and expires it instead", async () => {
    const { deps } = makeDeps();
    const target = nextTarget();
    const requestId = await requestedAndConfirmed(deps, target);
    const before = tapPosts().length;
    deps.clock = () => new Date(Date.now() + 31 * 60_000);
    const result = await approveTapRequest(deps, as(who.manager), requestId);
    expect(result.data.message).toEqual({ key: "tap.statusExpiredMessage" });
    expect(tapPosts().length).toBe(before);
    expect((await deps.store.get(requestId))?.value.status).toBe("expired");
    expect(sent.some((s) => s.to === who.agent && s.card.data.requestId === requestId)).toBe(true);
  });

  it("refuses (and audits) a click on an overdue request by someone with no say in it, instead of expiring it for them", async () => {
    const { deps } = makeDeps();
    const target = nextTarget();
    const requestId = await requestedAndConfirmed(deps, target);
    sent.length = 0;
    deps.clock = () => new Date(Date.now() + 31 * 60_000);
    // The clicks run side by side; each outcome is captured as it settles, so no refusal goes unhandled meanwhile.
    const outcome = (run: Promise<unknown>) =>
      run.then(
        () => null,
        (e: unknown) => e,
      );
    const attempts: Array<[string, Promise<unknown>, string]> = [
      ["approve by an end user", outcome(approveTapRequest(deps, as(who.endUser), requestId)), "notApprover"],
      ["deny by another manager", outcome(denyTapRequest(deps, as(who.otherManager), requestId, "no")), "notApprover"],
      ["confirm by the agent", outcome(confirmTapRequest(deps, as(who.agent), requestId)), "notTarget"],
      ["decline by an admin", outcome(declineTapRequest(deps, as(who.admin), requestId)), "notTarget"],
    ];
    for (const [attempt, settled, rule] of attempts) {
      const error = await settled;
      expect(error, attempt).toBeInstanceOf(TapRuleError);
      expect((error as TapRuleError).rule, attempt).toBe(rule);
    }
    expect((await deps.store.get(requestId))?.value.status).toBe("confirmed");
    expect(sent).toEqual([]);
    const ledger = AuditLedger.fromConnectionString(running.azurite.connectionString, "AuditLedger");
    const entries = (await ledger.readAll()).filter((e) => e.requestId === requestId);
    expect(entries.filter((e) => e.action === "tap.refused")).toHaveLength(4);
    expect(entries.some((e) => e.action === "tap.expired")).toBe(false);
  });

  it("fails clearly and retryably when the app lacks the TAP permission, and lets a new request in", async () => {
    const limited = makeDeps({ app: LIMITED_APP });
    const full = makeDeps();
    const target = nextTarget();
    // The limited app cannot even read group membership; requests come from the full app, approval issues with the limited one.
    const requestId = await requestedAndConfirmed(full.deps, target);
    const limitedGraph = limited.deps.graph;
    const fullGraph = full.deps.graph;
    // Only the POST is the limited app's: the re-check at issuance reads the directory with the full one.
    limited.deps.roles = full.deps.roles;
    limited.deps.graph = new Proxy(fullGraph, {
      get: (_target, property: keyof typeof fullGraph) =>
        property === "createTemporaryAccessPass"
          ? limitedGraph.createTemporaryAccessPass.bind(limitedGraph)
          : fullGraph[property].bind(fullGraph),
    });
    await approveTapRequest(full.deps, as(who.manager), requestId);
    const result = await revealTap(limited.deps, as(who.agent), requestId, "personal");
    expect(result.data.message).toEqual({ key: "tap.failureAccessDenied", params: { permission: expect.any(String) } });
    const stored = await full.deps.store.get(requestId);
    expect(stored?.value).toMatchObject({ status: "failed", failure: { key: "accessDenied", retryable: true } });
    expect(result.data.offerRetry).toBe(true);
    await expect(requestTap(full.deps, as(who.agent), form(target))).resolves.toMatchObject({ name: "tap-status" });
  });

  it("reconciles an issuance interrupted after Graph created the TAP: deletes it and offers the request again, never issues twice", async () => {
    const { deps } = makeDeps();
    const target = nextTarget();
    const requestId = await requestedAndConfirmed(deps, target);
    // A crash between the issuing write and the issued write: state is `issuing` and Graph holds a TAP.
    const stored = await deps.store.get(requestId);
    if (!stored) throw new Error("request must exist");
    const now = new Date().toISOString();
    const approved = await deps.store.update(
      tapStateMachine(stored.value, { type: "approve", by: stored.value.requester, issueBy: now }, now),
      stored.etag,
    );
    await deps.store.update(tapStateMachine(approved.value, { type: "beginIssuing" }, now), approved.etag);
    await deps.graph.createTemporaryAccessPass(target, { lifetimeInMinutes: 60, isUsableOnce: true });
    const posts = tapPosts().length;

    const [reconciled] = await reconcileTapRequests(deps, 0);
    expect(reconciled).toMatchObject({ id: requestId, status: "approved", issuingAt: null });
    expect(await deps.graph.listTemporaryAccessPasses(target)).toEqual([]);
    expect(tapPosts().length).toBe(posts);
    expect(sent.find((s) => s.to === who.agent && s.card.data.requestId === requestId)?.card.data.offerIssue).toBe(
      true,
    );
  });
});
