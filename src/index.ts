import type { BotDependencies } from "./bot/bot-dependencies.js";
import { capabilities } from "./bot/capabilities.js";
import { botAppIdOf, createBotAdapter } from "./bot/create-bot-adapter.js";
import type { Bot } from "./bot/create-bot-application.js";
import { createBotApplication } from "./bot/create-bot-application.js";
import { createLogger, type Logger } from "./bot/create-logger.js";
import { createTurnStateStorage } from "./bot/create-turn-state-storage.js";
import { createProactiveMessenger } from "./bot/proactive-messenger.js";
import { type AppConfig, ConfigError, loadConfig } from "./config.js";
import { createGraphGateway } from "./graph/create-graph-gateway.js";
import { createRoleResolver } from "./roles/role-resolver.js";
import { startServer } from "./server.js";
import {
  CONVERSATION_REFERENCES_TABLE,
  ConversationReferenceRepository,
} from "./storage/conversation-reference-repository.js";
import { createStorageAccount } from "./storage/storage-account.js";

export interface RunningApp {
  url: string;
  bot: Bot;
  deps: BotDependencies;
  close(): Promise<void>;
}

/** Composition root: config → Graph → storage → roles → bot → server. Tests start the app through here too. */
export async function startApp(
  config: AppConfig,
  options: { logger?: Logger; handleSignals?: boolean; host?: string } = {},
): Promise<RunningApp> {
  const logger = options.logger ?? createLogger(config.logLevel);
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
  const deps: BotDependencies = {
    config,
    graph,
    roles,
    storage: { account, turnState: createTurnStateStorage(account), conversationReferences },
    proactive,
    logger,
    clock: () => new Date(),
  };
  const bot = createBotApplication(deps, adapter, capabilities);
  // After registration: capabilities have asked for their tables by now.
  await account.ensureTables();
  const server = await startServer({
    adapter,
    handleTurn: bot.handleTurn,
    health: { graph, storage: account },
    logger,
    port: config.port,
    host: options.host,
    handleSignals: options.handleSignals,
  });
  return { url: server.url, bot, deps, close: server.close };
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  await startApp(config, { handleSignals: true, host: "0.0.0.0" });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`Start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
