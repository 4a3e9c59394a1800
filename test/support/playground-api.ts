import WebSocket from "ws";

/** A bot message as the Playground pushes it to its page. */
export interface PlaygroundMessage {
  conversationId: string;
  messageId: string;
  from: { id: string };
  text?: string;
  attachments?: Array<{ contentType: string; content?: unknown }>;
}

/**
 * The Agents Playground's own HTTP API (what its page calls), for what the page cannot do: acting as another
 * configured user. `invoke` honours `from` when that user is a member of the conversation (the group chat and the
 * team hold every configured user; the personal chat only the current one). Messages must come from the current user.
 */
export class PlaygroundApi {
  constructor(readonly baseUrl: string) {}

  /** Action.Execute as `fromUserId` (a Playground user id); returns the Playground's response (the new card). */
  async invoke(request: {
    conversationId: string;
    fromUserId: string;
    replyToId: string;
    verb: string;
    data?: Record<string, unknown>;
  }): Promise<unknown> {
    return this.post("/_conversation/v1/invoke", {
      name: "adaptiveCard/action",
      conversation: { id: request.conversationId },
      from: { id: request.fromUserId },
      replyToId: request.replyToId,
      value: { action: { type: "Action.Execute", verb: request.verb, data: request.data ?? {} } },
    });
  }

  /** A plain-text message; in a group chat or channel the bot only hears it when `mention` names the bot. */
  async sendMessage(request: {
    conversationId: string;
    fromUserId: string;
    text: string;
    mention?: { botId: string; botName: string };
  }): Promise<unknown> {
    const at = request.mention ? `<at>${request.mention.botName}</at> ` : "";
    return this.post(`/_conversation/v1/conversations/${encodeURIComponent(request.conversationId)}/messages`, {
      from: { id: request.fromUserId },
      text: `${at}${request.text}`,
      textFormat: "plain",
      ...(request.mention
        ? { mentions: [{ mentioned: { id: request.mention.botId }, text: `<at>${request.mention.botName}</at>` }] }
        : {}),
    });
  }

  /** Listens to the stream the page uses and collects every message the bot creates. */
  async openMessageStream(): Promise<PlaygroundMessageStream> {
    const url = new URL("/_ws_conversation/v1/conversations/stream", this.baseUrl);
    url.protocol = "ws:";
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    return new PlaygroundMessageStream(socket);
  }

  private async post(path: string, body: unknown): Promise<unknown> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`Playground ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : undefined;
  }
}

export class PlaygroundMessageStream {
  readonly messages: PlaygroundMessage[] = [];

  constructor(private readonly socket: WebSocket) {
    socket.on("message", (raw) => {
      const event = parse(raw.toString());
      if (event?.action === "createMessage" && event.message) {
        this.messages.push({ ...event.message, conversationId: event.actionConversationId ?? "" });
      }
    });
  }

  /** The first message (already received or still to come) that matches. */
  async waitFor(matches: (message: PlaygroundMessage) => boolean, timeoutMs = 15_000): Promise<PlaygroundMessage> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.messages.find(matches);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`No matching bot message within ${timeoutMs} ms; received ${this.messages.length}`);
  }

  close(): void {
    this.socket.close();
  }
}

function parse(
  text: string,
): { action?: string; actionConversationId?: string; message?: PlaygroundMessage } | undefined {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
