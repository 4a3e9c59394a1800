import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createAccessTokenIssuer } from "./access-token.js";
import { errorCodes } from "./collection-query.js";
import { handleControlRequest } from "./control-endpoints.js";
import { type EmulatorClock, systemClock } from "./emulator-clock.js";
import { createFaultInjector } from "./fault-injector.js";
import { GraphHttpError, graphErrorBody } from "./graph-http-error.js";
import { findMissingPermission } from "./graph-permissions.js";
import { matchGraphRoute, type RouteResult } from "./graph-routes.js";
import { keepTimesCurrent } from "./keep-times-current.js";
import { loadTenant } from "./load-tenant.js";
import type { TenantFile } from "./tenant-file.js";
import { createTenantState, type TenantState } from "./tenant-state.js";
import { createThrottleBuckets, resourceUnitCost, type ThrottleBucketName } from "./throttle-buckets.js";

/** One Graph request the emulator answered (batch items appear individually with their batch's id). */
export interface EmulatorRequest {
  method: string;
  /** `/v1.0/…` or `/beta/…`, without the query string. */
  path: string;
  /**
   * The path with its query string exactly as the client sent it (still percent-encoded), so a test can assert the
   * whole URL a Graph call made: `$select`, `$filter`, `$top` and all.
   */
  url: string;
  status: number;
  /** null when the request carried no valid token. */
  appId: string | null;
  bucket: ThrottleBucketName | null;
  batchId?: string;
  /** The `$filter` the call carried, as the emulator received it (decoded), for injection checks. */
  filter?: string;
}

/** Enough for every test and for a benchmark that reads its own slice of the log; bounded for 100,000-user runs. */
export const DEFAULT_REQUEST_LOG_SIZE = 20_000;

export interface StartEmulatorOptions {
  /** 0 or absent: a free port. */
  port?: number;
  /** A TenantFile or the path of one. */
  tenant: TenantFile | string;
  /** Added to every Graph response. */
  latencyMs?: number;
  /** Multiplies every throttling limit (e.g. 0.01 to hit 429s quickly). */
  throttleScale?: number;
  /** e.g. `503:0.05,slow:0.02:1500,reset:0.01` (see fault-injector.ts). */
  faults?: string;
  faultSeed?: number;
  /** Injected time source; POST /_emulator/clock/advance moves it further. */
  clock?: EmulatorClock;
  /**
   * A `rebaseTimes` tenant's own history moves with the clock, so the practice tenant answers as at capture however
   * long the emulator runs (`npm start`). Off by default: tests that move the clock usually want time to pass.
   */
  keepTimesCurrent?: boolean;
  /**
   * How many of the latest requests `requestLog` (and GET /_emulator/request-log) keeps; older ones are dropped, so a
   * long benchmark's log does not become most of the emulator's memory. Default 20,000; Infinity keeps everything.
   */
  requestLogSize?: number;
}

export interface RunningEmulator {
  baseUrl: string;
  port: number;
  tenantId: string;
  requestLog: EmulatorRequest[];
  /** Moves the emulator's clock forward (throttle buckets refill, TAPs expire). */
  advanceClock(ms: number): void;
  close(): Promise<void>;
}

interface GraphCall {
  method: string;
  version: "v1.0" | "beta";
  /** Raw path below the version, e.g. `users/a%40b.com/manager`. */
  rawPath: string;
  query: URLSearchParams;
  /** The query string as sent (`?…`, or empty), for the request log. */
  search: string;
  headers: Record<string, string | undefined>;
  body: unknown;
  app: { appId: string; displayName: string; roles: string[] };
  batchId?: string;
}

interface CallResult {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

const jsonContentType =
  "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
/** A request's place in the log: its path, and its path with the query as sent. */
function where(url: URL): { path: string; url: string } {
  return { path: url.pathname, url: `${url.pathname}${url.search}` };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function lowerHeaders(headers: Record<string, unknown> | undefined): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    result[key.toLowerCase()] = Array.isArray(value)
      ? value.join(",")
      : value === undefined
        ? undefined
        : String(value);
  }
  return result;
}

/** Starts a local Microsoft Graph on 127.0.0.1 serving the given tenant until close(). */
export async function startEmulator(options: StartEmulatorOptions): Promise<RunningEmulator> {
  let clockOffsetMs = 0;
  const baseClock = options.clock ?? systemClock;
  const clock: EmulatorClock = { now: () => baseClock.now() + clockOffsetMs };
  const tenant = loadTenant(options.tenant, clock.now());
  const state: TenantState = createTenantState(tenant, clock);
  const timeKeeper = options.keepTimesCurrent ? keepTimesCurrent(tenant, clock) : { catchUp() {} };
  const tenantId = state.tenantId;
  const tokens = createAccessTokenIssuer();
  const throttle = createThrottleBuckets({
    tenantId,
    userCount: tenant.users.length,
    scale: options.throttleScale ?? 1,
    now: () => clock.now(),
  });
  const faults = createFaultInjector(options.faults, options.faultSeed ?? 1);
  const requestLog: EmulatorRequest[] = [];
  const requestLogSize = options.requestLogSize ?? DEFAULT_REQUEST_LOG_SIZE;
  /** A ring of the latest requests: V8 trims an array's front in place, so shift() here costs no copy. */
  const record = (entry: EmulatorRequest) => {
    requestLog.push(entry);
    while (requestLog.length > requestLogSize) requestLog.shift();
  };
  let baseUrl = "";

  const tenantAliases = new Set([
    tenantId.toLowerCase(),
    ...tenant.organization.verifiedDomains.map((domain) => domain.name.toLowerCase()),
  ]);

  const envelope = (error: GraphHttpError, requestId: string, clientRequestId: string): CallResult => ({
    status: error.status,
    headers: { ...error.headers },
    body: graphErrorBody(error, { nowMs: clock.now(), requestId, clientRequestId }),
  });

  /** Authorizes, throttles and answers one Graph call (a top-level request or one batch item). */
  const executeGraphCall = (call: GraphCall, requestId: string, clientRequestId: string): CallResult => {
    const logEntry: EmulatorRequest = {
      method: call.method,
      path: `/${call.version}/${call.rawPath}`,
      url: `/${call.version}/${call.rawPath}${call.search}`,
      status: 0,
      appId: call.app.appId,
      bucket: null,
      ...(call.batchId ? { batchId: call.batchId } : {}),
      ...(call.query.has("$filter") ? { filter: call.query.get("$filter") as string } : {}),
    };
    record(logEntry);
    const finish = (result: CallResult) => {
      logEntry.status = result.status;
      return result;
    };
    let segments: string[];
    try {
      segments = call.rawPath
        .split("/")
        .filter(Boolean)
        .map((segment) => decodeURIComponent(segment));
    } catch {
      return finish(
        envelope(new GraphHttpError(400, "BadRequest", "The request URL is not valid."), requestId, clientRequestId),
      );
    }
    const match = matchGraphRoute(call.method, segments);
    if (!match) {
      const segment = segments[segments.length - 1] ?? "";
      return finish(
        envelope(
          new GraphHttpError(400, "BadRequest", `Resource not found for the segment '${segment}'.`),
          requestId,
          clientRequestId,
        ),
      );
    }
    if ("methodNotAllowed" in match) {
      return finish(
        envelope(
          new GraphHttpError(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target."),
          requestId,
          clientRequestId,
        ),
      );
    }
    const { route, params } = match;
    logEntry.bucket = route.bucket;
    if (route.betaOnly && call.version === "v1.0") {
      const error = call.batchId
        ? new GraphHttpError(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.")
        : new GraphHttpError(
            400,
            "BadRequest",
            `Resource not found for the segment '${segments[segments.length - 1]}'.`,
          );
      return finish(envelope(error, requestId, clientRequestId));
    }
    const missing = findMissingPermission(route.id, call.app.roles);
    if (missing) {
      const code = errorCodes[route.family].forbidden;
      const message =
        code === "accessDenied" ? "Request Authorization failed" : "Insufficient privileges to complete the operation.";
      return finish(
        envelope(
          new GraphHttpError(403, code, message, [
            {
              code: "MissingApplicationPermission",
              message: `The application needs the ${missing} application permission (or a higher one) for ${route.method} ${route.pattern}.`,
              target: missing,
            },
          ]),
          requestId,
          clientRequestId,
        ),
      );
    }
    const decision = throttle.take({
      appId: call.app.appId,
      bucket: route.bucket,
      resourceUnits: resourceUnitCost(route.baseCost, call.query),
      isWrite: route.method !== "GET",
    });
    if (!decision.allowed) {
      return finish(
        envelope(
          new GraphHttpError(429, "TooManyRequests", "Please retry again later.", [], decision.headers),
          requestId,
          clientRequestId,
        ),
      );
    }
    const requestUrl = `${baseUrl}/${call.version}/${call.rawPath.replace(/\/+$/, "")}`;
    let result: RouteResult;
    try {
      result = route.handle({
        method: call.method,
        version: call.version,
        params,
        query: call.query,
        headers: call.headers,
        body: call.body,
        app: call.app,
        baseUrl,
        requestUrl,
        state,
      });
    } catch (error) {
      if (!(error instanceof GraphHttpError)) throw error;
      const failed = envelope(error, requestId, clientRequestId);
      return finish({ ...failed, headers: { ...decision.headers, ...failed.headers } });
    }
    return finish({
      status: result.status,
      headers: { ...decision.headers, ...(result.headers ?? {}) },
      body: result.body,
    });
  };

  const executeBatch = (call: GraphCall, requestId: string, clientRequestId: string): CallResult => {
    const fail = (message: string) =>
      envelope(new GraphHttpError(400, "BadRequest", message), requestId, clientRequestId);
    const requests = (call.body as { requests?: unknown } | null)?.requests;
    if (!Array.isArray(requests)) return fail("Invalid batch payload format.");
    if (requests.length > 20) return fail("Number of batch request steps exceeds the maximum of 20.");
    const seen = new Set<string>();
    for (const item of requests as Array<Record<string, unknown>>) {
      if (!item || typeof item !== "object") return fail("Invalid batch payload format.");
      if (typeof item.id !== "string" || item.id === "")
        return fail("Batch request step is missing the required 'id' property.");
      if (seen.has(item.id.toLowerCase())) return fail(`Batch request contains duplicate id '${item.id}'.`);
      seen.add(item.id.toLowerCase());
      if (
        typeof item.method !== "string" ||
        !["GET", "POST", "PATCH", "PUT", "DELETE"].includes(item.method.toUpperCase())
      ) {
        return fail(`Invalid method for request id ${item.id}.`);
      }
      if (typeof item.url !== "string" || /^[a-z]+:\/\//i.test(item.url)) {
        return fail(`Invalid request URL for request id ${item.id}: the url must be relative.`);
      }
      const itemHeaders = lowerHeaders(item.headers as Record<string, unknown> | undefined);
      if (item.body !== undefined && !itemHeaders["content-type"]) {
        return fail(`Write request id : ${item.id} does not contain Content-Type header or body.`);
      }
      if (item.dependsOn !== undefined && !Array.isArray(item.dependsOn))
        return fail(`Invalid dependsOn for request id ${item.id}.`);
    }
    const byId = new Map(
      (requests as Array<Record<string, unknown>>).map((item) => [String(item.id).toLowerCase(), item]),
    );
    for (const item of byId.values()) {
      for (const dependency of (item.dependsOn as string[] | undefined) ?? []) {
        if (!byId.has(String(dependency).toLowerCase()))
          return fail(`Request id ${item.id} depends on unknown id '${dependency}'.`);
      }
    }
    const results = new Map<string, { id: string; status: number; headers: Record<string, string>; body?: unknown }>();
    const inProgress = new Set<string>();
    const batchId = randomUUID();
    const run = (item: Record<string, unknown>): number => {
      const key = String(item.id).toLowerCase();
      const done = results.get(key);
      if (done) return done.status;
      if (inProgress.has(key))
        throw new GraphHttpError(400, "BadRequest", `Batch dependsOn contains a cycle at id ${item.id}.`);
      inProgress.add(key);
      const failedDependency = ((item.dependsOn as string[] | undefined) ?? []).find((dependency) => {
        const status = run(byId.get(String(dependency).toLowerCase()) as Record<string, unknown>);
        return status < 200 || status >= 300;
      });
      if (failedDependency !== undefined) {
        results.set(key, {
          id: String(item.id),
          status: 424,
          headers: { "Content-Type": "application/json" },
          body: graphErrorBody(
            new GraphHttpError(424, "FailedDependency", `The dependent request '${failedDependency}' failed.`),
            {
              nowMs: clock.now(),
              requestId: randomUUID(),
              clientRequestId,
            },
          ),
        });
        return 424;
      }
      const url = new URL(String(item.url).replace(/^\/?/, "/"), "http://batch.invalid");
      const itemHeaders = lowerHeaders(item.headers as Record<string, unknown> | undefined);
      const result = executeGraphCall(
        {
          method: String(item.method).toUpperCase(),
          version: call.version,
          rawPath: url.pathname.slice(1),
          query: url.searchParams,
          search: url.search,
          headers: itemHeaders,
          body: item.body,
          app: call.app,
          batchId,
        },
        randomUUID(),
        itemHeaders["client-request-id"] ?? clientRequestId,
      );
      const headers: Record<string, string> = { ...result.headers };
      if (result.body !== undefined) headers["Content-Type"] = jsonContentType;
      results.set(key, {
        id: String(item.id),
        status: result.status,
        headers,
        ...(result.body !== undefined ? { body: result.body } : {}),
      });
      return result.status;
    };
    try {
      for (const item of byId.values()) run(item);
    } catch (error) {
      if (error instanceof GraphHttpError) return envelope(error, requestId, clientRequestId);
      throw error;
    }
    // Graph does not keep request order; answering in reverse makes clients correlate by id.
    return { status: 200, headers: {}, body: { responses: [...results.values()].reverse() } };
  };

  const send = (response: ServerResponse, status: number, headers: Record<string, string>, body?: unknown) => {
    if (response.headersSent || response.destroyed) return;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    response.writeHead(status, {
      ...headers,
      ...(payload !== undefined ? { "Content-Type": headers["Content-Type"] ?? jsonContentType } : {}),
    });
    response.end(payload);
  };

  const handleToken = async (request: IncomingMessage, response: ServerResponse, tenantSegment: string) => {
    const correlation = randomUUID();
    const aadError = (status: number, error: string, code: number, description: string) =>
      send(
        response,
        status,
        { "Content-Type": "application/json; charset=utf-8" },
        {
          error,
          error_description: `AADSTS${code}: ${description} Trace ID: ${correlation} Correlation ID: ${correlation} Timestamp: ${new Date(clock.now()).toISOString().replace("T", " ").slice(0, 19)}Z`,
          error_codes: [code],
          timestamp: `${new Date(clock.now()).toISOString().replace("T", " ").slice(0, 19)}Z`,
          trace_id: correlation,
          correlation_id: correlation,
          error_uri: `https://login.microsoftonline.com/error?code=${code}`,
        },
      );
    if (request.method !== "POST")
      return aadError(405, "invalid_request", 900561, "The endpoint only accepts POST requests.");
    if (!tenantAliases.has(tenantSegment.toLowerCase())) {
      return aadError(400, "invalid_request", 90002, `Tenant '${tenantSegment}' not found.`);
    }
    const form = new URLSearchParams(await readBody(request));
    let clientId = form.get("client_id");
    let clientSecret = form.get("client_secret");
    const basic = /^Basic\s+(.+)$/i.exec(request.headers.authorization ?? "");
    if (basic) {
      const [id, secret] = Buffer.from(basic[1] as string, "base64")
        .toString("utf8")
        .split(":");
      clientId = decodeURIComponent(id ?? "");
      clientSecret = decodeURIComponent(secret ?? "");
    }
    if (form.get("grant_type") !== "client_credentials") {
      return aadError(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
    }
    const scope = form.get("scope") ?? "";
    if (scope !== "https://graph.microsoft.com/.default" && scope !== "00000003-0000-0000-c000-000000000000/.default") {
      return aadError(
        400,
        "invalid_scope",
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    const application = tenant.applications.find((app) => app.appId.toLowerCase() === (clientId ?? "").toLowerCase());
    if (!application) {
      return aadError(
        400,
        "invalid_client",
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant.organization.displayName}'.`,
      );
    }
    if (application.clientSecret !== clientSecret) {
      return aadError(
        401,
        "invalid_client",
        7000215,
        "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app.",
      );
    }
    const nowSeconds = Math.floor(clock.now() / 1000);
    const lifetime = 3599;
    const accessToken = tokens.issue({
      aud: "https://graph.microsoft.com",
      iss: `https://sts.windows.net/${tenantId}/`,
      iat: nowSeconds,
      nbf: nowSeconds,
      exp: nowSeconds + lifetime,
      tid: tenantId,
      appid: application.appId,
      app_displayname: application.displayName,
      idtyp: "app",
      roles: application.applicationPermissions,
      ver: "1.0",
    });
    send(
      response,
      200,
      { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store, no-cache" },
      {
        token_type: "Bearer",
        expires_in: lifetime,
        ext_expires_in: lifetime,
        access_token: accessToken,
      },
    );
  };

  const openIdConfiguration = (tenantSegment: string) => ({
    token_endpoint: `${baseUrl}/${tenantId}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
    jwks_uri: `${baseUrl}/${tenantId}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: `${baseUrl}/${tenantId}/v2.0`,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${baseUrl}/${tenantSegment}/oauth2/v2.0/authorize`,
    tenant_region_scope: "EU",
    cloud_instance_name: "microsoftonline.com",
    msgraph_host: baseUrl.replace(/^https?:\/\//, ""),
  });

  const handleGraph = async (
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    requestId: string,
    clientRequestId: string,
  ) => {
    const standardHeaders = { "request-id": requestId, "client-request-id": clientRequestId, "OData-Version": "4.0" };
    const version = url.pathname.startsWith("/beta/") ? "beta" : "v1.0";
    const rawPath = url.pathname.slice(version.length + 2);
    const fault = faults.next();
    if (fault?.kind === "reset") {
      request.socket.destroy();
      record({ method: request.method ?? "GET", ...where(url), status: 0, appId: null, bucket: null });
      return;
    }
    if (fault?.kind === "slow") await sleep(fault.delayMs);
    if (options.latencyMs) await sleep(options.latencyMs);
    if (fault?.kind === "status") {
      record({
        method: request.method ?? "GET",
        ...where(url),
        status: fault.status,
        appId: null,
        bucket: null,
      });
      const failed = envelope(
        new GraphHttpError(
          fault.status,
          fault.status === 503 ? "serviceNotAvailable" : "generalException",
          fault.status === 503 ? "Service unavailable. Please try again later." : "An unexpected error occurred.",
          [],
          // An injected 429 is a throttling storm: Graph names the wait, as it does for a real one (graph.md §2.3).
          fault.status === 503 || fault.status === 429 ? { "Retry-After": "1" } : {},
        ),
        requestId,
        clientRequestId,
      );
      return send(response, failed.status, { ...standardHeaders, ...failed.headers }, failed.body);
    }
    const rawBody = await readBody(request);
    const headers = lowerHeaders(request.headers as Record<string, unknown>);
    const check = tokens.verify(headers.authorization, tenantId, Math.floor(clock.now() / 1000));
    if (!check.ok) {
      record({ method: request.method ?? "GET", ...where(url), status: 401, appId: null, bucket: null });
      const message = {
        missing: "Access token is empty.",
        malformed: "IDX14100: JWT is not well formed, there are no dots (.).",
        signature: "Access token validation failure. Invalid signature.",
        expired: "Lifetime validation failed, the token is expired.",
        audience: "Access token validation failure. Invalid audience.",
        tenant: "Access token validation failure. Invalid tenant.",
      }[check.reason];
      const failed = envelope(
        new GraphHttpError(401, "InvalidAuthenticationToken", message),
        requestId,
        clientRequestId,
      );
      return send(
        response,
        401,
        {
          ...standardHeaders,
          "WWW-Authenticate":
            'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
        },
        failed.body,
      );
    }
    let body: unknown;
    if (rawBody.trim() !== "") {
      try {
        body = JSON.parse(rawBody);
      } catch {
        const failed = envelope(
          new GraphHttpError(
            400,
            "BadRequest",
            "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
          ),
          requestId,
          clientRequestId,
        );
        return send(response, 400, standardHeaders, failed.body);
      }
    }
    const call: GraphCall = {
      method: request.method ?? "GET",
      version,
      rawPath,
      query: url.searchParams,
      search: url.search,
      headers,
      body,
      app: { appId: check.claims.appid, displayName: check.claims.app_displayname, roles: check.claims.roles },
    };
    const result =
      rawPath === "$batch" && call.method === "POST"
        ? executeBatch(call, requestId, clientRequestId)
        : executeGraphCall(call, requestId, clientRequestId);
    send(response, result.status, { ...standardHeaders, ...result.headers }, result.body);
  };

  const server = createServer(async (request, response) => {
    const requestId = randomUUID();
    const clientRequestId = request.headers["client-request-id"]?.toString() ?? requestId;
    try {
      timeKeeper.catchUp();
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      const segments = url.pathname.split("/").filter(Boolean);
      if (segments[0] === "_emulator") {
        const result = await handleControlRequest(
          { method: request.method ?? "GET", path: segments.slice(1), body: await readBody(request) },
          {
            state,
            requestLog,
            resetThrottling: () => throttle.reset(),
            advanceClock: (ms) => {
              clockOffsetMs += ms;
            },
            now: () => clock.now(),
          },
        );
        return send(response, result.status, {}, result.body);
      }
      if (segments[0] === "v1.0" || segments[0] === "beta") {
        return await handleGraph(request, response, url, requestId, clientRequestId);
      }
      if (segments.length === 4 && segments[1] === "oauth2" && segments[2] === "v2.0" && segments[3] === "token") {
        return await handleToken(request, response, segments[0] as string);
      }
      if (
        segments.length === 4 &&
        segments[1] === "v2.0" &&
        segments[2] === ".well-known" &&
        segments[3] === "openid-configuration"
      ) {
        return send(response, 200, {}, openIdConfiguration(segments[0] as string));
      }
      send(
        response,
        404,
        { "request-id": requestId },
        graphErrorBody(new GraphHttpError(404, "NotFound", "The requested path is not served by the Graph emulator."), {
          nowMs: clock.now(),
          requestId,
          clientRequestId,
        }),
      );
    } catch (error) {
      send(
        response,
        500,
        { "request-id": requestId },
        graphErrorBody(new GraphHttpError(500, "generalException", (error as Error).message), {
          nowMs: clock.now(),
          requestId,
          clientRequestId,
        }),
      );
    }
  });
  // Clients keep connections open between paced requests; a 5 s server-side idle close (Node's default) races a
  // client reusing the socket on a loaded machine and surfaces as "fetch failed". Graph's front end keeps them longer.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  // Node closes an idle keep-alive socket after 5 s; a client under load may pick that socket for its next request
  // at that very moment and get "fetch failed" (a reset) instead of an answer. Clients (undici: 4 s) let go first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    port,
    tenantId,
    requestLog,
    advanceClock: (ms) => {
      clockOffsetMs += ms;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
