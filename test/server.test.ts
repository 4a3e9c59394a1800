import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createBotAdapter } from "../src/bot/create-bot-adapter.js";
import { createLogger } from "../src/bot/create-logger.js";
import type { AppConfig } from "../src/config.js";
import { createGraphGateway } from "../src/graph/create-graph-gateway.js";
import { type RunningApp, startApp } from "../src/index.js";
import { translate } from "../src/locales/translate.js";
import { startServer } from "../src/server.js";
import { createStorageAccount } from "../src/storage/storage-account.js";
import { botConfigOver } from "./support/bot-config.js";
import {
  cardOf,
  cardTexts,
  executeCardAction,
  expectReplies,
  PRACTICE_TENANT_PATH,
  post,
  practicePersona,
  teamsActivity,
} from "./support/bot-http.js";
import { freePort } from "./support/free-port.js";
import { usePracticeServices } from "./support/practice-services.js";

const tenantPath = PRACTICE_TENANT_PATH;
const practice = usePracticeServices();
let config: AppConfig;
let app: RunningApp;

beforeAll(async () => {
  config = botConfigOver(practice);
  app = await startApp(config, { logger: createLogger("silent") });
});

afterAll(async () => {
  await app?.close();
});

const en = (key: string) => translate("en", `common.${key}`);

describe("POST /api/messages in anonymous local mode", () => {
  it("answers an agent's help with the agent help card", async () => {
    const agent = practicePersona("agent-1", tenantPath);
    expect(agent.userPrincipalName).toBe("agent-1@contosopractice.onmicrosoft.com");
    const replies = await expectReplies(app.url, teamsActivity(agent, { type: "message", text: "help" }));
    expect(replies).toHaveLength(1);
    const texts = cardTexts(cardOf(replies[0]));
    expect(texts).toContain(en("helpTitleAgent"));
    expect(texts).not.toContain(en("helpTitleAdmin"));
  });

  it("answers an end user's help with the end-user help card, and an admin's with the admin card", async () => {
    const user = practicePersona("all-good", tenantPath);
    const userTexts = cardTexts(
      cardOf((await expectReplies(app.url, teamsActivity(user, { type: "message", text: "Help" })))[0]),
    );
    expect(userTexts).toContain(en("helpTitleUser"));
    expect(userTexts).not.toContain(en("helpTitleAgent"));

    const admin = practicePersona("admin", tenantPath);
    const adminTexts = cardTexts(
      cardOf((await expectReplies(app.url, teamsActivity(admin, { type: "message", text: "help" })))[0]),
    );
    expect(adminTexts).toContain(en("helpTitleAdmin"));
  });

  it("never stays silent: unknown text gets the help card with a short explanation, in Czech for a Czech client", async () => {
    const user = practicePersona("all-good", tenantPath);
    const replies = await expectReplies(
      app.url,
      teamsActivity(user, { type: "message", text: "můj klíč nefunguje??", locale: "cs-CZ" }),
    );
    const texts = cardTexts(cardOf(replies[0]));
    expect(texts).toContain(translate("cs", "common.helpUnknownText"));
    expect(texts).toContain(translate("cs", "common.helpTitleUser"));
  });

  it("politely refuses a message and a card click from another tenant without touching Graph", async () => {
    const agent = practicePersona("agent-1", tenantPath);
    const before = practice.emulator.requestLog.length;
    const replies = await expectReplies(
      app.url,
      teamsActivity(agent, { type: "message", text: "help" }, "99999999-9999-4999-8999-999999999999"),
    );
    expect(replies.map((reply) => reply.text)).toEqual([en("tenantRefused")]);

    const click = await post(
      app.url,
      teamsActivity(
        agent,
        {
          type: "invoke",
          name: "adaptiveCard/action",
          value: { action: { type: "Action.Execute", verb: "help.show", data: {} }, trigger: "manual" },
        },
        "99999999-9999-4999-8999-999999999999",
      ),
    );
    expect(click.status).toBe(200);
    expect(click.body).toMatchObject({
      type: "application/vnd.microsoft.activity.message",
      value: en("tenantRefused"),
    });
    expect(practice.emulator.requestLog.length).toBe(before);
  });

  it("replaces a card with the help card when help.show is clicked", async () => {
    const agent = practicePersona("agent-1", tenantPath);
    const response = await executeCardAction(app.url, agent, "help.show", {});
    expect(response.status).toBe(200);
    expect(response.body.type).toBe("application/vnd.microsoft.card.adaptive");
    expect(cardTexts(response.body.value)).toContain(en("helpTitleAgent"));
  });

  it("answers a forged verb and malformed card data with the error card and a correlation id, not an exception", async () => {
    const user = practicePersona("all-good", tenantPath);
    const forged = await executeCardAction(app.url, user, "tap.approveEverything", { requestId: "x" });
    expect(forged.status).toBe(200);
    expect(cardTexts(forged.body.value)).toContain(en("errorUnknownAction"));
    const facts = forged.body.value.body.find((element: { type: string }) => element.type === "FactSet").facts;
    expect(facts[0].value).toMatch(/^[0-9a-f-]{36}$/);

    const malformed = await executeCardAction(app.url, user, "help.show", "not an object");
    expect(malformed.status).toBe(200);
    expect(cardTexts(malformed.body.value)).toContain(en("errorMalformedCard"));
  });

  it("answers 400, not 500, to a body that is not an activity with a type", async () => {
    for (const body of [{}, { type: 5 }, [{ type: "message" }]]) {
      const response = await post(app.url, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
  });

  it("reports Graph and storage reachability on /healthz", async () => {
    const response = await fetch(`${app.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", graph: true, storage: true });
  });
});

describe("/healthz with a dependency down", () => {
  /** A server whose probes are the real Graph gateway and storage account, each pointed at the live or a dead port. */
  async function serverWith(graphUp: boolean, storageUp: boolean, graphApp: { clientSecret?: string } = {}) {
    const deadUrl = `http://127.0.0.1:${await freePort()}`;
    const live = config.storage.kind === "connectionString" ? config.storage.connectionString : "";
    if (config.graph.mode !== "emulator") throw new Error("these tests run against the Graph emulator");
    const graph = createGraphGateway({
      ...config.graph,
      ...graphApp,
      baseUrl: graphUp ? practice.emulator.baseUrl : deadUrl,
    });
    const storage = createStorageAccount({
      kind: "connectionString",
      connectionString: storageUp ? live : live.replace(/http:\/\/127\.0\.0\.1:\d+/g, deadUrl),
    });
    return startServer({
      adapter: createBotAdapter({ kind: "anonymous" }),
      handleTurn: async () => {},
      health: { graph, storage },
      logger: createLogger("silent"),
      port: 0,
    });
  }

  it.each([
    [false, true],
    [true, false],
    [false, false],
  ])("answers 503 degraded and says which one is down (Graph up: %s, storage up: %s)", async (graphUp, storageUp) => {
    const server = await serverWith(graphUp, storageUp);
    try {
      const response = await fetch(`${server.url}/healthz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        status: "degraded",
        graph: graphUp,
        storage: storageUp,
        reasons: {
          ...(graphUp ? {} : { graph: "not reachable" }),
          ...(storageUp ? {} : { storage: "not reachable" }),
        },
      });
    } finally {
      await server.close();
    }
  });

  it("answers 503 degraded when Graph rejects the app's credentials, though Graph itself answers", async () => {
    const server = await serverWith(true, true, { clientSecret: "not-the-practice-secret" });
    try {
      const response = await fetch(`${server.url}/healthz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        status: "degraded",
        graph: false,
        storage: true,
        reasons: { graph: "credentials rejected (401)" },
      });
    } finally {
      await server.close();
    }
  });
});

describe("restart", () => {
  it("keeps conversation state and conversation references in storage across a restart", async () => {
    const user = practicePersona("all-good", tenantPath);
    const install = teamsActivity(user, { type: "installationUpdate", action: "add" });
    const first = await expectReplies(app.url, install);
    expect(cardTexts(cardOf(first[0]))).toContain(en("welcomeTitle"));

    await app.close();
    app = await startApp(config, { logger: createLogger("silent") });

    // Teams sends conversationUpdate beside installationUpdate; the stored state says the welcome already went out.
    const again = await expectReplies(
      app.url,
      teamsActivity(user, {
        type: "conversationUpdate",
        membersAdded: [{ id: "28:passkey-helpdesk" }],
      }),
    );
    expect(again).toEqual([]);
    const stranger = practicePersona("agent-1", tenantPath);
    const welcomed = await expectReplies(
      app.url,
      teamsActivity(stranger, { type: "installationUpdate", action: "add" }),
    );
    expect(cardTexts(cardOf(welcomed[0]))).toContain(en("welcomeTitle"));
    const reference = await app.deps.storage.conversationReferences.find(user.aadObjectId);
    expect(reference?.conversation.id).toBe(`a:personal-${user.aadObjectId}`);
    expect(reference?.user?.aadObjectId).toBe(user.aadObjectId);
  });
});

describe("with bot credentials configured", () => {
  it.each([
    ["BOT_ID and BOT_PASSWORD", { BOT_PASSWORD: "not-a-real-password" }],
    ["BOT_ID and a managed identity", { BOT_MANAGED_IDENTITY: "true" }],
  ])("rejects a POST without a valid Bot Framework token with 401 (%s)", async (_kind, credentials) => {
    const secured = await startApp(
      botConfigOver(practice, {
        BOT_ID: "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
        ...credentials,
      }),
      { logger: createLogger("silent") },
    );
    expect(secured.deps.config.bot.kind).not.toBe("anonymous");
    try {
      const agent = practicePersona("agent-1", tenantPath);
      const activity = teamsActivity(agent, { type: "message", text: "help", deliveryMode: "expectReplies" });
      expect((await post(secured.url, activity)).status).toBe(401);
      expect((await post(secured.url, activity, { authorization: "Bearer forged.token.value" })).status).toBe(401);
    } finally {
      await secured.close();
    }
  });

  it("answers a POST without an Authorization header 401 itself: nothing reaches botbuilder, which prints a stack to the console", async () => {
    const lines: string[] = [];
    const secured = await startApp(
      botConfigOver(practice, {
        BOT_ID: "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
        BOT_PASSWORD: "not-a-real-password",
      }),
      { logger: createLogger("warn", { write: (line: string) => lines.push(line) }) },
    );
    const consoleError = vi.spyOn(console, "error").mockImplementation(() => {});
    const consoleWarn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const consoleLog = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      const agent = practicePersona("agent-1", tenantPath);
      const activity = teamsActivity(agent, { type: "message", text: "help", deliveryMode: "expectReplies" });
      expect((await post(secured.url, activity)).status).toBe(401);
      expect((await post(secured.url, activity, { authorization: "" })).status).toBe(401);
      expect(consoleError).not.toHaveBeenCalled();
      expect(consoleWarn).not.toHaveBeenCalled();
      expect(consoleLog).not.toHaveBeenCalled();
      expect(lines.filter((line) => JSON.parse(line).event === "http.unauthorized")).toHaveLength(2);
    } finally {
      consoleError.mockRestore();
      consoleWarn.mockRestore();
      consoleLog.mockRestore();
      await secured.close();
    }
  });
});
