import type { BotDependencies } from "../../src/bot/bot-dependencies.js";
import { capabilities } from "../../src/bot/capabilities.js";
import { createBotAdapter } from "../../src/bot/create-bot-adapter.js";
import { type Bot, createBotApplication, type RegisterCapability } from "../../src/bot/create-bot-application.js";
import { createLogger, type Logger } from "../../src/bot/create-logger.js";
import type { TurnRateLimiter } from "../../src/bot/turn-rate-limiter.js";
import { createAuthenticatorCatalog } from "../../src/capabilities/authenticators/create-authenticator-catalog.js";
import { loadConfig } from "../../src/config.js";
import type { GraphGateway } from "../../src/graph/graph-gateway.js";
import { createRoleResolver, type RoleResolver } from "../../src/roles/role-resolver.js";
import type {
  ConversationReferenceStore,
  StoredConversationReference,
} from "../../src/storage/conversation-reference-repository.js";
import { createStorageAccount } from "../../src/storage/storage-account.js";

/**
 * The real Application with every registered capability, built over dependencies that do no I/O unless called:
 * enough to inspect routes (registered verbs and commands) and run turns that need neither Azurite nor Graph. Call
 * `stop()` when done: the capabilities start background timers (sweeps, the inventory's queue check) that would go on
 * reaching the default development storage from later files in the same worker process.
 */
export function buildRegisteredBot(
  options: {
    capabilities?: readonly RegisterCapability[];
    logger?: Logger;
    roles?: RoleResolver;
    rateLimiter?: TurnRateLimiter;
  } = {},
): Bot {
  const config = loadConfig({});
  const graph = new Proxy({} as GraphGateway, {
    get: (_target, property) => () => {
      throw new Error(`Graph must not be called while routes are registered (called ${String(property)})`);
    },
  });
  const account = createStorageAccount(config.storage);
  const saved = new Map<string, StoredConversationReference>();
  const conversationReferences: ConversationReferenceStore = {
    save: async (id, reference) => void saved.set(id, reference),
    find: async (id) => saved.get(id) ?? null,
  };
  const logger = options.logger ?? createLogger("silent");
  const deps: BotDependencies = {
    config,
    graph,
    roles: options.roles ?? createRoleResolver({ directory: graph, groups: config.groups }),
    storage: { account, conversationReferences },
    proactive: { sendToUser: async () => ({ status: "delivered" }) },
    logger,
    clock: () => new Date(),
    authenticatorCatalog: createAuthenticatorCatalog(),
  };
  return createBotApplication(deps, createBotAdapter(config.bot), options.capabilities ?? capabilities, {
    rateLimiter: options.rateLimiter,
  });
}
