import type { BotDependencies } from "./bot/bot-dependencies.js";
import { capabilities } from "./bot/capabilities.js";
import { botAppIdOf, createBotAdapter } from "./bot/create-bot-adapter.js";
import type { Bot } from "./bot/create-bot-application.js";
import { createBotApplication } from "./bot/create-bot-application.js";
import { createLogger, type Logger } from "./bot/create-logger.js";
import { createProactiveMessenger } from "./bot/proactive-messenger.js";
import type { TurnRateLimiter } from "./bot/turn-rate-limiter.js";
import {
  type AuthenticatorCatalog,
  createAuthenticatorCatalog,
} from "./capabilities/authenticators/create-authenticator-catalog.js";
import {
  FIDO_MDS_URL,
  type FidoMetadataSource,
  FidoMetadataUnavailableError,
  loadFidoMetadata,
} from "./capabilities/authenticators/load-fido-metadata.js";
import { type AppConfig, ConfigError, loadConfigFromEnvironment } from "./config.js";
import { createGraphGateway } from "./graph/create-graph-gateway.js";
import { RequestScheduler } from "./graph/request-scheduler.js";
import { createRoleResolver } from "./roles/role-resolver.js";
import { startServer } from "./server.js";
import {
  CONVERSATION_REFERENCES_TABLE,
  ConversationReferenceRepository,
} from "./storage/conversation-reference-repository.js";
import { createStorageAccount } from "./storage/storage-account.js";
import { GRAPH_THROTTLE_BUDGET_TABLE, TableThrottleBudget } from "./storage/table-throttle-budget.js";

export interface RunningApp {
  url: string;
  bot: Bot;
  deps: BotDependencies;
  close(): Promise<void>;
}

/** How long start-up waits for the FIDO metadata BLOB before it goes on with the built-in catalog. */
const FIDO_METADATA_TIMEOUT_MS = 20_000;

/**
 * The authenticator catalog: the built-in list, plus the FIDO Metadata Service when FIDO_METADATA_SERVICE is on. MDS
 * failing to download or verify (or taking too long) is logged as a warning and the bot starts with the built-in list:
 * the metadata only adds names and status of rarer models, so it must never keep the help desk from starting.
 */
export async function loadAuthenticatorCatalog(
  config: Pick<AppConfig, "fidoMetadataService">,
  logger: Logger,
  load: () => Promise<FidoMetadataSource> = () => loadFidoMetadata(),
  timeoutMs = FIDO_METADATA_TIMEOUT_MS,
): Promise<AuthenticatorCatalog> {
  if (!config.fidoMetadataService) return createAuthenticatorCatalog();
  let timer: NodeJS.Timeout | undefined;
  try {
    const metadata = await Promise.race([
      load(),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () => reject(new FidoMetadataUnavailableError(FIDO_MDS_URL, `no answer within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
    logger.info({ event: "fidoMetadata.loaded" }, "FIDO Metadata Service loaded");
    return createAuthenticatorCatalog({ metadata });
  } catch (error) {
    logger.warn(
      { event: "fidoMetadata.unavailable", err: error },
      "FIDO Metadata Service not loaded; using the built-in authenticator list",
    );
    return createAuthenticatorCatalog();
  } finally {
    clearTimeout(timer);
  }
}

/** Composition root: config → Graph → storage → roles → bot → server. Tests start the app through here too. */
export async function startApp(
  config: AppConfig,
  options: {
    logger?: Logger;
    handleSignals?: boolean;
    host?: string;
    /** Replaces the FIDO MDS download (tests). */
    loadFidoMetadata?: () => Promise<FidoMetadataSource>;
    /** Per-person turn limits (tests that press far more buttons as one person than anyone would). */
    rateLimiter?: TurnRateLimiter;
  } = {},
): Promise<RunningApp> {
  if (config.bot.kind === "anonymous" && options.host && !isLoopback(options.host)) {
    throw new ConfigError(
      "BOT_ID",
      `is required to listen on ${options.host}; anonymous mode listens on 127.0.0.1 only`,
    );
  }
  const logger = options.logger ?? createLogger(config.logLevel);
  const authenticatorCatalog = await loadAuthenticatorCatalog(config, logger, options.loadFidoMetadata);
  const account = createStorageAccount(config.storage);
  // Every instance of the deployment spends the tenant's one Graph budget: leased from a shared table, not assumed.
  const scale = config.graphThrottleScale;
  const sharedBudget = new TableThrottleBudget(account.tableClient(GRAPH_THROTTLE_BUDGET_TABLE), {
    scope: `${config.graph.tenantId}_${config.graph.clientId}`,
    sizes: {
      reports: { capacity: 5 * scale, windowMs: 10_000 },
      directory: { capacity: 3_500 * scale, windowMs: 10_000 },
    },
  });
  // One scheduler for the tenant: chat (TAP and triage first) and the inventory's background jobs share its budget.
  const graphScheduler = new RequestScheduler({
    sharedBudget,
    // One storage round trip per lease: chunks grow with the buckets (the real reports bucket still leases one).
    leaseChunk: { reports: Math.max(1, Math.floor(scale)), directory: 100 * scale },
    ...(scale > 1 ? { reportsPerWindow: 5 * scale, resourceUnitsPerWindow: 3_500 * scale, maxConcurrent: 64 } : {}),
  });
  const graph = createGraphGateway({ ...config.graph, scheduler: graphScheduler });
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
    storage: { account, conversationReferences },
    proactive,
    logger,
    clock: () => new Date(),
    authenticatorCatalog,
    graphScheduler,
  };
  const bot = createBotApplication(deps, adapter, capabilities, { rateLimiter: options.rateLimiter });
  // After registration: capabilities have asked for their tables by now.
  await account.ensureTables();
  const server = await startServer({
    adapter,
    handleTurn: bot.handleTurn,
    health: { graph, storage: account },
    requireAuthorization: config.bot.kind !== "anonymous",
    logger,
    port: config.port,
    host: options.host,
    handleSignals: options.handleSignals,
  });
  const close = async () => {
    await server.close();
    bot.stop();
  };
  return { url: server.url, bot, deps, close };
}

function isLoopback(host: string): boolean {
  return host === "127.0.0.1" || host === "::1" || host === "localhost";
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfigFromEnvironment();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  // Anonymous local mode checks no token: anyone who can reach the port could act as anyone, so only this machine may.
  await startApp(config, { handleSignals: true, host: config.bot.kind === "anonymous" ? "127.0.0.1" : "0.0.0.0" });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`Start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
