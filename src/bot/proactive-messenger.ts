import type { Activity, CloudAdapter, ConversationReference } from "botbuilder";
import { GraphError } from "../graph/graph-errors.js";
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
  /** Sends a new message to the user's personal chat with the bot. Never throws for an unreachable user. */
  sendToUser(aadObjectId: string, activity: Partial<Activity>): Promise<ProactiveResult>;
}

export interface ProactiveMessengerOptions {
  adapter: CloudAdapter;
  /** The bot's Microsoft App ID; "" in anonymous local mode. */
  botAppId: string;
  conversationReferences: ConversationReferenceStore;
  graph: Pick<GraphGateway, "installAppForUser" | "isAppInstalledForUser">;
  teamsAppId: string;
  installAppForProactive: boolean;
  logger: Logger;
}

/** The recipient must add (or open) the app themselves before anyone can reach them. */
const OPEN_THE_APP = "common.proactiveNotInstalled";

export function createProactiveMessenger(options: ProactiveMessengerOptions): ProactiveMessenger {
  const { adapter, botAppId, conversationReferences, graph, teamsAppId, installAppForProactive, logger } = options;

  /** "delivered", "gone" (403/404: the user removed the app or the conversation no longer exists); anything else throws. */
  async function send(
    aadObjectId: string,
    reference: Partial<ConversationReference>,
    activity: Partial<Activity>,
  ): Promise<"delivered" | "gone"> {
    let failure: unknown;
    const conversation: Partial<ConversationReference> = { ...reference, activityId: undefined };
    await adapter.continueConversationAsync(botAppId, conversation, async (context) => {
      // botbuilder makes every send a reply (replyToId = the stored activityId, or the id of its own made-up
      // continuation event), which goes to /activities/<id>; a proactive message is a new message in the chat.
      context.onSendActivities(async (_context, activities, next) => {
        for (const outgoing of activities) delete outgoing.replyToId;
        return next();
      });
      // Caught here: the adapter's onTurnError would swallow it (and answer the gone chat with an error card).
      try {
        await context.sendActivity(activity);
      } catch (error) {
        failure = error;
      }
    });
    if (failure === undefined) return "delivered";
    const status = (failure as { statusCode?: number }).statusCode;
    if (status !== 403 && status !== 404) throw failure;
    logger.warn({ event: "proactive.conversationGone", recipient: aadObjectId, status }, "stored conversation is gone");
    return "gone";
  }

  async function install(aadObjectId: string, hadReference: boolean): Promise<ProactiveResult> {
    try {
      // The install call treats 409 "already installed" as success, so ask first: Teams sends no new install event then.
      if (await graph.isAppInstalledForUser(aadObjectId, teamsAppId)) {
        logger.warn({ event: "proactive.installedButUnreachable", recipient: aadObjectId }, "app installed, no chat");
        return {
          status: "notReachable",
          reason: hadReference
            ? "The app is installed for the user but their chat with the bot no longer exists; they must open the bot"
            : "The app is installed for the user but the bot never learned their chat; they must open the bot",
          instructionKey: OPEN_THE_APP,
        };
      }
      await graph.installAppForUser(aadObjectId, teamsAppId);
    } catch (error) {
      // Throttling and outages still throw: they are Graph's state, not the recipient's, and worth a retry.
      if (!(error instanceof GraphError) || error.status < 400 || error.status >= 500 || error.status === 429)
        throw error;
      logger.warn(
        { event: "proactive.installFailed", recipient: aadObjectId, status: error.status, err: error },
        "installing the app for the user failed",
      );
      return {
        status: "notReachable",
        reason: `Installing the app for the user failed (${error.status} ${error.name}): ${error.message}`,
        instructionKey: OPEN_THE_APP,
      };
    }
    logger.info({ event: "proactive.installRequested", recipient: aadObjectId }, "app install requested");
    return {
      status: "pendingInstall",
      reason: "The app was installed for the user; Teams has not opened the chat yet",
    };
  }

  return {
    async sendToUser(aadObjectId, activity) {
      const reference = await conversationReferences.find(aadObjectId);
      if (reference) {
        const outcome = await send(aadObjectId, reference as Partial<ConversationReference>, activity);
        if (outcome === "delivered") {
          logger.info({ event: "proactive.delivered", recipient: aadObjectId }, "proactive message delivered");
          return { status: "delivered" };
        }
      }
      if (installAppForProactive) return install(aadObjectId, reference !== null);
      return {
        status: "notReachable",
        reason: reference
          ? "The user's chat with the bot no longer exists and installing for them is switched off"
          : "The user has never opened the bot and installing for them is switched off",
        instructionKey: OPEN_THE_APP,
      };
    },
  };
}
