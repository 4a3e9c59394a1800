import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What the bot sent to the Bot Connector: new activities (POST) and in-place updates (PUT). */
export interface ConnectorCall {
  method: string;
  /** The request path as sent (conversation id URL-encoded). */
  path: string;
  /** Decoded conversation id of the path. */
  conversationId: string;
  /** The activity id in the path (update or reply), else "". */
  activityId: string;
  body: Record<string, any>;
  /** The activity id the connector answered with (a new id for POST, the same id for PUT). */
  responseId: string;
}

/** A stand-in for the Bot Connector service (the bot's serviceUrl): records every call and answers with an activity id. */
export interface FakeConnector {
  url: string;
  calls: ConnectorCall[];
  close(): Promise<void>;
}

export async function startFakeConnector(
  options: {
    /** Conversations the connector answers 404 ConversationNotFound for (the user removed the app). */
    isGone?: (conversationId: string) => boolean;
  } = {},
): Promise<FakeConnector> {
  const calls: ConnectorCall[] = [];
  let next = 0;
  const server: Server = createServer((req, res) => {
    let text = "";
    req.on("data", (chunk) => {
      text += chunk;
    });
    req.on("end", () => {
      const path = req.url ?? "";
      const match = /\/v3\/conversations\/([^/]+)(?:\/activities(?:\/([^/?]+))?)?/.exec(path);
      const conversationId = decodeURIComponent(match?.[1] ?? "");
      const activityId = decodeURIComponent(match?.[2] ?? "");
      const responseId = req.method === "PUT" ? activityId : `activity-${++next}`;
      const body = JSON.parse(text || "{}");
      // A "typing" indicator (teams-ai sends one when a turn runs past a second) is not a message anyone reads: it is
      // answered like any call but not recorded, so a slow machine does not shift the calls a test reads.
      if (body.type !== "typing")
        calls.push({
          method: req.method ?? "",
          path,
          conversationId,
          activityId,
          body,
          responseId,
        });
      const isGone = options.isGone?.(conversationId) ?? false;
      res.writeHead(isGone ? 404 : 200, { "content-type": "application/json" });
      res.end(JSON.stringify(isGone ? { error: { code: "ConversationNotFound" } } : { id: responseId }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
