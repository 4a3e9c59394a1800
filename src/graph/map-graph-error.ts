import { GraphError as SdkGraphError } from "@microsoft/microsoft-graph-client";
import {
  AccessDeniedError,
  GraphError,
  GraphRequestError,
  GraphUnavailableError,
  NotFoundError,
  ThrottledError,
} from "./graph-errors.js";
import { type GraphCall, permissionFor } from "./graph-permissions.js";

/** A response as a `$batch` item or a raw HTTP answer carries it. */
export interface GraphFailureResponse {
  status: number;
  headers?: Record<string, string> | Headers | null;
  body?: unknown;
}

/** Graph advises a delay on 429 and sometimes on 503; without one, back off a few seconds. */
const defaultRetryAfterSeconds = 5;

/**
 * Turns whatever a failed Graph call produced (the SDK's GraphError, a failed `$batch` item, a network error) into
 * the named errors of graph-errors.ts. Branches on status and `error.code`, never on Graph's message.
 */
export function mapGraphError(failure: unknown, call: GraphCall): GraphError {
  if (failure instanceof GraphError) return failure;
  if (isRefusedTokenRequest(failure)) {
    return new AccessDeniedError(
      `${call} failed: the token endpoint refused the app's credentials (${failure.message}); check the app registration's credentials and tenant`,
      401,
      null,
      null,
      null,
    );
  }
  const response = toFailureResponse(failure);
  if (!response) {
    const detail = failure instanceof Error ? failure.message : String(failure);
    return new GraphUnavailableError(`Microsoft Graph did not answer ${call}: ${detail}`, 0, null, null);
  }
  const envelope = readErrorEnvelope(response.body);
  const { status } = response;
  const code = envelope.code;
  const requestId = envelope.requestId ?? header(response.headers, "request-id");
  // Graph's message is developer text: kept in ours for diagnosis, never branched on.
  const what = `${call} failed with ${status}${code ? ` ${code}` : ""}${envelope.message ? ` (${envelope.message})` : ""}`;
  if (status === 404) return new NotFoundError(`${what}: the object does not exist`, status, code, requestId);
  if (status === 401) {
    // A rejected token is a credentials problem (client id, secret or certificate, tenant), not a missing permission.
    return new AccessDeniedError(
      `${what}: Graph rejected the app's token; check the app registration's credentials and tenant`,
      status,
      code,
      requestId,
      null,
    );
  }
  if (status === 403) {
    const permission = permissionFor(call);
    return new AccessDeniedError(
      `${what}: the app needs the ${permission} application permission`,
      status,
      code,
      requestId,
      permission,
    );
  }
  if (status === 429) {
    const retryAfter = retryAfterSeconds(response.headers) ?? defaultRetryAfterSeconds;
    return new ThrottledError(`${what}: Graph asked to wait ${retryAfter} s`, status, code, requestId, retryAfter);
  }
  if (status >= 500 || status <= 0) {
    return new GraphUnavailableError(`${what}: Microsoft Graph is unavailable`, status, code, requestId);
  }
  return new GraphRequestError(`${what}: Graph refused the request as made`, status, code, requestId);
}

/**
 * The bearer middleware could not get a token because the identity platform (or the emulator's token endpoint)
 * refused the app's credentials: our client-credentials TokenRequestError, or @azure/identity's AuthenticationError.
 * That is no outage — retrying will not help until the secret, certificate or tenant is fixed.
 */
function isRefusedTokenRequest(failure: unknown): failure is Error {
  if (!(failure instanceof Error)) return false;
  // Thrown inside the SDK's middleware chain, it arrives wrapped in the SDK's GraphError with the original name as code.
  const name = failure instanceof SdkGraphError ? failure.code : failure.name;
  return name === "TokenRequestError" || name === "AuthenticationError";
}

export function retryAfterSeconds(headers: GraphFailureResponse["headers"]): number | null {
  const value = header(headers, "retry-after");
  if (value === null) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, (date - Date.now()) / 1000);
}

function toFailureResponse(failure: unknown): GraphFailureResponse | null {
  if (failure instanceof SdkGraphError) {
    if (failure.statusCode <= 0) return null;
    return { status: failure.statusCode, headers: failure.headers ?? null, body: parseBody(failure.body, failure) };
  }
  if (typeof failure === "object" && failure !== null && typeof (failure as { status?: unknown }).status === "number") {
    return failure as GraphFailureResponse;
  }
  return null;
}

/** The SDK keeps `error` (without the envelope) as a JSON string; a batch item keeps the whole envelope. */
function parseBody(body: unknown, failure: SdkGraphError): unknown {
  if (typeof body === "string") {
    try {
      const parsed = JSON.parse(body) as unknown;
      return typeof parsed === "object" && parsed !== null && "error" in parsed ? parsed : { error: parsed };
    } catch {
      return { error: { code: failure.code, message: failure.message } };
    }
  }
  return body;
}

function readErrorEnvelope(body: unknown): { code: string | null; message: string | null; requestId: string | null } {
  const error = (body as { error?: Record<string, unknown> } | null | undefined)?.error;
  if (!error || typeof error !== "object") return { code: null, message: null, requestId: null };
  const inner = (error.innerError ?? error.innererror) as Record<string, unknown> | undefined;
  return {
    code: typeof error.code === "string" ? error.code : null,
    message: typeof error.message === "string" ? error.message.slice(0, 300) : null,
    requestId: typeof inner?.["request-id"] === "string" ? (inner["request-id"] as string) : null,
  };
}

function header(headers: GraphFailureResponse["headers"], name: string): string | null {
  if (!headers) return null;
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name);
  const record = headers as Record<string, string>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  return key === undefined ? null : String(record[key]);
}
