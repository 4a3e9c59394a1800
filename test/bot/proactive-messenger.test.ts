import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBotAdapter } from "../../src/bot/create-bot-adapter.js";
import { createLogger } from "../../src/bot/create-logger.js";
import { createProactiveMessenger } from "../../src/bot/proactive-messenger.js";
import { PracticeTenant } from "../../src/config.js";
import type { TenantFile } from "../../src/emulator/tenant-file.js";
import { createGraphGateway } from "../../src/graph/create-graph-gateway.js";
import type { GraphGateway } from "../../src/graph/graph-gateway.js";
import { ConversationReferenceRepository } from "../../src/storage/conversation-reference-repository.js";
import { createStorageAccount } from "../../src/storage/storage-account.js";
import { type FakeConnector, startFakeConnector } from "../support/bot-connector.js";
import { PRACTICE_TENANT_PATH, practicePersona } from "../support/bot-http.js";
import { usePracticeServices } from "../support/practice-services.js";

const tenantPath = PRACTICE_TENANT_PATH;

const practice = usePracticeServices();
let connector: FakeConnector;
let graph: GraphGateway;
let references: ConversationReferenceRepository;

beforeAll(async () => {
  // The user behind a conversation id with "gone" in it removed the app.
  connector = await startFakeConnector({ isGone: (conversationId) => conversationId.includes("gone") });
  const account = createStorageAccount({
    kind: "connectionString",
    connectionString: practice.azurite.connectionString,
  });
  references = new ConversationReferenceRepository(account.tableClient("ConversationReferences"));
  await account.ensureTables();
  graph = createGraphGateway({
    mode: "emulator",
    baseUrl: practice.emulator.baseUrl,
    tenantId: PracticeTenant.tenantId,
    clientId: PracticeTenant.graphClientId,
    clientSecret: PracticeTenant.graphClientSecret,
  });
});

afterAll(async () => {
  await connector?.close();
});

function messenger(installAppForProactive: boolean) {
  return createProactiveMessenger({
    adapter: createBotAdapter({ kind: "anonymous" }),
    botAppId: "",
    conversationReferences: references,
    graph,
    teamsAppId: PracticeTenant.teamsAppId,
    installAppForProactive,
    logger: createLogger("silent"),
  });
}

/** Some practice users have the app already; the install path needs one who has not. */
async function firstPersonaWithoutTheApp() {
  const tenant = JSON.parse(readFileSync(tenantPath, "utf8")) as TenantFile;
  for (const persona of tenant.personas ?? []) {
    const user = practicePersona(persona.key, tenantPath);
    if (user.userPrincipalName.includes("#EXT#")) continue;
    if (!(await graph.isAppInstalledForUser(user.aadObjectId, PracticeTenant.teamsAppId))) return user;
  }
  throw new Error("The practice tenant must have a persona without the app installed");
}

function referenceFor(aadObjectId: string, conversationId: string) {
  return {
    channelId: "msteams",
    serviceUrl: connector.url,
    conversation: { id: conversationId, conversationType: "personal", tenantId: PracticeTenant.tenantId },
    bot: { id: "28:passkey-helpdesk", name: "Passkey Helpdesk" },
    user: { id: `29:${aadObjectId}`, aadObjectId },
  };
}

describe("sendToUser", () => {
  it("delivers through the stored personal-chat reference", async () => {
    const manager = practicePersona("agent-1", tenantPath);
    await references.save(manager.aadObjectId, referenceFor(manager.aadObjectId, "a:manager-chat"));
    const result = await messenger(false).sendToUser(manager.aadObjectId, { type: "message", text: "Approve?" });
    expect(result).toEqual({ status: "delivered" });
    const sent = connector.calls.find((request) => request.path.includes("a%3Amanager-chat"));
    expect(sent?.body).toMatchObject({ type: "message", text: "Approve?" });
  });

  it("tells the sender what the recipient must do when the user never opened the bot", async () => {
    const user = practicePersona("all-good", tenantPath);
    const result = await messenger(false).sendToUser(user.aadObjectId, { type: "message", text: "hello" });
    expect(result).toMatchObject({ status: "notReachable", instructionKey: "common.proactiveNotInstalled" });
  });

  it("installs the app for the user and reports a pending install when that is switched on", async () => {
    const user = await firstPersonaWithoutTheApp();
    expect(await graph.isAppInstalledForUser(user.aadObjectId, PracticeTenant.teamsAppId)).toBe(false);
    const result = await messenger(true).sendToUser(user.aadObjectId, { type: "message", text: "hello" });
    expect(result.status).toBe("pendingInstall");
    expect(await graph.isAppInstalledForUser(user.aadObjectId, PracticeTenant.teamsAppId)).toBe(true);
  });

  it("treats a conversation the connector no longer knows as unreachable, not as an error", async () => {
    const user = practicePersona("all-good", tenantPath);
    await references.save(user.aadObjectId, referenceFor(user.aadObjectId, "a:gone"));
    const result = await messenger(false).sendToUser(user.aadObjectId, { type: "message", text: "hello" });
    expect(result.status).toBe("notReachable");
  });
});
