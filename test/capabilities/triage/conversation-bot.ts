import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import type { BotDependencies } from "../../../src/bot/bot-dependencies.js";
import { capabilities } from "../../../src/bot/capabilities.js";
import { botAppIdOf, createBotAdapter } from "../../../src/bot/create-bot-adapter.js";
import { type Bot, createBotApplication } from "../../../src/bot/create-bot-application.js";
import { createLogger } from "../../../src/bot/create-logger.js";
import { createProactiveMessenger } from "../../../src/bot/proactive-messenger.js";
import {
  type AuthenticatorCatalog,
  createAuthenticatorCatalog,
} from "../../../src/capabilities/authenticators/create-authenticator-catalog.js";
import { createGraphGateway, type GraphGatewayOptions } from "../../../src/graph/create-graph-gateway.js";
import type { GraphGateway } from "../../../src/graph/graph-gateway.js";
import { translate } from "../../../src/locales/translate.js";
import { createRoleResolver } from "../../../src/roles/role-resolver.js";
import { startServer } from "../../../src/server.js";
import {
  CONVERSATION_REFERENCES_TABLE,
  ConversationReferenceRepository,
} from "../../../src/storage/conversation-reference-repository.js";
import { createStorageAccount } from "../../../src/storage/storage-account.js";
import { botConfigOver } from "../../support/bot-config.js";
import type { ConnectorCall, FakeConnector } from "../../support/bot-connector.js";
import {
  type Caller,
  cardOf,
  cardTexts,
  expectReplies,
  post,
  practicePersona,
  teamsActivity,
} from "../../support/bot-http.js";

export const HELPDESK_CHANNEL = "19:helpdesk@thread.tacv2";

export interface TriageBot {
  url: string;
  bot: Bot;
  logLines: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/** The practice tenant's bot app registration, with the reports budget opened up unless a test wants it tight. */
export function practiceGraph(
  emulatorBaseUrl: string,
  schedulerOptions: GraphGatewayOptions["schedulerOptions"] = { reportsPerWindow: 1000 },
): GraphGateway {
  return createGraphGateway({
    mode: "emulator",
    baseUrl: emulatorBaseUrl,
    tenantId: "7d3e5a2c-1b4f-4c8e-9a6d-2f0b8c4e6a10",
    clientId: "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
    clientSecret: "contoso-practice-bot-secret",
    schedulerOptions,
  });
}

/**
 * The real Application with every registered capability, over HTTP, built the way src/index.ts builds it (real
 * gateway, Azurite storage, proactive messenger) but with the gateway given: tests choose how busy or slow Graph is.
 */
export async function startTriageBot(options: {
  emulatorBaseUrl: string;
  connectionString: string;
  graph: GraphGateway;
  authenticatorCatalog?: AuthenticatorCatalog;
  /** Further settings, e.g. HELPDESK_CHANNEL_LOCALE. */
  env?: Record<string, string>;
}): Promise<TriageBot> {
  const config = botConfigOver(
    { emulator: { baseUrl: options.emulatorBaseUrl }, azurite: { connectionString: options.connectionString } },
    options.env,
  );
  const logLines: Array<Record<string, unknown>> = [];
  const logger = createLogger(
    "info",
    new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split("\n").filter(Boolean)) logLines.push(JSON.parse(line));
        done();
      },
    }),
  );
  const account = createStorageAccount(config.storage);
  const conversationReferences = new ConversationReferenceRepository(
    account.tableClient(CONVERSATION_REFERENCES_TABLE),
  );
  const adapter = createBotAdapter(config.bot);
  const deps: BotDependencies = {
    config,
    graph: options.graph,
    roles: createRoleResolver({ directory: options.graph, groups: config.groups }),
    storage: { account, conversationReferences },
    proactive: createProactiveMessenger({
      adapter,
      botAppId: botAppIdOf(config.bot),
      conversationReferences,
      graph: options.graph,
      teamsAppId: config.teamsAppId,
      installAppForProactive: false,
      logger,
    }),
    logger,
    clock: () => new Date(),
    authenticatorCatalog: options.authenticatorCatalog ?? createAuthenticatorCatalog(),
  };
  const bot = createBotApplication(deps, adapter, capabilities);
  await account.ensureTables();
  const server = await startServer({
    adapter,
    handleTurn: bot.handleTurn,
    health: { graph: options.graph, storage: account },
    logger: createLogger("silent"),
    port: 0,
  });
  // Closing stops the capabilities' background timers too, as the app's close does.
  const close = async () => {
    await server.close();
    bot.stop();
  };
  return { url: server.url, bot, logLines, close };
}

/** A practice persona as the sender of activities. */
export function personaCaller(key: string): Caller & { userPrincipalName: string } {
  const persona = practicePersona(key);
  return {
    aadObjectId: persona.aadObjectId,
    displayName: persona.displayName,
    userPrincipalName: persona.userPrincipalName,
  };
}

/** A help-desk channel conversation, as Teams addresses a thread in it. */
export function channelConversation() {
  return {
    conversation: {
      id: `${HELPDESK_CHANNEL};messageid=1700000000000`,
      conversationType: "channel",
      isGroup: true,
      tenantId: "7d3e5a2c-1b4f-4c8e-9a6d-2f0b8c4e6a10",
    },
    channelData: {
      tenant: { id: "7d3e5a2c-1b4f-4c8e-9a6d-2f0b8c4e6a10" },
      channel: { id: HELPDESK_CHANNEL },
      team: { id: "19:team@thread.tacv2" },
    },
  };
}

/** Talks to the bot the way Teams does: activities POSTed with the fake connector as serviceUrl. */
export function teamsClient(botUrl: string, connector: FakeConnector) {
  const activity = (caller: Caller, fields: Record<string, unknown>) =>
    teamsActivity(caller, { serviceUrl: connector.url, ...fields });
  return {
    /** A message turn in normal delivery: the replies reach the connector. */
    async say(caller: Caller, text: string, fields: Record<string, unknown> = {}) {
      const before = connector.calls.length;
      const response = await post(botUrl, activity(caller, { type: "message", text, ...fields }));
      if (response.status !== 200) throw new Error(`The bot answered ${response.status}`);
      return connector.calls.slice(before);
    },
    /** A message turn with deliveryMode expectReplies: the replies come back in the HTTP response. */
    async ask(caller: Caller, text: string, fields: Record<string, unknown> = {}) {
      return expectReplies(botUrl, activity(caller, { type: "message", text, ...fields }));
    },
    /**
     * An Action.Execute click on a card the bot sent as activity `replyToId` (a new id each click, so a late update is
     * matched to its own click and never to one an earlier test left on its way); returns the invoke answer.
     */
    async click(caller: Caller, verb: string, data: unknown, fields: Record<string, unknown> = {}) {
      const callsBefore = connector.calls.length;
      const clickedActivityId = `clicked-card-${randomUUID()}`;
      const response = await post(
        botUrl,
        activity(caller, {
          type: "invoke",
          name: "adaptiveCard/action",
          replyToId: clickedActivityId,
          value: { action: { type: "Action.Execute", verb, data }, trigger: "manual" },
          ...fields,
        }),
      );
      const body = response.body as { statusCode: number; type: string; value: any };
      return {
        status: response.status,
        card: body?.type === "application/vnd.microsoft.card.adaptive" ? (body.value as Record<string, any>) : null,
        text: body?.type === "application/vnd.microsoft.activity.message" ? String(body.value) : null,
        /** Connector calls before the click: later updates of the clicked card come after this index. */
        callsBefore,
        /** The activity id the click came from: a late result updates this activity. */
        clickedActivityId,
      };
    },
  };
}

/** The Adaptive Card in a connector call's activity. */
export function cardIn(call: ConnectorCall | undefined): Record<string, any> | undefined {
  return cardOf(call?.body);
}

/** Waits until the connector has received a call matching `predicate` (work that outlives its turn), after index `after`. */
export async function connectorCall(
  connector: FakeConnector,
  predicate: (call: ConnectorCall) => boolean,
  options: { after?: number; timeoutMs?: number } = {},
): Promise<ConnectorCall> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    const found = connector.calls.slice(options.after ?? 0).find(predicate);
    if (found) return found;
    if (Date.now() > deadline) {
      throw new Error(
        `The connector never received the expected call; got ${JSON.stringify(connector.calls.map((c) => [c.method, c.conversationId, c.activityId]))}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Waits for the update that replaces the card a click came from (its own activity id, see teamsClient.click) after that
 * click; `caller` also checks it went to that person's personal chat.
 */
export function clickedCardUpdate(
  connector: FakeConnector,
  click: { callsBefore: number; clickedActivityId: string },
  options: { caller?: Caller; timeoutMs?: number } = {},
): Promise<ConnectorCall> {
  const { caller, timeoutMs } = options;
  return connectorCall(
    connector,
    (call) =>
      call.method === "PUT" &&
      call.activityId === click.clickedActivityId &&
      (!caller || call.conversationId === `a:personal-${caller.aadObjectId}`),
    { after: click.callsBefore, timeoutMs },
  );
}

/** The result card of a click, whether it came at once or after "Checking your account…" (then from the update). */
export async function finalCard(
  connector: FakeConnector,
  click: { card: Record<string, any> | null; callsBefore: number; clickedActivityId: string },
  caller?: Caller,
): Promise<Record<string, any>> {
  const card = click.card as Record<string, any>;
  const checking = translate("en", "triage.checkingTitle");
  if (!cardTexts(card).some((text) => text.includes(checking))) return card;
  return cardIn(await clickedCardUpdate(connector, click, { caller })) as Record<string, any>;
}
