import type { Activity, CloudAdapter, ConversationReference } from "botbuilder";
import type { GraphGateway } from "../graph/graph-gateway.js";
import type { ConversationReferenceStore } from "../storage/conversation-reference-repository.js";
import type { Logger } from "./create-logger.js";

export type ProactiveResult =
  | { status: "delivered" }
  /** The app is being installed for the user; their conversation reference arrives with Teams' install event. */
  | { status: "pendingInstall"; reason: string }
  /**
   * Nobody can be reached: `reason` is for logs, `instructionKey` (locale key, `{name}` parameter) tells the sender what
   * the recipient must do.
   */
  | { status: "notReachable"; reason: string; instructionKey: string };

export interface ProactiveMessenger {
  /** Sends an activity to the user's personal chat with the bot. Never throws for an unreachable user. */
  sendToUser(aadObjectId: string, activity: Partial<Activity>): Promise<ProactiveResult>;
}

export interface ProactiveMessengerOptions {
  adapter: CloudAdapter;
  /** The bot's Microsoft App ID; "" in anonymous local mode. */
  botAppId: string;
  conversationReferences: ConversationReferenceStore;
  graph: Pick<GraphGateway, "installAppForUser">;
  teamsAppId: string;
  installAppForProactive: boolean;
  logger: Logger;
}

export function createProactiveMessenger(options: ProactiveMessengerOptions): ProactiveMessenger {
  const { adapter, botAppId, conversationReferences, graph, teamsAppId, installAppForProactive, logger } = options;

  return {
    async sendToUser(aadObjectId, activity) {
      const reference = await conversationReferences.find(aadObjectId);
      if (reference) {
        try {
          await adapter.continueConversationAsync(
            botAppId,
            reference as Partial<ConversationReference>,
            async (context) => {
              await context.sendActivity(activity);
            },
          );
          logger.info({ event: "proactive.delivered", recipient: aadObjectId }, "proactive message delivered");
          return { status: "delivered" };
        } catch (error) {
          const status = (error as { statusCode?: number }).statusCode;
          // 403/404 from the connector: the user removed the app or the conversation is gone.
          if (status !== 403 && status !== 404) throw error;
          logger.warn(
            { event: "proactive.conversationGone", recipient: aadObjectId, status },
            "stored conversation is gone",
          );
        }
      }
      if (installAppForProactive) {
        await graph.installAppForUser(aadObjectId, teamsAppId);
        logger.info({ event: "proactive.installRequested", recipient: aadObjectId }, "app install requested");
        return {
          status: "pendingInstall",
          reason: "The app was installed for the user; Teams has not opened the chat yet",
        };
      }
      return {
        status: "notReachable",
        reason: reference
          ? "The user's chat with the bot no longer exists and installing for them is switched off"
          : "The user has never opened the bot and installing for them is switched off",
        instructionKey: "common.proactiveNotInstalled",
      };
    },
  };
}
