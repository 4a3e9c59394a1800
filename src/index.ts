import { capabilities } from "./bot/capabilities.js";
import { botAppIdOf, createBotAdapter } from "./bot/create-bot-adapter.js";
import { createBotApplication } from "./bot/create-bot-application.js";
import { createLogger } from "./bot/create-logger.js";
import { createTurnStateStorage } from "./bot/create-turn-state-storage.js";
import { createProactiveMessenger } from "./bot/proactive-messenger.js";
import { ConfigError, loadConfig } from "./config.js";
import { createGraphGateway } from "./graph/create-graph-gateway.js";
import { createRoleResolver } from "./roles/role-resolver.js";
import { startServer } from "./server.js";
import {
  CONVERSATION_REFERENCES_TABLE,
  ConversationReferenceRepository,
} from "./storage/conversation-reference-repository.js";
import { createStorageAccount } from "./storage/storage-account.js";

/** Composition root: config → Graph → storage → roles → bot → server. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }

  const logger = createLogger(config.logLevel);
  const graph = createGraphGateway(config.graph);
  const account = createStorageAccount(config.storage);
  const conversationReferences = new ConversationReferenceRepository(
    account.tableClient(CONVERSATION_REFERENCES_TABLE),
  );
  const roles = createRoleResolver({ directory: graph, groups: config.groups });
  const adapter = createBotAdapter(config.bot);
  const proactive = createProactiveMessenger({
    adapter,
    botAppId: botAppIdOf(config.bot),
    conversationReferences,
    graph,
    teamsAppId: config.teamsAppId,
    installAppForProactive: config.installAppForProactive,
    logger,
  });
  const bot = createBotApplication(
    {
      config,
      graph,
      roles,
      storage: { account, turnState: createTurnStateStorage(account), conversationReferences },
      proactive,
      logger,
      clock: () => new Date(),
    },
    adapter,
    capabilities,
  );
  await account.ensureTables();
  await startServer({
    adapter,
    handleTurn: bot.handleTurn,
    health: { graph, storage: account },
    logger,
    port: config.port,
    host: "0.0.0.0",
    handleSignals: true,
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`Start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
