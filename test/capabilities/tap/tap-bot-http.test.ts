import { Writable } from "node:stream";
import { TableClient, TableServiceClient } from "@azure/data-tables";
import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createLogger } from "../../../src/bot/create-logger.js";
import { DEFAULT_RATE_LIMITS, TurnRateLimiter } from "../../../src/bot/turn-rate-limiter.js";
import { tapRegistrationOf } from "../../../src/capabilities/tap/tap-registration.js";
import { type RunningApp, startApp } from "../../../src/index.js";
import { translate } from "../../../src/locales/translate.js";
import { AuditLedger } from "../../../src/storage/audit-ledger.js";
import { botConfigOver } from "../../support/bot-config.js";
import { type FakeConnector, startFakeConnector } from "../../support/bot-connector.js";
import {
  type Caller,
  cardOf,
  cardTexts,
  expectReplies,
  PRACTICE_TENANT_ID,
  practicePersona,
  teamsActivity,
} from "../../support/bot-http.js";
import { usePracticeServices } from "../../support/practice-services.js";
import { tapPostsIn } from "./practice-tap-deps.js";

const practice = usePracticeServices();
let connector: FakeConnector;
let app: RunningApp;
const agent = practicePersona("agent-1");
const otherAgent = practicePersona("agent-2");
const target = practicePersona("all-good");
const manager = practicePersona("manager");
const admin = practicePersona("admin");
const noManager = practicePersona("no-manager");
const managerTop = practicePersona("manager-top");
/** The other TAP Approvers member of the practice tenant (not a persona). */
const nightApprover = { aadObjectId: "b8d2319e-55cd-40ab-9bfc-639d70ef3bad", displayName: "Samir Haddad" };
const OTHER_TENANT = "99999999-9999-4999-8999-999999999999";
const en = (key: string, params?: Record<string, string | number>) => translate("en", key, params);
/** Every line the bot logs, at its most talkative level: none may hold a TAP value. */
const logLines: string[] = [];

/** An activity from `caller` in their personal chat, whose replies and proactive messages go to the stand-in connector. */
const from = (caller: Caller, fields: Record<string, unknown>, tenantId?: string) =>
  teamsActivity(caller, { serviceUrl: connector.url, ...fields }, tenantId);

async function invoke(
  caller: Caller,
  verb: string,
  data: unknown,
  tenantId?: string,
  fields: Record<string, unknown> = {},
) {
  const response = await fetch(`${app.url}/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(
      from(
        caller,
        {
          type: "invoke",
          name: "adaptiveCard/action",
          value: { action: { type: "Action.Execute", verb, data }, trigger: "manual" },
          ...fields,
        },
        tenantId,
      ),
    ),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as { value?: unknown } | null };
}

/** The proactive cards that reached `caller`'s personal chat. */
const cardsTo = (caller: Caller) =>
  connector.calls
    .filter((entry) => entry.conversationId === `a:personal-${caller.aadObjectId}`)
    .map((entry) => cardOf(entry.body))
    .filter((card) => card !== undefined);

/** The Action.Execute data of the card's action with `verb`. */
function actionData(card: unknown, verb: string): Record<string, unknown> {
  const found: Array<Record<string, unknown>> = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const record = node as Record<string, unknown>;
      if (record.type === "Action.Execute" && record.verb === verb) found.push(record.data as Record<string, unknown>);
      Object.values(record).forEach(walk);
    }
  };
  walk(card);
  if (!found[0]) throw new Error(`The card must offer ${verb}`);
  return found[0];
}

/** The Monospace TextRun texts of a card: where the revealed TAP value is shown (literally, no markdown). */
function monospaceTexts(card: unknown): string[] {
  const texts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const record = node as Record<string, unknown>;
      if (record.type === "TextRun" && record.fontType === "Monospace") texts.push(String(record.text));
      Object.values(record).forEach(walk);
    }
  };
  walk(card);
  return texts;
}

/** The request form as the agent sends it for `target` (the manager approves): every precondition passes. */
const TARGET_SUBMISSION = {
  targetUserId: target.aadObjectId,
  reason: "New phone, lost every sign-in method",
  identityVerification: "videoCallPhotoId",
  lifetimeInMinutes: "60",
  isUsableOnce: "true",
};

/**
 * Each test builds the request it needs with the helpers below, so it runs alone (`-t`) as well as after the others.
 * A person has one open request at a time: whatever an earlier test left open for them, their requesting agent cancels it
 * first (through `tap status`, as an agent would).
 */
async function cancelOpenRequests(person: Caller & { userPrincipalName: string }): Promise<void> {
  const status = await expectReplies(
    app.url,
    from(agent, { type: "message", text: `tap status ${person.userPrincipalName}` }),
  );
  for (const reply of status) {
    const card = cardOf(reply);
    if (!card || !JSON.stringify(card).includes('"tap.cancel"')) continue;
    const cancelled = await invoke(agent, "tap.cancel", actionData(card, "tap.cancel"));
    if (cancelled.status !== 200) throw new Error(`Cancelling an open request answered ${cancelled.status}`);
  }
}

/** A fresh request for `target`, submitted by the agent and confirmed by the target: it waits for the manager. */
async function confirmedRequest(): Promise<string> {
  await cancelOpenRequests(target);
  const submitted = await invoke(agent, "tap.submit", TARGET_SUBMISSION);
  if (!cardTexts(submitted.body?.value).includes(en("tap.statusSubmittedToTarget"))) {
    throw new Error(`Submitting a request must reach the target; the agent saw ${JSON.stringify(submitted.body)}`);
  }
  const requestId = String(actionData(cardsTo(target).at(-1), "tap.confirm").requestId);
  const confirmed = await invoke(target, "tap.confirm", { requestId });
  if (!cardTexts(confirmed.body?.value).includes(en("tap.statusConfirmedMessage"))) {
    throw new Error(`The target's confirmation must be accepted; she saw ${JSON.stringify(confirmed.body)}`);
  }
  return requestId;
}

/** A fresh request the manager has approved: it waits for the agent's Issue and show. */
async function approvedRequest(): Promise<string> {
  const requestId = await confirmedRequest();
  const approved = await invoke(manager, "tap.approve", { requestId });
  if (!cardTexts(approved.body?.value).includes(en("tap.statusApprovedToAgent"))) {
    throw new Error(`The manager's approval must be accepted; he saw ${JSON.stringify(approved.body)}`);
  }
  return requestId;
}

/** A fresh request whose pass the agent has issued and seen once, with the value that was shown. */
async function revealedRequest(): Promise<{ requestId: string; revealedValue: string }> {
  const requestId = await approvedRequest();
  const revealed = await invoke(agent, "tap.reveal", { requestId });
  const [revealedValue] = monospaceTexts(revealed.body?.value);
  if (!revealedValue)
    throw new Error(`Issue and show must show the pass; the agent saw ${JSON.stringify(revealed.body)}`);
  return { requestId, revealedValue };
}

beforeAll(async () => {
  connector = await startFakeConnector();
  app = await startApp(
    botConfigOver(practice, {
      // The bot's Graph budget ×100 like the emulator's: every request recomputes a triage summary (reports bucket), and
      // throttling is not what these tests are about.
      GRAPH_EMULATOR_THROTTLE_SCALE: "100",
    }),
    {
      logger: createLogger(
        "trace",
        new Writable({
          write(chunk, _encoding, done) {
            logLines.push(String(chunk));
            done();
          },
        }),
      ),
      // Each test builds its own request, so agent-1 presses TAP buttons far faster than a person could.
      rateLimiter: new TurnRateLimiter({ ...DEFAULT_RATE_LIMITS, tapAction: { burst: 1000, refillMs: 2_000 } }),
    },
  );
  // The revealed card is replaced by the hidden one after this long (60 s in production).
  const registration = tapRegistrationOf(app.bot.app);
  if (!registration) throw new Error("TAP must be registered");
  registration.revealAutoHideMs = 100;
  // Everyone has opened the bot once, so Teams gave it a personal conversation to send proactive cards into.
  for (const person of [agent, otherAgent, target, manager, admin, noManager, managerTop, nightApprover]) {
    await expectReplies(app.url, from(person, { type: "installationUpdate", action: "add" }));
  }
});
afterAll(async () => {
  await app?.close();
  await connector?.close();
});

describe("TAP through the real bot over HTTP (Action.Execute as each persona)", () => {
  it("answers `tap <UPN>` from an agent with the request form for that user", async () => {
    await cancelOpenRequests(target);
    const replies = await expectReplies(
      app.url,
      from(agent, { type: "message", text: `tap ${target.userPrincipalName}` }),
    );
    const form = cardOf(replies[0]);
    expect(JSON.stringify(form)).toContain(target.displayName);
    expect(actionData(form, "tap.submit")).toMatchObject({ targetUserId: target.aadObjectId });

    const usage = await expectReplies(app.url, from(agent, { type: "message", text: "tap" }));
    expect(usage.map((reply) => reply.text)).toEqual([en("tap.tapUsage")]);
    for (const text of ["tap nobody@contosopractice.onmicrosoft.com", "tap not-a-upn"]) {
      const unknown = await expectReplies(app.url, from(agent, { type: "message", text }));
      expect(cardTexts(cardOf(unknown[0]))).toContain(en("tap.errorTargetNotFound"));
    }
  });

  it("refuses `tap <UPN>` from someone who is not a help-desk agent", async () => {
    const replies = await expectReplies(
      app.url,
      from(target, { type: "message", text: `tap ${manager.userPrincipalName}` }),
    );
    expect(cardTexts(cardOf(replies[0]))).toContain(en("tap.errorRequesterNotAgent"));
  });

  it("Request TAP → form → submit → the target confirms → the manager gets the approval card", async () => {
    await cancelOpenRequests(target);
    const form = await invoke(agent, "tap.requestForm", { targetUserId: target.aadObjectId });
    expect(JSON.stringify(form.body?.value)).toContain(target.displayName);
    expect(actionData(form.body?.value, "tap.submit")).toMatchObject({ targetUserId: target.aadObjectId });
    const submitted = await invoke(agent, "tap.submit", TARGET_SUBMISSION);
    expect(submitted.status).toBe(200);
    expect(cardTexts(submitted.body?.value)).toContain(en("tap.statusSubmittedToTarget"));

    const confirmCard = cardsTo(target).at(-1);
    const requestId = String(actionData(confirmCard, "tap.confirm").requestId);
    expect(actionData(confirmCard, "tap.confirm")).toEqual({ requestId });

    const confirmed = await invoke(target, "tap.confirm", { requestId });
    expect(cardTexts(confirmed.body?.value)).toContain(en("tap.statusConfirmedMessage"));
    const approval = cardsTo(manager).at(-1);
    expect(actionData(approval, "tap.approve")).toEqual({ requestId });
    expect(JSON.stringify(approval)).toContain("New phone, lost every sign-in method");
  });

  it("shows the pending request on `tap status <UPN>` (Cancel for its requester only) and to the manager on `approvals`", async () => {
    const requestId = await confirmedRequest();
    const status = await expectReplies(
      app.url,
      from(agent, { type: "message", text: `tap status ${target.userPrincipalName}` }),
    );
    expect(cardTexts(cardOf(status[0]))).toContain(en("tap.statusPendingTitle"));
    expect(actionData(cardOf(status[0]), "tap.cancel")).toEqual({ requestId });
    const none = await expectReplies(
      app.url,
      from(agent, { type: "message", text: `tap status ${manager.userPrincipalName}` }),
    );
    expect(none.map((reply) => reply.text)).toEqual([en("tap.statusNone", { upn: manager.userPrincipalName })]);

    const approvals = await expectReplies(app.url, from(manager, { type: "message", text: "approvals" }));
    expect(approvals.map((reply) => actionData(cardOf(reply), "tap.approve"))).toContainEqual({ requestId });
    const nothing = await expectReplies(app.url, from(admin, { type: "message", text: "approvals" }));
    expect(nothing.map((reply) => reply.text)).toEqual([en("tap.approvalsNone")]);
    const help = await expectReplies(app.url, from(manager, { type: "message", text: "help" }));
    expect(cardTexts(cardOf(help[0])).join("\n")).toContain(en("tap.pendingApprovalsNote", { count: 1 }));
  });

  it("refuses forged approvals: a claimed approver in the data, the requester, the target, another tenant", async () => {
    const requestId = await confirmedRequest();
    const posts = tapPostsIn(practice.emulator.requestLog).length;
    const forgedData = {
      requestId,
      approverId: manager.aadObjectId,
      decidedBy: { id: manager.aadObjectId },
      from: { aadObjectId: manager.aadObjectId },
    };
    for (const caller of [otherAgent, agent, target, admin]) {
      const refused = await invoke(caller, "tap.approve", forgedData);
      expect(refused.status).toBe(200);
      expect(cardTexts(refused.body?.value)).toContain(en("tap.errorNotApprover"));
    }
    const elsewhere = await invoke(manager, "tap.approve", { requestId }, OTHER_TENANT);
    expect(JSON.stringify(elsewhere.body ?? {})).not.toContain(en("tap.statusApprovedIssued"));
    expect(tapPostsIn(practice.emulator.requestLog).length).toBe(posts);

    const ledger = await AuditLedger.fromConnectionString(practice.azurite.connectionString).readAll();
    const refusals = ledger.filter((entry) => entry.requestId === requestId && entry.action === "tap.refused");
    expect(refusals.map((entry) => entry.actorId).sort()).toEqual(
      [otherAgent, agent, target, admin].map((p) => p.aadObjectId).sort(),
    );
  });

  it("the manager approves: nothing is created yet, the agent gets Issue and show", async () => {
    const requestId = await confirmedRequest();
    const posts = tapPostsIn(practice.emulator.requestLog, target.aadObjectId).length;
    const approved = await invoke(manager, "tap.approve", { requestId });
    expect(cardTexts(approved.body?.value)).toContain(en("tap.statusApprovedToAgent"));
    expect(tapPostsIn(practice.emulator.requestLog, target.aadObjectId)).toHaveLength(posts);
    expect(actionData(cardsTo(agent).at(-1), "tap.reveal")).toEqual({ requestId });
    expect(cardTexts(cardsTo(agent).at(-1))).toContain(en("tap.issueAndShow"));
  });

  it("Issue and show creates the pass in the requester's personal-chat turn and shows it once; the next render and Hide no longer hold it", async () => {
    const requestId = await approvedRequest();
    const byManager = await invoke(manager, "tap.reveal", { requestId });
    expect(cardTexts(byManager.body?.value)).toContain(en("tap.errorNotRequester"));

    // Teams sends the clicked card's activity id as replyToId: the issued card in the agent's personal chat.
    const issuedCard = connector.calls.find(
      (call) =>
        call.conversationId === `a:personal-${agent.aadObjectId}` &&
        JSON.stringify(cardOf(call.body) ?? {}).includes('"tap.reveal"') &&
        JSON.stringify(call.body).includes(requestId),
    );
    const issuedActivityId = String(issuedCard?.responseId);
    const posts = tapPostsIn(practice.emulator.requestLog, target.aadObjectId).length;
    const revealed = await invoke(agent, "tap.reveal", { requestId }, undefined, { replyToId: issuedActivityId });
    expect(tapPostsIn(practice.emulator.requestLog, target.aadObjectId)).toHaveLength(posts + 1);
    expect(cardsTo(target).length).toBeGreaterThanOrEqual(2);
    const shown = monospaceTexts(revealed.body?.value);
    expect(shown).toHaveLength(1);
    const revealedValue = shown[0] as string;
    expect(revealedValue).toMatch(/^\S{8,}$/);
    const body = JSON.stringify(revealed.body);
    expect(body.split(revealedValue)).toHaveLength(2);

    const again = await invoke(agent, "tap.reveal", { requestId });
    expect(JSON.stringify(again.body)).not.toContain(revealedValue);
    expect(cardTexts(again.body?.value)).toContain(en("tap.statusRevealedAlready"));
    const hidden = await invoke(agent, "tap.hide", { requestId });
    expect(JSON.stringify(hidden.body)).not.toContain(revealedValue);

    // Hide pressed or not, the bot itself replaces the revealed card in the agent's personal chat.
    const update = await vi.waitFor(
      () => {
        const found = connector.calls.find((call) => call.method === "PUT" && call.activityId === issuedActivityId);
        if (!found) throw new Error("the revealed card must be replaced by the bot");
        return found;
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(update.conversationId).toBe(`a:personal-${agent.aadObjectId}`);
    expect(JSON.stringify(update.body)).not.toContain(revealedValue);
    expect(cardTexts(cardOf(update.body))).toContain(en("tap.statusRevealedHidden"));

    // Never in a proactive message, the ledger or Graph's later reads.
    expect(JSON.stringify(connector.calls)).not.toContain(revealedValue);
    const ledger = await AuditLedger.fromConnectionString(practice.azurite.connectionString).readAll();
    expect(JSON.stringify(ledger)).not.toContain(revealedValue);
    expect(ledger.filter((e) => e.requestId === requestId && e.action === "tap.revealed")).toHaveLength(1);

    // Nor in any line the bot logged (at trace level) or anything it stored: every Table entity, every blob.
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join("\n")).not.toContain(revealedValue);
    const tables = TableServiceClient.fromConnectionString(practice.azurite.connectionString, {
      allowInsecureConnection: true,
    });
    let entities = 0;
    for await (const table of tables.listTables()) {
      const client = TableClient.fromConnectionString(practice.azurite.connectionString, table.name ?? "", {
        allowInsecureConnection: true,
      });
      for await (const entity of client.listEntities()) {
        entities += 1;
        expect(JSON.stringify(entity)).not.toContain(revealedValue);
      }
    }
    expect(entities).toBeGreaterThan(0);
    const blobs = BlobServiceClient.fromConnectionString(practice.azurite.connectionString);
    for await (const container of blobs.listContainers()) {
      const containerClient = blobs.getContainerClient(container.name);
      for await (const blob of containerClient.listBlobsFlat()) {
        const body = await containerClient.getBlobClient(blob.name).downloadToBuffer();
        expect(body.toString("utf8")).not.toContain(revealedValue);
      }
    }
  });

  it("refuses Hide to anyone but the requester and audits the refusal like every other action", async () => {
    const { requestId } = await revealedRequest();
    const refused = await invoke(manager, "tap.hide", { requestId });
    expect(cardTexts(refused.body?.value)).toContain(en("tap.errorNotRequester"));
    const ledger = await AuditLedger.fromConnectionString(practice.azurite.connectionString).readAll();
    expect(
      ledger.filter(
        (entry) =>
          entry.requestId === requestId && entry.action === "tap.refused" && entry.details.attempted === "tap.hide",
      ),
    ).toEqual([
      expect.objectContaining({
        actorId: manager.aadObjectId,
        details: expect.objectContaining({ rule: "notRequester" }),
      }),
    ]);
  });

  it("sends the approval card for a target with no manager to every TAP Approvers member; one of them approves", async () => {
    await cancelOpenRequests(noManager);
    const submitted = await invoke(agent, "tap.submit", {
      targetUserId: noManager.aadObjectId,
      reason: "Locked out after a phone reset",
      identityVerification: "callBackNumberOnFile",
      lifetimeInMinutes: "60",
      isUsableOnce: "true",
      isTargetUnreachable: "true",
      identityVerificationNote: "Called back on the number HR holds",
    });
    expect(cardTexts(submitted.body?.value)).toContain(en("tap.statusSubmittedToApprover"));
    const groupRequestId = String(actionData(cardsTo(managerTop).at(-1), "tap.approve").requestId);
    expect(actionData(cardsTo(nightApprover).at(-1), "tap.approve")).toEqual({ requestId: groupRequestId });
    expect(cardsTo(manager).some((card) => JSON.stringify(card).includes(groupRequestId))).toBe(false);

    const byManager = await invoke(manager, "tap.approve", { requestId: groupRequestId });
    expect(cardTexts(byManager.body?.value)).toContain(en("tap.errorNotApprover"));
    const approved = await invoke(nightApprover, "tap.approve", { requestId: groupRequestId });
    expect(cardTexts(approved.body?.value)).toContain(en("tap.statusApprovedToAgent"));
    expect(tapPostsIn(practice.emulator.requestLog, noManager.aadObjectId)).toHaveLength(0);
    const revealed = await invoke(agent, "tap.reveal", { requestId: groupRequestId });
    expect(monospaceTexts(revealed.body?.value)).toHaveLength(1);
    expect(tapPostsIn(practice.emulator.requestLog, noManager.aadObjectId)).toHaveLength(1);
  });

  it("answers `audit <UPN>` from an admin with the user's ledger, and refuses it to an agent", async () => {
    const { revealedValue } = await revealedRequest();
    const replies = await expectReplies(
      app.url,
      from(admin, { type: "message", text: `audit ${target.userPrincipalName}` }),
    );
    // A readable card: people by name, times in the admin's zone, details as lines (no raw JSON).
    const texts = cardTexts(cardOf(replies[0]));
    const text = JSON.stringify(cardOf(replies[0]));
    expect(texts).toContain(en("tap.auditTitle", { upn: target.userPrincipalName }));
    for (const action of ["tap.requested", "tap.confirmed", "tap.approved", "tap.issued", "tap.revealed"]) {
      expect(texts.some((line) => line.endsWith(`· ${action}`))).toBe(true);
    }
    expect(text).toContain(agent.displayName ?? "");
    expect(text).not.toContain('{\\"');
    expect(text).not.toContain(revealedValue);

    const refused = await expectReplies(
      app.url,
      from(agent, { type: "message", text: `audit ${target.userPrincipalName}` }),
    );
    expect(cardTexts(cardOf(refused[0]))).toContain(en("tap.errorNotAdmin"));
  });

  it.each([
    ["the help-desk channel", { id: "19:helpdesk@thread.tacv2", conversationType: "channel", isGroup: true }],
    ["a group chat", { id: "19:group-chat@thread.v2", conversationType: "groupChat", isGroup: true }],
  ])("answers `audit <UPN>` typed in %s only in the admin's personal chat", async (_where, conversation) => {
    const { revealedValue } = await revealedRequest();
    const before = connector.calls.length;
    const replies = await expectReplies(
      app.url,
      from(admin, {
        type: "message",
        text: `audit ${target.userPrincipalName}`,
        conversation: { ...conversation, tenantId: PRACTICE_TENANT_ID },
      }),
    );
    expect(replies.map((reply) => reply.text)).toEqual([en("tap.auditSentPrivately")]);
    expect(JSON.stringify(replies)).not.toContain("tap.requested");

    const sentSince = connector.calls.slice(before);
    expect(sentSince.map((call) => call.conversationId)).toEqual([`a:personal-${admin.aadObjectId}`]);
    const text = JSON.stringify(cardOf(sentSince[0]?.body));
    expect(cardTexts(cardOf(sentSince[0]?.body))).toContain(en("tap.auditTitle", { upn: target.userPrincipalName }));
    expect(text).toContain("tap.issued");
    expect(text).not.toContain(revealedValue);
  });

  it("asks the admin to open the personal chat when `audit <UPN>` typed in a channel cannot reach it, and shows nothing there", async () => {
    const proactive = app.deps.proactive;
    const tried: string[] = [];
    // As for an admin who never opened the bot, with installing for them switched off.
    app.deps.proactive = {
      async sendToUser(aadObjectId) {
        tried.push(aadObjectId);
        return { status: "notReachable", reason: "never opened", instructionKey: "common.proactiveNotInstalled" };
      },
    };
    try {
      const replies = await expectReplies(
        app.url,
        from(admin, {
          type: "message",
          text: `audit ${target.userPrincipalName}`,
          conversation: { id: "19:helpdesk@thread.tacv2", conversationType: "channel", tenantId: PRACTICE_TENANT_ID },
        }),
      );
      expect(replies.map((reply) => reply.text)).toEqual([en("tap.auditOpenPersonalChat")]);
      expect(tried).toEqual([admin.aadObjectId]);
    } finally {
      app.deps.proactive = proactive;
    }
  });
});
