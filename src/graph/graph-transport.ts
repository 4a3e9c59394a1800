import type { TokenCredential } from "@azure/identity";
import { Client, type Context, HTTPMessageHandler, type Middleware } from "@microsoft/microsoft-graph-client";

export type GraphVersion = "v1.0" | "beta";

/** One Graph request. `url` is relative to the version root, starts with '/', and carries an encoded query string. */
export interface GraphHttpRequest {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  version: GraphVersion;
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Sends one request; resolves with the parsed body, rejects with the Graph SDK's error (see map-graph-error.ts). */
export type GraphTransport = (request: GraphHttpRequest) => Promise<unknown>;

/** Not a Graph answer: the service did not respond in time. */
export class GraphTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`Microsoft Graph must answer within ${timeoutMs} ms`);
    this.name = "GraphTimeoutError";
  }
}

/**
 * Puts the bearer token on every request and bounds how long a request may take. Replaces the SDK's
 * AuthenticationHandler, which attaches tokens only to https Graph hosts (the emulator is http on 127.0.0.1), and
 * leaves out its RetryHandler on purpose: retries after 429 belong to the request scheduler, which pauses the whole
 * throttling bucket instead of retrying one request blindly.
 */
class BearerTokenMiddleware implements Middleware {
  private next: Middleware | undefined;

  constructor(
    private readonly credential: TokenCredential,
    private readonly scope: string,
    private readonly timeoutMs: number,
  ) {}

  async execute(context: Context): Promise<void> {
    const token = await this.credential.getToken(this.scope);
    if (!token) throw new Error("The credential must return an access token for Microsoft Graph");
    const headers = new Headers(context.options?.headers as HeadersInit | undefined);
    headers.set("Authorization", `Bearer ${token.token}`);
    context.options = {
      ...context.options,
      headers,
      signal: AbortSignal.timeout(this.timeoutMs),
    } as Context["options"];
    try {
      await this.next?.execute(context);
    } catch (error) {
      if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
        throw new GraphTimeoutError(this.timeoutMs);
      }
      throw error;
    }
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

export function createGraphTransport(options: {
  /** `https://graph.microsoft.com` or the emulator's `http://127.0.0.1:<port>`. */
  baseUrl: string;
  credential: TokenCredential;
  timeoutMs?: number;
}): GraphTransport {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const scope = "https://graph.microsoft.com/.default";
  const client = Client.initWithMiddleware({
    baseUrl: `${baseUrl}/`,
    defaultVersion: "v1.0",
    middleware: [
      new BearerTokenMiddleware(options.credential, scope, options.timeoutMs ?? 30_000),
      new HTTPMessageHandler(),
    ],
  });
  return async (request) => {
    const call = client.api(request.url).version(request.version);
    if (request.headers) call.headers(request.headers);
    switch (request.method) {
      case "GET":
        return call.get();
      case "POST":
        return call.post(request.body ?? {});
      case "PATCH":
        return call.patch(request.body ?? {});
      case "DELETE":
        return call.delete();
    }
  };
}

/**
 * Turns an absolute `@odata.nextLink` into a request, keeping its path and query exactly as Graph wrote them. The
 * link must point at the same service the gateway talks to: a token is never sent anywhere else.
 */
export function requestFromLink(link: string, baseUrl: string): GraphHttpRequest {
  const target = new URL(link);
  const base = new URL(baseUrl);
  if (target.origin !== base.origin) throw new Error(`A nextLink must stay on ${base.origin}, not ${target.origin}`);
  const match = /^\/(v1\.0|beta)(\/.*)$/.exec(target.pathname);
  if (!match) throw new Error(`A nextLink must name a Graph version: ${target.pathname}`);
  return { method: "GET", version: match[1] as GraphVersion, url: `${match[2]}${target.search}` };
}
