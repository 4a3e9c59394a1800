import { odata, TableClient } from "@azure/data-tables";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CardVerbs } from "../../../src/bot/card-verbs.js";
import { translate } from "../../../src/locales/translate.js";
import { TICKETS_TABLE, TicketRepository } from "../../../src/storage/ticket-repository.js";
import { type FakeConnector, startFakeConnector } from "../../support/bot-connector.js";
import { cardOf, cardTexts } from "../../support/bot-http.js";
import { usePracticeServices } from "../../support/practice-services.js";
import {
  cardIn,
  channelConversation,
  connectorCall,
  finalCard,
  HELPDESK_CHANNEL,
  personaCaller,
  practiceGraph,
  startTriageBot,
  type TriageBot,
  teamsClient,
} from "./conversation-bot.js";

/**
 * The triage conversation through the real Application over HTTP: Teams-shaped activities in, the replies and the
 * Bot Connector calls out, Graph from the real emulator (practice tenant), tickets in a real Azurite.
 */
const practice = usePracticeServices();
let connector: FakeConnector;
let bot: TriageBot;
let client: ReturnType<typeof teamsClient>;

const en = (key: string, params?: Record<string, string | number>) => translate("en", key, params);
const cs = (key: string, params?: Record<string, string | number>) => translate("cs", key, params);

beforeAll(async () => {
  connector = await startFakeConnector();
  bot = await startTriageBot({
    emulatorBaseUrl: practice.emulator.baseUrl,
    connectionString: practice.azurite.connectionString,
    graph: practiceGraph(practice.emulator.baseUrl),
  });
  client = teamsClient(bot.url, connector);
});

afterAll(async () => {
  await bot?.close();
  await connector?.close();
});

type Card = Record<string, any>;

/** The Action.Execute buttons of a card (anywhere in it), with their verb and data. */
function actionsOf(card: unknown): Array<{ verb: string; title: string; data: Record<string, unknown> }> {
  const found: Array<{ verb: string; title: string; data: Record<string, unknown> }> = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const record = node as Record<string, unknown>;
      if (record.type === "Action.Execute") {
        found.push({
          verb: String(record.verb),
          title: String(record.title),
          data: (record.data ?? {}) as Record<string, unknown>,
        });
      }
      Object.values(record).forEach(walk);
    }
  };
  walk(card);
  return found;
}

function action(card: unknown, verb: string, extra: (data: Record<string, unknown>) => boolean = () => true) {
  const found = actionsOf(card).find((a) => a.verb === verb && extra(a.data));
  if (!found) throw new Error(`The card must offer ${verb}; it offers ${actionsOf(card).map((a) => a.verb)}`);
  return found;
}

describe("no dead ends for an end user with a security key (yubikey-allowed)", () => {
  const user = personaCaller("yubikey-allowed");

  it("answers 'my yubikey doesn't work' with the key-model picker, one entry per model, grouped by maker", async () => {
    const replies = await client.ask(user, "my yubikey doesn't work");
    const card = cardOf(replies[0]);
    expect(cardTexts(card)).toContain(en("triage.keyModelTitle"));
    const choices = JSON.stringify(card).match(/"title":"[^"]*","value":"[0-9a-f-]{36}"/g) ?? [];
    const titles = choices.map((c) => c.split('"')[3]);
    expect(titles.length).toBeGreaterThan(10);
    expect(new Set(titles).size).toBe(titles.length);
    expect(titles.indexOf("YubiKey 5 Series with NFC")).toBeLessThan(
      titles.findIndex((title) => title?.startsWith("Feitian")),
    );
    expect(actionsOf(card).map((a) => a.title)).toEqual([en("triage.keyModelCheck"), en("triage.keyModelUnknown")]);
  });

  it("judges the picked model: the YubiKey 5 NFC is accepted by her pilot ring", async () => {
    const result = await finalCard(
      connector,
      await client.click(user, CardVerbs.triagePlatform, {
        platform: "securityKey",
        authenticator: "fa2b99dc-9e39-4257-8f92-4a30d23c4118",
      }),
    );
    expect(cardTexts(result)).toContain(en("triage.headlineAllPass"));
  });

  it("asks for the model after 'Security key' on the platform card, and checks the rest with 'I don't know my model'", async () => {
    const picker = (await client.click(user, CardVerbs.triagePlatform, { platform: "securityKey", askModel: "yes" }))
      .card;
    expect(cardTexts(picker)).toContain(en("triage.keyModelTitle"));
    const unknown = action(picker, CardVerbs.triagePlatform, (data) => data.platform === "securityKey");
    const result = await finalCard(connector, await client.click(user, CardVerbs.triagePlatform, unknown.data));
    const texts = cardTexts(result).join("\n");
    expect(texts).toContain(en("triage.questionAuthenticator"));
    expect(texts).not.toContain(en("triage.keyModelTitle"));
  });

  it("offers a device choice in plain words after 'I'm not sure'", async () => {
    const card = (await client.click(user, CardVerbs.triagePlatform, { platform: "unknown", askDevice: "yes" })).card;
    expect(cardTexts(card)).toContain(en("triage.deviceTitle"));
    expect(actionsOf(card).map((a) => a.data.platform)).toEqual([
      "windows",
      "ios",
      "android",
      "securityKey",
      "otherDeviceQr",
    ]);
  });

  it("answers a Czech message in Czech although the client reports en-US, and keeps Czech on the next click", async () => {
    const replies = await client.ask(user, "můj yubikey nefunguje", { locale: "en-US" });
    const picker = cardOf(replies[0]);
    expect(cardTexts(picker)).toContain(cs("triage.keyModelTitle"));
    const check = action(picker, CardVerbs.triagePlatform);
    expect(check.data.lang).toBe("cs");
    const result = await finalCard(
      connector,
      await client.click(
        user,
        CardVerbs.triagePlatform,
        { ...check.data, authenticator: "fa2b99dc-9e39-4257-8f92-4a30d23c4118" },
        { locale: "en-US" },
      ),
    );
    expect(cardTexts(result)).toContain(cs("triage.headlineAllPass"));
  });
});

describe("an end user who cannot add a passkey (windows-hello-blocked)", () => {
  const user = personaCaller("windows-hello-blocked");
  /** The result card after "Windows" on the platform card: each test that needs it asks for its own. */
  const windowsResult = async () =>
    finalCard(connector, await client.click(user, CardVerbs.triagePlatform, { platform: "windows" }));
  /** The result after answering "no Windows Hello PIN" to the Windows result's follow-up question. */
  const withoutPin = async () => {
    const followUp = action(await windowsResult(), CardVerbs.triageAnswer, (data) => data.followUp === "windowsPinSet");
    return finalCard(connector, await client.click(user, CardVerbs.triageAnswer, { ...followUp.data, value: "no" }));
  };

  it("answers 'I can't add a passkey' with the platform card", async () => {
    const replies = await client.ask(user, "I can't add a passkey");
    const card = cardOf(replies[0]);
    expect(cardTexts(card)).toContain(en("triage.platformTitle"));
    expect(action(card, CardVerbs.triagePlatform)).toBeDefined();
  });

  it("highlights question 4 as the first blocking one, with the Windows Hello AAGUID fix", async () => {
    const texts = cardTexts(await windowsResult());
    expect(texts).toContain(en("triage.headlineBlocked", { question: en("triage.questionAuthenticator") }));
    // The blocking badge stands under question 4 only, and its fix names the Windows Hello authenticators.
    expect(texts.filter((text) => text === en("triage.blockingBadge"))).toHaveLength(1);
    const badge = texts.indexOf(en("triage.blockingBadge"));
    expect(texts[badge - 1]).toContain("Windows Hello Hardware Authenticator");
    expect(texts[badge - 2]).toContain(en("triage.questionAuthenticator"));
    expect(texts.slice(badge).join("\n")).toContain("YubiKey 5 Series");
    // The AAGUID-level fix is the help desk's: it travels with the escalation (see the evidence card below).
  });

  it("re-evaluates with a follow-up answer: no Windows Hello PIN makes question 3 the blocking one", async () => {
    const answered = await withoutPin();
    expect(cardTexts(answered)).toContain(en("triage.headlineBlocked", { question: en("triage.questionPlatform") }));
    expect(actionsOf(answered).some((a) => a.data.followUp === "windowsPinSet")).toBe(false);
    expect(action(answered, CardVerbs.triageRecheck).data.answers).toBe("windowsPinSet=n");
  });

  it("reads Graph again on Check again, keeping the answers given", async () => {
    const answered = await withoutPin();
    const before = practice.emulator.requestLog.length;
    const again = await finalCard(
      connector,
      await client.click(user, CardVerbs.triageRecheck, action(answered, CardVerbs.triageRecheck).data),
    );
    expect(cardTexts(again)).toContain(en("triage.headlineBlocked", { question: en("triage.questionPlatform") }));
    const reads = practice.emulator.requestLog.slice(before).filter((entry) => entry.path.includes(user.aadObjectId));
    expect(reads.length).toBeGreaterThan(0);
  });

  it("answers in Czech for a Czech client and Czech text", async () => {
    const replies = await client.ask(user, "nemůžu přidat přístupový klíč", { locale: "cs-CZ" });
    expect(cardTexts(cardOf(replies[0]))).toContain(cs("triage.platformTitle"));
    const czech = await finalCard(
      connector,
      await client.click(user, CardVerbs.triagePlatform, { platform: "windows" }, { locale: "cs-CZ" }),
    );
    expect(cardTexts(czech)).toContain(cs("triage.headlineBlocked", { question: cs("triage.questionAuthenticator") }));
  });

  it("ignores forged card data naming another user: the subject is always the caller", async () => {
    const other = personaCaller("all-good");
    const before = practice.emulator.requestLog.length;
    const forged = await finalCard(
      connector,
      await client.click(user, CardVerbs.triageRecheck, { platform: "windows", targetUserId: other.aadObjectId }),
    );
    expect(cardTexts(forged)).toContain(en("triage.resultTitle", { name: user.displayName ?? "" }));
    expect(JSON.stringify(forged)).not.toContain(other.userPrincipalName);
    const paths = practice.emulator.requestLog.slice(before).map((entry) => entry.path);
    expect(paths.some((path) => path.includes(other.aadObjectId))).toBe(false);
  });
});

describe("a conversation started in Czech from an en-US client (stale-mfa)", () => {
  const user = personaCaller("stale-mfa");
  const enUs = { locale: "en-US" };

  it("keeps Czech on a follow-up answer, Check again and Get help", async () => {
    await client.ask(user, "nemůžu přidat přístupový klíč", enUs);
    const first = await finalCard(
      connector,
      await client.click(user, CardVerbs.triagePlatform, { platform: "windows", lang: "cs" }, enUs),
    );
    const platformLine = cs("triage.resultPlatform", { platform: cs("triage.platformWindows") });
    expect(cardTexts(first).some((text) => text.startsWith(platformLine))).toBe(true);
    const followUp = action(first, CardVerbs.triageAnswer);
    expect(followUp.data.lang).toBe("cs");
    const answered = await finalCard(
      connector,
      await client.click(user, CardVerbs.triageAnswer, { ...followUp.data, value: "yes" }, enUs),
    );
    expect(cardTexts(answered)).toContain(cs("triage.checkAgain"));
    expect(cardTexts(answered)).not.toContain(en("triage.checkAgain"));

    const recheck = action(answered, CardVerbs.triageRecheck);
    expect(recheck.data.lang).toBe("cs");
    const again = await finalCard(connector, await client.click(user, CardVerbs.triageRecheck, recheck.data, enUs));
    expect(cardTexts(again)).toContain(cs("triage.getHelp"));

    const escalate = action(again, CardVerbs.triageEscalate);
    const before = connector.calls.length;
    const escalated = await client.click(user, CardVerbs.triageEscalate, escalate.data, enUs);
    expect(cardTexts(escalated.card as Card)).toContain(cs("triage.checkAgain"));
    const told = connector.calls.slice(before).map((call) => String(call.body.text ?? ""));
    const notice = told.find((text) => /PK-[0-9A-F]{8}/.test(text)) ?? "";
    const ticketId = /PK-[0-9A-F]{8}/.exec(notice)?.[0] ?? "";
    expect([cs("triage.escalated", { ticketId }), cs("triage.escalatedAlready", { ticketId })]).toContain(notice);
  });

  it("takes the card's language only as en or cs: anything else falls back to the client's locale", async () => {
    for (const lang of ["de", "cs-CZ<script>", "", "EN"]) {
      const card = await finalCard(
        connector,
        await client.click(user, CardVerbs.triageRecheck, { platform: "windows", lang }, enUs),
      );
      expect(cardTexts(card)).toContain(en("triage.checkAgain"));
      expect(action(card, CardVerbs.triageRecheck).data.lang).toBe("en");
    }
  });
});

describe("escalation to the help desk", () => {
  const user = personaCaller("windows-hello-blocked");
  const agent = personaCaller("agent-1");

  /**
   * The requester has no ticket, whatever ran before: a ticket stays open for good in this version (one per requester),
   * so each test that needs "no ticket yet" or "a fresh ticket" clears the requester's tickets from storage first.
   */
  async function withoutTickets(requester: { aadObjectId: string }): Promise<void> {
    const table = TableClient.fromConnectionString(practice.azurite.connectionString, TICKETS_TABLE, {
      allowInsecureConnection: true,
    });
    const stored = table.listEntities({ queryOptions: { filter: odata`requesterId eq ${requester.aadObjectId}` } });
    for await (const entity of stored) await table.deleteEntity(entity.partitionKey ?? "", entity.rowKey ?? "");
  }

  /** A new, unassigned ticket of windows-hello-blocked, as "Get help" opens it: its id and its card's channel activity. */
  async function freshTicket(): Promise<{ ticketId: string; ticketActivityId: string }> {
    await withoutTickets(user);
    await client.say(user, "help");
    const before = connector.calls.length;
    await client.click(user, CardVerbs.triageEscalate, { platform: "windows" });
    const posted = await connectorCall(
      connector,
      (call) => call.method === "POST" && call.conversationId === HELPDESK_CHANNEL,
      { after: before },
    );
    const ticketId = String(action(cardIn(posted), CardVerbs.ticketAssign).data.ticketId);
    const stored = await TicketRepository.fromConnectionString(practice.azurite.connectionString).get(ticketId);
    if (!stored?.value.channelActivityId) throw new Error(`Ticket ${ticketId} must be stored with its channel card`);
    return { ticketId, ticketActivityId: stored.value.channelActivityId };
  }

  it("stores a ticket, posts its card to the help-desk channel and tells the requester", async () => {
    await withoutTickets(user);
    // The requester's personal chat is known to the bot from an earlier message (its conversation reference).
    await client.say(user, "help");
    const before = connector.calls.length;
    const answer = await client.click(user, CardVerbs.triageEscalate, { platform: "windows" });
    expect(answer.card).not.toBeNull();
    const calls = connector.calls.slice(before);
    const posted = calls.find((call) => call.method === "POST" && call.conversationId === HELPDESK_CHANNEL);
    const ticketCard = cardIn(posted) as Card;
    const assign = action(ticketCard, CardVerbs.ticketAssign);
    const ticketId = String(assign.data.ticketId);
    expect(ticketId).toMatch(/^PK-[0-9A-F]{8}$/);
    expect(cardTexts(ticketCard)).toContain(`🎫 ${en("tickets.cardTitle", { ticketId })}`);
    expect(JSON.stringify(ticketCard)).toContain(user.userPrincipalName);
    const told = calls.find((call) => call.conversationId === `a:personal-${user.aadObjectId}`);
    expect(told?.body.text).toBe(en("triage.escalated", { ticketId }));

    const stored = await TicketRepository.fromConnectionString(practice.azurite.connectionString).get(ticketId);
    expect(stored?.value).toMatchObject({
      status: "open",
      requester: { id: user.aadObjectId, userPrincipalName: user.userPrincipalName },
      diagnosis: { platform: "windows", firstBlocking: "authenticator" },
      assignee: null,
    });
    const ticketActivityId = String(stored?.value.channelActivityId);
    expect(ticketActivityId).not.toBe("");
  });

  it("writes the channel's ticket card in the channel's configured language, whatever the requester's", async () => {
    const czechChannelBot = await startTriageBot({
      emulatorBaseUrl: practice.emulator.baseUrl,
      connectionString: practice.azurite.connectionString,
      graph: practiceGraph(practice.emulator.baseUrl),
      env: { HELPDESK_CHANNEL_LOCALE: "cs" },
    });
    try {
      const requester = personaCaller("blocked-key");
      await withoutTickets(requester);
      const czechClient = teamsClient(czechChannelBot.url, connector);
      await czechClient.say(requester, "help");
      const before = connector.calls.length;
      await czechClient.click(requester, CardVerbs.triageEscalate, { platform: "securityKey" });
      const posted = connector.calls
        .slice(before)
        .find((call) => call.method === "POST" && call.conversationId === HELPDESK_CHANNEL);
      const card = cardIn(posted) as Card;
      const id = String(action(card, CardVerbs.ticketAssign).data.ticketId);
      expect(cardTexts(card)).toContain(`🎫 ${cs("tickets.cardTitle", { ticketId: id })}`);
    } finally {
      await czechChannelBot.close();
    }
  });

  it("does not page the help desk twice for the same requester", async () => {
    const { ticketId } = await freshTicket();
    const before = connector.calls.length;
    await client.click(user, CardVerbs.triageEscalate, { platform: "windows" });
    const calls = connector.calls.slice(before);
    expect(calls.some((call) => call.conversationId === HELPDESK_CHANNEL)).toBe(false);
    expect(calls.find((call) => call.body.text)?.body.text).toBe(en("triage.escalatedAlready", { ticketId }));
  });

  it("refuses Assign to me from someone who is not an agent", async () => {
    const { ticketId } = await freshTicket();
    const answer = await client.click(user, CardVerbs.ticketAssign, { ticketId }, channelConversation());
    expect(answer.text).toBe(en("tickets.agentsOnly"));
    const stored = await TicketRepository.fromConnectionString(practice.azurite.connectionString).get(ticketId);
    expect(stored?.value.assignee).toBeNull();
  });

  it("lets agent-1 take the ticket: the card shows the assignee everywhere and the requester is told", async () => {
    const { ticketId, ticketActivityId } = await freshTicket();
    const before = connector.calls.length;
    const answer = await client.click(agent, CardVerbs.ticketAssign, { ticketId }, channelConversation());
    const status = en("tickets.statusAssigned", { name: agent.displayName ?? "" });
    expect(JSON.stringify(answer.card)).toContain(status);
    expect(actionsOf(answer.card).map((a) => a.verb)).toEqual([CardVerbs.triageUser]);
    const calls = connector.calls.slice(before);
    const updated = calls.find((call) => call.method === "PUT" && call.activityId === ticketActivityId);
    expect(JSON.stringify(cardIn(updated))).toContain(status);
    const told = calls.find((call) => call.conversationId === `a:personal-${user.aadObjectId}`);
    expect(told?.body.text).toBe(en("tickets.requesterTold", { agent: agent.displayName ?? "", ticketId }));
  });

  it("sends Triage this user's evidence to the agent's personal chat, and only a notice to the channel", async () => {
    const { ticketId } = await freshTicket();
    await client.say(agent, "help");
    const before = connector.calls.length;
    const answer = await client.click(agent, CardVerbs.triageUser, { ticketId }, channelConversation());
    // The ticket card stays in the channel.
    expect(cardTexts(answer.card)).toContain(`🎫 ${en("tickets.cardTitle", { ticketId })}`);
    const personal = `a:personal-${agent.aadObjectId}`;
    const evidence = await connectorCall(connector, (call) => call.conversationId === personal && !!cardIn(call), {
      after: before,
    });
    expect(cardTexts(cardIn(evidence))).toContain(en("triage.evidenceTitle", { name: user.displayName ?? "" }));
    // The help desk's fix for question 4 names the Windows Hello AAGUIDs to allow.
    expect(JSON.stringify(cardIn(evidence))).toContain("08987058-cadc-4b81-b6e1-30de50dcbe96");
    const toChannel = connector.calls.slice(before).filter((call) => call.conversationId.startsWith(HELPDESK_CHANNEL));
    expect(toChannel.map((call) => call.body.text)).toEqual([
      en("tickets.agentLooking", { agent: agent.displayName ?? "", ticketId }),
    ]);
    expect(toChannel.some((call) => cardIn(call))).toBe(false);
  });

  it("tells an agent who never opened the personal chat to open it, and puts nothing in the channel", async () => {
    const { ticketId } = await freshTicket();
    const agent2 = personaCaller("agent-2");
    const before = connector.calls.length;
    const answer = await client.click(agent2, CardVerbs.triageUser, { ticketId }, channelConversation());
    expect(answer.text).toBe(en("tickets.openPersonalChat"));
    expect(connector.calls.slice(before)).toEqual([]);
  });
});

describe("agent triage by UPN", () => {
  it("gives agent-1 the evidence card for all-good with methods and authenticator names", async () => {
    const agent = personaCaller("agent-1");
    const replies = await client.ask(agent, "triage all-good@contosopractice.onmicrosoft.com");
    const card = cardOf(replies.at(-1));
    const texts = cardTexts(card).join("\n");
    expect(texts).toContain(en("triage.evidenceTitle", { name: personaCaller("all-good").displayName ?? "" }));
    expect(texts).toContain(en("triage.evidenceMethods"));
    expect(JSON.stringify(card)).toContain("YubiKey 5 Series");
    expect(action(card, CardVerbs.triageRecheck).data.targetUserId).toBe(personaCaller("all-good").aadObjectId);
  });

  it("refuses an end user who types triage for someone else, politely and without reading them", async () => {
    const user = personaCaller("all-good");
    const target = personaCaller("agent-1");
    const before = practice.emulator.requestLog.length;
    const replies = await client.ask(user, `triage ${target.userPrincipalName}`);
    expect(replies.map((reply) => reply.text)).toEqual([en("triage.agentOnly")]);
    const paths = practice.emulator.requestLog.slice(before).map((entry) => entry.path);
    expect(paths.some((path) => path.includes(target.aadObjectId) || path.includes("agent-1%40"))).toBe(false);
    expect(bot.logLines.some((line) => line.event === "triage.refused" && line.caller === user.aadObjectId)).toBe(true);
  });

  it("refuses an end user's forged Check again on an evidence card for someone else", async () => {
    const user = personaCaller("all-good");
    const answer = await client.click(user, CardVerbs.triageUser, {
      targetUserId: personaCaller("windows-hello-blocked").aadObjectId,
    });
    expect(answer.text).toBe(en("triage.agentOnly"));
  });
});
