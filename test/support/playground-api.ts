/**
 * The Agents Playground's own HTTP API (what its page calls), for what the page cannot do: acting as another
 * configured user. `invoke` and `submit` honour `from`; messages always come from the current user.
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

  /** A message from the current user into a conversation. */
  async sendMessage(conversationId: string, text: string): Promise<unknown> {
    return this.post(`/_conversation/v1/conversations/${encodeURIComponent(conversationId)}/messages`, {
      from: { id: "current-user" },
      text,
      textFormat: "plain",
    });
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
