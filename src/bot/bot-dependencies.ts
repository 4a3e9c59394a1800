import type { AuthenticatorCatalog } from "../capabilities/authenticators/create-authenticator-catalog.js";
import type { AppConfig } from "../config.js";
import type { GraphGateway } from "../graph/graph-gateway.js";
import type { RequestScheduler } from "../graph/request-scheduler.js";
import type { RoleResolver } from "../roles/role-resolver.js";
import type { ConversationReferenceStore } from "../storage/conversation-reference-repository.js";
import type { StorageAccount } from "../storage/storage-account.js";
import type { Logger } from "./create-logger.js";
import type { ProactiveMessenger } from "./proactive-messenger.js";

/**
 * Storage the bot and capabilities share. Capabilities build their own repositories from `account`
 * in their register function (`new TicketRepository(deps.storage.account.tableClient("Tickets"))`); every table asked
 * for before start-up is created when the server starts.
 */
export interface BotStorage {
  account: StorageAccount;
  conversationReferences: ConversationReferenceStore;
}

/** Everything a capability's `register<Capability>(app, deps)` may use. */
export interface BotDependencies {
  config: AppConfig;
  graph: GraphGateway;
  roles: RoleResolver;
  storage: BotStorage;
  proactive: ProactiveMessenger;
  logger: Logger;
  /** The current time; injected so expiry logic is testable. */
  clock: () => Date;
  /**
   * Names and properties of authenticator models by AAGUID: the built-in list, plus the FIDO Metadata Service when
   * FIDO_METADATA_SERVICE is on (built once at start-up by the composition root).
   */
  authenticatorCatalog: AuthenticatorCatalog;
  /**
   * The tenant's request scheduler behind `graph`, for capabilities that read Graph in bulk (the inventory): sharing
   * it keeps chat ahead of background work. Absent in tests that build the bot without one.
   */
  graphScheduler?: RequestScheduler;
}
