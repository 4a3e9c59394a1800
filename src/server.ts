import type { IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { Activity, CloudAdapter, TurnContext } from "botbuilder";
import type { Response as RestifyResponse } from "restify";
import type { Logger } from "./bot/create-logger.js";
import { processActivity } from "./bot/process-activity.js";
import { restifyQuietly as restify } from "./restify-quietly.js";

/** Far above any Teams activity (a few KB; a card submit with inputs, tens of KB). */
export const MAX_ACTIVITY_BYTES = 256 * 1024;
/** /healthz is unauthenticated: it must not let anyone turn requests into Graph calls. */
export const HEALTH_PROBE_TTL_MS = 30_000;

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
  /** Bodies larger than this are refused with 413 before they are read. Default MAX_ACTIVITY_BYTES. */
  maxBodyBytes?: number;
  /** How long one /healthz probe result is reused. Default HEALTH_PROBE_TTL_MS. */
  healthProbeTtlMs?: number;
  /** Time source for the health cache (tests). */
  now?: () => number;
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
  // Node's 5 s keep-alive would close idle sockets that a front end (App Service, a load balancer) or a busy client
  // is about to reuse: that request then fails with a reset. The server keeps them longer than its clients do.
  server.server.keepAliveTimeout = 65_000;
  server.server.headersTimeout = 66_000;
  const maxBodyBytes = deps.maxBodyBytes ?? MAX_ACTIVITY_BYTES;

  const inFlight = new Set<Promise<void>>();
  let isClosing = false;

  server.post("/api/messages", async (req, res) => {
    if (isClosing) {
      res.send(503, { error: "The bot is shutting down; retry on another instance" });
      return;
    }
    // Size first, before credentials and before a byte is read: an anonymous 400 MB body must cost nothing.
    const declared = declaredLength(req);
    if (declared !== undefined && declared > maxBodyBytes) {
      refuseTooLarge(req, res, logger, maxBodyBytes);
      return;
    }
    if (deps.requireAuthorization && !req.headers.authorization?.trim()) {
      logger.warn({ event: "http.unauthorized" }, "request without an Authorization header");
      res.send(401, { error: "A Bot Framework token is required" });
      return;
    }
    const encoding = String(req.headers["content-encoding"] ?? "identity").toLowerCase();
    if (encoding !== "identity") {
      // A compressed body could expand past any limit after it was counted; Teams never compresses activities.
      res.send(415, { error: "Activities must be sent uncompressed" });
      return;
    }
    const read = await readBody(req, maxBodyBytes);
    if (read.kind === "tooLarge") {
      refuseTooLarge(req, res, logger, maxBodyBytes);
      return;
    }
    if (read.kind === "aborted") return;
    let body: unknown;
    try {
      body = JSON.parse(read.text);
    } catch {
      logger.warn({ event: "http.badRequest" }, "request body is not JSON");
      res.send(400, { error: "The body must be a JSON Bot Framework activity" });
      return;
    }
    // botbuilder throws on a body without an activity type (its own 400 check comes too late), which would be a 500;
    // a field of the wrong type (an object `locale`) would fail deep inside a turn.
    const problem = activityShapeProblem(body);
    if (problem) {
      logger.warn({ event: "http.badRequest", problem }, "request body is not a well-formed activity");
      res.send(400, { error: `The body must be a Bot Framework activity: ${problem}` });
      return;
    }
    let turnStarted = false;
    const runTurn = (context: TurnContext) => {
      turnStarted = true;
      return handleTurn(context);
    };
    // processActivity rather than process(): process() answers every failure with a 500 (and console.errors it), even
    // a token it merely could not validate; here each failure gets the status it deserves.
    const authorization = String(req.headers.authorization ?? "");
    const turn = processActivity(adapter, authorization, body as Activity, runTurn).then(
      (invokeResponse) => {
        if (res.headersSent) return;
        const status = invokeResponse?.status ?? 200;
        if (invokeResponse?.body === undefined) res.send(status);
        else res.send(status, invokeResponse.body);
      },
      (error: unknown) => {
        if (res.headersSent) {
          logger.error({ err: error, event: "http.processFailed" }, "adapter failed after answering");
          return;
        }
        if (turnStarted) {
          logger.error({ err: error, event: "http.processFailed" }, "adapter failed to process a request");
          res.send(500);
          return;
        }
        // Before the turn: botbuilder was checking the token. A refused token is 401; a token it could not check (the
        // Bot Framework's signing keys out of reach) is a temporary 503, never the bot's own fault.
        const status = isAuthenticationFailure(error) ? 401 : deps.requireAuthorization ? 503 : 400;
        logger.warn({ err: error, event: "http.refusedBeforeTurn", status }, "request refused before the turn");
        if (status === 503) res.header("Retry-After", "30");
        res.send(status, {
          error:
            status === 401
              ? "The Bot Framework token was not accepted"
              : status === 503
                ? "The token cannot be validated right now; retry later"
                : "The activity could not be processed",
        });
      },
    );
    inFlight.add(turn);
    try {
      await turn;
    } finally {
      inFlight.delete(turn);
    }
  });

  const now = deps.now ?? Date.now;
  const healthTtlMs = deps.healthProbeTtlMs ?? HEALTH_PROBE_TTL_MS;
  let healthCache: { at: number; result: Promise<[ProbeResult, ProbeResult]> } | undefined;
  server.get("/healthz", async (_req, res) => {
    // One probe per TTL however often /healthz is asked; concurrent askers share the probe under way.
    if (!healthCache || now() - healthCache.at >= healthTtlMs) {
      healthCache = {
        at: now(),
        result: Promise.all([probe(health.graph, "graph", logger), probe(health.storage, "storage", logger)]),
      };
    }
    const [graph, storage] = await healthCache.result;
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

function declaredLength(req: IncomingMessage): number | undefined {
  const header = req.headers["content-length"];
  if (header === undefined) return undefined;
  const length = Number(header);
  return Number.isFinite(length) ? length : undefined;
}

/** Answers 413 and drops the connection, so the rest of the body is never received. */
function refuseTooLarge(req: IncomingMessage, res: RestifyResponse, logger: Logger, limit: number): void {
  logger.warn({ event: "http.tooLarge", limit }, "request body too large");
  res.header("Connection", "close");
  res.send(413, { error: `An activity must not exceed ${limit} bytes` });
  res.once("finish", () => req.destroy());
}

type BodyRead = { kind: "ok"; text: string } | { kind: "tooLarge" } | { kind: "aborted" };

/** Reads the body up to `limit` bytes; stops reading (and pauses the socket) the moment it is exceeded. */
function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (result: BodyRead) => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("aborted", onError);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) {
        req.pause();
        finish({ kind: "tooLarge" });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ kind: "ok", text: Buffer.concat(chunks).toString("utf8") });
    const onError = () => finish({ kind: "aborted" });
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("aborted", onError);
  });
}

const STRING_FIELDS = [
  "type",
  "id",
  "name",
  "text",
  "locale",
  "channelId",
  "serviceUrl",
  "replyToId",
  "action",
  "textFormat",
  "deliveryMode",
  "timestamp",
  "localTimestamp",
  "inputHint",
  "summary",
] as const;
const ACCOUNT_FIELDS = ["from", "recipient", "conversation"] as const;
const ACCOUNT_STRING_FIELDS = ["id", "name", "aadObjectId", "role", "conversationType", "tenantId"] as const;
const ARRAY_FIELDS = ["attachments", "entities", "membersAdded", "membersRemoved"] as const;

/**
 * Why a body is not an activity the bot can safely run (wrong types in the fields botbuilder and the bot read), or
 * undefined. Unknown fields are left alone: the Bot Framework adds fields over time.
 */
export function activityShapeProblem(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return "not an object";
  const activity = body as Record<string, unknown>;
  if (typeof activity.type !== "string" || activity.type.length === 0) return "type must be a non-empty string";
  for (const field of STRING_FIELDS) {
    const value = activity[field];
    if (value !== undefined && value !== null && typeof value !== "string") return `${field} must be a string`;
  }
  for (const field of ACCOUNT_FIELDS) {
    const value = activity[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== "object" || Array.isArray(value)) return `${field} must be an object`;
    for (const inner of ACCOUNT_STRING_FIELDS) {
      const innerValue = (value as Record<string, unknown>)[inner];
      if (innerValue !== undefined && innerValue !== null && typeof innerValue !== "string")
        return `${field}.${inner} must be a string`;
    }
  }
  for (const field of ARRAY_FIELDS) {
    const value = activity[field];
    if (value === undefined || value === null) continue;
    if (!Array.isArray(value)) return `${field} must be an array`;
    if (value.some((item) => typeof item !== "object" || item === null || Array.isArray(item)))
      return `${field} must hold objects`;
    if (field.startsWith("members")) {
      const bad = value.some((item) => {
        const id = (item as Record<string, unknown>).id;
        return id !== undefined && id !== null && typeof id !== "string";
      });
      if (bad) return `${field}[].id must be a string`;
    }
  }
  const rawChannelData = activity.channelData;
  if (rawChannelData !== undefined && rawChannelData !== null && typeof rawChannelData !== "object")
    return "channelData must be an object";
  const channelData = activity.channelData as Record<string, unknown> | undefined | null;
  const tenant = channelData?.tenant;
  if (tenant !== undefined && tenant !== null) {
    if (typeof tenant !== "object" || Array.isArray(tenant)) return "channelData.tenant must be an object";
    const tenantId = (tenant as Record<string, unknown>).id;
    if (tenantId !== undefined && tenantId !== null && typeof tenantId !== "string")
      return "channelData.tenant.id must be a string";
  }
  return undefined;
}

/** botbuilder's AuthenticationError (and JwtTokenValidation's refusals) carry statusCode 401. */
function isAuthenticationFailure(error: unknown): boolean {
  const candidate = error as { statusCode?: unknown; name?: unknown } | null;
  return candidate?.statusCode === 401 || candidate?.name === "AuthenticationError";
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
