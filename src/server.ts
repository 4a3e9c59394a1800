import type { AddressInfo } from "node:net";
import type { CloudAdapter, TurnContext } from "botbuilder";
import type { Logger } from "./bot/create-logger.js";
import { restifyQuietly as restify } from "./restify-quietly.js";

export interface ServerDependencies {
  adapter: CloudAdapter;
  /** Runs one turn (the bot's `handleTurn`). */
  handleTurn(context: TurnContext): Promise<void>;
  /** Probes reported by /healthz. */
  health: { graph: { isReachable(): Promise<boolean> }; storage: { isReachable(): Promise<boolean> } };
  logger: Logger;
  /**
   * Bot credentials are configured, so every request must carry a Bot Framework token. A request with no Authorization
   * header at all is answered 401 here: botbuilder would console.error a stack for each one, outside the log.
   */
  requireAuthorization?: boolean;
  /** 0 = a free port. */
  port: number;
  host?: string;
  /** Close gracefully on SIGTERM/SIGINT, then exit (the composition root turns this on; tests leave it off). */
  handleSignals?: boolean;
  /** How long close() waits for in-flight turns before giving up on them. */
  drainTimeoutMs?: number;
}

export interface RunningServer {
  url: string;
  /** Stops accepting requests, lets in-flight turns finish, then closes. */
  close(): Promise<void>;
}

/** restify 11 handlers must be `async (req, res)` (or take `next`); mixing the two hangs the request. */
export async function startServer(deps: ServerDependencies): Promise<RunningServer> {
  const { adapter, handleTurn, health, logger } = deps;
  const server = restify.createServer({ name: "passkey-helpdesk" });
  server.use(restify.plugins.bodyParser({ mapParams: false }));

  const inFlight = new Set<Promise<void>>();
  let isClosing = false;

  server.post("/api/messages", async (req, res) => {
    if (isClosing) {
      res.send(503, { error: "The bot is shutting down; retry on another instance" });
      return;
    }
    if (deps.requireAuthorization && !req.headers.authorization?.trim()) {
      logger.warn({ event: "http.unauthorized" }, "request without an Authorization header");
      res.send(401, { error: "A Bot Framework token is required" });
      return;
    }
    // botbuilder throws on a body without an activity type (its own 400 check comes too late), which would be a 500.
    if (!hasActivityType(req.body)) {
      logger.warn({ event: "http.badRequest" }, "request body is not an activity");
      res.send(400, { error: "The body must be a Bot Framework activity with a type" });
      return;
    }
    const turn = adapter.process(req, res, handleTurn).catch((error: unknown) => {
      logger.error({ err: error, event: "http.processFailed" }, "adapter failed to process a request");
      if (!res.headersSent) res.send(500);
    });
    inFlight.add(turn);
    try {
      await turn;
    } finally {
      inFlight.delete(turn);
    }
  });

  server.get("/healthz", async (_req, res) => {
    const [graph, storage] = await Promise.all([
      probe(health.graph, "graph", logger),
      probe(health.storage, "storage", logger),
    ]);
    const isHealthy = graph.ok && storage.ok;
    const reasons = Object.fromEntries(
      Object.entries({ graph: graph.reason, storage: storage.reason }).filter(([, reason]) => reason !== undefined),
    );
    res.send(isHealthy ? 200 : 503, {
      status: isHealthy ? "ok" : "degraded",
      graph: graph.ok,
      storage: storage.ok,
      ...(isHealthy ? {} : { reasons }),
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(deps.port, deps.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${deps.host ?? "127.0.0.1"}:${address.port}`;
  logger.info({ event: "server.listening", url }, "listening");

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      isClosing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const drained = Promise.allSettled([...inFlight]);
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, deps.drainTimeoutMs ?? 10_000).unref());
      await Promise.race([drained, timeout]);
      server.server.closeIdleConnections();
      server.server.closeAllConnections();
      await closed;
      logger.info({ event: "server.closed", abandonedTurns: inFlight.size }, "closed");
    })();
    return closing;
  };

  if (deps.handleSignals) {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      process.once(signal, () => {
        logger.info({ event: "server.shutdown", signal }, "shutting down");
        void close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      });
    }
  }

  return { url, close };
}

function hasActivityType(body: unknown): boolean {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return false;
  const type = (body as { type?: unknown }).type;
  return typeof type === "string" && type.length > 0;
}

interface ProbeResult {
  ok: boolean;
  /** Why not, in a few words: /healthz is unauthenticated, so the details go to the log. */
  reason?: string;
}

/**
 * A probe answers false when its dependency is out of reach and throws when it answered but refuses us; a 401 (the
 * app's credentials rejected) gets its own reason because restarting or waiting will not fix it.
 */
async function probe(target: { isReachable(): Promise<boolean> }, name: string, logger: Logger): Promise<ProbeResult> {
  try {
    return (await target.isReachable()) ? { ok: true } : { ok: false, reason: "not reachable" };
  } catch (error) {
    logger.warn({ err: error, event: "health.probeFailed", dependency: name }, "health probe failed");
    const status = (error as { status?: unknown } | null)?.status;
    return { ok: false, reason: status === 401 ? "credentials rejected (401)" : "probe failed" };
  }
}
