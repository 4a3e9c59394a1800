import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/bot/create-logger.js";
import { PracticeTenant } from "../../src/config.js";
import { type RunningApp, startApp } from "../../src/index.js";
import { botConfigOver } from "../support/bot-config.js";
import { type FakeConnector, startFakeConnector } from "../support/bot-connector.js";
import { practicePersona } from "../support/bot-http.js";
import { usePracticeServices } from "../support/practice-services.js";

const LIMITED_APP = { id: "6a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", secret: "contoso-practice-limited-secret" };
const NOT_A_USER = "00000000-0000-4000-8000-00000000dead";

const practice = usePracticeServices();
/** Answers 404 ConversationNotFound for every conversation whose id contains "gone". */
let connector: FakeConnector;
/** A Bot Connector that answers 403 to everything (the bot was blocked in the user's chat). */
let forbidding: { url: string; paths: string[]; close(): Promise<void> };
/** The real app, installing the bot for users it cannot reach. */
let app: RunningApp;
/** The same app with Graph credentials lacking TeamsAppInstallation permissions. */
let limited: RunningApp;

async function startForbiddingConnector(): Promise<typeof forbidding> {
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    paths.push(req.url ?? "");
    req.resume();
    req.on("end", () => {
      res.writeHead(403, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "BotDisabledByAdmin", message: "The bot is blocked" } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    paths,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function configFor(graphApp?: { id: string; secret: string }) {
  return botConfigOver(practice, {
    // The bot's Graph budget ×100 like the emulator's: throttling is not what these tests are about.
    GRAPH_EMULATOR_THROTTLE_SCALE: "100",
    INSTALL_APP_FOR_PROACTIVE: "true",
    ...(graphApp ? { GRAPH_CLIENT_ID: graphApp.id, GRAPH_CLIENT_SECRET: graphApp.secret } : {}),
  });
}

/** A personal-chat reference as a turn stores it, including the id of the activity that turn answered. */
function referenceFor(aadObjectId: string, conversationId: string, serviceUrl = connector.url) {
  return {
    channelId: "msteams",
    serviceUrl,
    activityId: "1:the-turn-that-stored-it",
    conversation: { id: conversationId, conversationType: "personal", tenantId: PracticeTenant.tenantId },
    bot: { id: "28:passkey-helpdesk", name: "Passkey Helpdesk" },
    user: { id: `29:${aadObjectId}`, aadObjectId },
  };
}

const callsTo = (conversationId: string) => connector.calls.filter((call) => call.conversationId === conversationId);

beforeAll(async () => {
  [connector, forbidding] = await Promise.all([
    startFakeConnector({ isGone: (conversationId) => conversationId.includes("gone") }),
    startForbiddingConnector(),
  ]);
  app = await startApp(configFor(), { logger: createLogger("silent") });
  limited = await startApp(configFor(LIMITED_APP), { logger: createLogger("silent") });
});
afterAll(async () => {
  await Promise.all([app?.close(), limited?.close()]);
  await Promise.all([connector?.close(), forbidding?.close()]);
});

describe("a proactive message through the running app", () => {
  it("is a new message in the stored chat, not a reply to the activity of the turn that stored the reference", async () => {
    const user = practicePersona("agent-1");
    await app.deps.storage.conversationReferences.save(user.aadObjectId, referenceFor(user.aadObjectId, "a:live-chat"));

    const result = await app.deps.proactive.sendToUser(user.aadObjectId, { type: "message", text: "Approve?" });

    expect(result).toEqual({ status: "delivered" });
    const [call, ...others] = callsTo("a:live-chat");
    expect(others).toEqual([]);
    expect(call).toMatchObject({ method: "POST", activityId: "", body: { type: "message", text: "Approve?" } });
    expect(call?.path).toMatch(/\/v3\/conversations\/a%3Alive-chat\/activities$/);
    expect(call?.body.replyToId).toBeUndefined();
  });

  it("is never reported delivered when the connector answers 404: the user is not reachable and the sender learns what to do", async () => {
    const user = practicePersona("manager");
    expect(await app.deps.graph.isAppInstalledForUser(user.aadObjectId, PracticeTenant.teamsAppId)).toBe(true);
    await app.deps.storage.conversationReferences.save(user.aadObjectId, referenceFor(user.aadObjectId, "a:gone-chat"));

    const result = await app.deps.proactive.sendToUser(user.aadObjectId, { type: "message", text: "Approve?" });

    expect(result).toMatchObject({ status: "notReachable", instructionKey: "common.proactiveNotInstalled" });
    expect(result).toHaveProperty("reason", expect.stringMatching(/open the bot/));
    // One attempt, a new message: no reply to the stored activity and no error card sent after it.
    expect(callsTo("a:gone-chat").map((call) => [call.method, call.activityId])).toEqual([["POST", ""]]);
  });

  it("is never reported delivered when the connector answers 403", async () => {
    const user = practicePersona("agent-2");
    await app.deps.storage.conversationReferences.save(
      user.aadObjectId,
      referenceFor(user.aadObjectId, "a:blocked-chat", forbidding.url),
    );

    const result = await app.deps.proactive.sendToUser(user.aadObjectId, { type: "message", text: "Approve?" });

    expect(result.status).toBe("notReachable");
    expect(forbidding.paths).toEqual(["/v3/conversations/a%3Ablocked-chat/activities"]);
  });
});

describe("installing the app for a user the bot cannot reach", () => {
  it("reports a user who already has the app but no stored chat as not reachable (Teams sends no new install event), not as a pending install", async () => {
    const user = practicePersona("admin");
    expect(await app.deps.graph.isAppInstalledForUser(user.aadObjectId, PracticeTenant.teamsAppId)).toBe(true);
    expect(await app.deps.storage.conversationReferences.find(user.aadObjectId)).toBeNull();

    const result = await app.deps.proactive.sendToUser(user.aadObjectId, { type: "message", text: "hello" });

    expect(result).toMatchObject({ status: "notReachable", instructionKey: "common.proactiveNotInstalled" });
    expect(result).toHaveProperty("reason", expect.stringMatching(/open the bot/));
  });

  it("returns not reachable with the reason, instead of throwing, when Graph refuses the install for a missing permission", async () => {
    const user = practicePersona("all-good");

    const result = await limited.deps.proactive.sendToUser(user.aadObjectId, { type: "message", text: "hello" });

    expect(result).toMatchObject({ status: "notReachable", instructionKey: "common.proactiveNotInstalled" });
    expect(result).toHaveProperty("reason", expect.stringMatching(/403/));
  });

  it("returns not reachable with the reason, instead of throwing, for a user Graph does not know", async () => {
    const result = await app.deps.proactive.sendToUser(NOT_A_USER, { type: "message", text: "hello" });

    expect(result).toMatchObject({ status: "notReachable", instructionKey: "common.proactiveNotInstalled" });
    expect(result).toHaveProperty("reason", expect.stringMatching(/404/));
  });
});
