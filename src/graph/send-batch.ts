import type { GraphCall } from "./graph-permissions.js";
import type { GraphTransport } from "./graph-transport.js";
import type { GraphFailureResponse } from "./map-graph-error.js";
import { mapGraphError, retryAfterSeconds } from "./map-graph-error.js";

/** One request inside a JSON `$batch` (graph.md §2.5). `url` is relative to the batch's version root. */
export interface BatchRequest {
  id: string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

export interface BatchResponse extends GraphFailureResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A batch that Graph would reject as a whole (400/405) is refused before it is sent. */
export class InvalidBatchError extends Error {
  constructor(rule: string) {
    super(rule);
    this.name = "InvalidBatchError";
  }
}

export const maxBatchSize = 20;

export interface SendBatchOptions {
  /** POSTs one chunk (≤ 20 requests) to `/$batch` and returns its `responses`. */
  post: (requests: BatchRequest[]) => Promise<BatchResponse[]>;
  /**
   * Called before throttled items are sent again, with the longest Retry-After they advised; the gateway pauses the
   * scheduler's buckets here, so the retry waits in the queue rather than in a sleep.
   */
  beforeRetry?: (throttled: BatchResponse[], retryAfterSeconds: number) => void | Promise<void>;
  /** Rounds of retrying throttled items; after that their 429 is returned to the caller. */
  maxRetries?: number;
}

/**
 * Sends any number of requests as v1.0 `$batch` chunks of 20 and returns every response by request id. Responses are
 * correlated by id (Graph does not keep order). Items answered 429 are retried after their advised Retry-After,
 * together with the items that failed 424 because they depended on them. A dependency on an item in an earlier
 * chunk is resolved here: the dependent is sent only if that item succeeded, else it gets a 424 like Graph gives.
 */
export async function sendBatch(
  requests: BatchRequest[],
  options: SendBatchOptions,
): Promise<Map<string, BatchResponse>> {
  validate(requests);
  const results = new Map<string, BatchResponse>();
  for (let start = 0; start < requests.length; start += maxBatchSize) {
    const chunk = requests.slice(start, start + maxBatchSize);
    await sendChunk(chunk, results, options);
  }
  return results;
}

async function sendChunk(chunk: BatchRequest[], results: Map<string, BatchResponse>, options: SendBatchOptions) {
  const key = (id: string) => id.toLowerCase();
  const inChunk = new Set(chunk.map((request) => key(request.id)));
  let pending: BatchRequest[] = [];
  for (const request of chunk) {
    const earlier = (request.dependsOn ?? []).filter((id) => !inChunk.has(key(id)));
    const failedEarlier = earlier.find((id) => !isSuccess(results.get(key(id))));
    if (failedEarlier !== undefined) {
      results.set(key(request.id), failedDependency(request.id));
      continue;
    }
    const dependsOn = (request.dependsOn ?? []).filter((id) => inChunk.has(key(id)));
    pending.push({ ...request, dependsOn: dependsOn.length > 0 ? dependsOn : undefined });
  }
  const maxRetries = options.maxRetries ?? 3;
  for (let round = 0; pending.length > 0; round++) {
    const responses = await options.post(pending.map(stripUndefined));
    const byId = new Map(responses.map((response) => [key(String(response.id)), response]));
    for (const request of pending) {
      results.set(
        key(request.id),
        byId.get(key(request.id)) ?? { id: request.id, status: 0, body: { error: { code: "MissingBatchResponse" } } },
      );
    }
    if (round >= maxRetries) break;
    const throttled = pending.filter((request) => results.get(key(request.id))?.status === 429);
    if (throttled.length === 0) break;
    const retryIds = new Set(throttled.map((request) => key(request.id)));
    // Dependents of a throttled item failed with 424 only because of it: send them again too.
    for (const request of pending) {
      if (
        results.get(key(request.id))?.status === 424 &&
        (request.dependsOn ?? []).some((id) => retryIds.has(key(id)))
      ) {
        retryIds.add(key(request.id));
      }
    }
    const throttledResponses = throttled.map((request) => results.get(key(request.id)) as BatchResponse);
    const wait = Math.max(0, ...throttledResponses.map((response) => retryAfterSeconds(response.headers) ?? 1));
    await options.beforeRetry?.(throttledResponses, wait);
    pending = pending
      .filter((request) => retryIds.has(key(request.id)))
      .map((request) => {
        const dependsOn = (request.dependsOn ?? []).filter((id) => retryIds.has(key(id)));
        return { ...request, dependsOn: dependsOn.length > 0 ? dependsOn : undefined };
      });
  }
}

function validate(requests: BatchRequest[]): void {
  const seen = new Set<string>();
  for (const request of requests) {
    const id = request.id.toLowerCase();
    if (seen.has(id))
      throw new InvalidBatchError(`Batch request ids must be unique (case-insensitive): '${request.id}'`);
    seen.add(id);
    if (!request.url.startsWith("/") || /^\/(beta|v1\.0)\//i.test(request.url)) {
      throw new InvalidBatchError(
        `A batch item url must be relative to the v1.0 root (a v1.0 $batch cannot carry beta paths): '${request.url}'`,
      );
    }
    if (
      request.body !== undefined &&
      !Object.keys(request.headers ?? {}).some((h) => h.toLowerCase() === "content-type")
    ) {
      throw new InvalidBatchError(`A batch item with a body must name its Content-Type: '${request.id}'`);
    }
    for (const dependency of request.dependsOn ?? []) {
      if (!seen.has(dependency.toLowerCase())) {
        throw new InvalidBatchError(
          `Batch item '${request.id}' may depend only on an earlier item, not '${dependency}'`,
        );
      }
    }
  }
}

function isSuccess(response: BatchResponse | undefined): boolean {
  return response !== undefined && response.status >= 200 && response.status < 300;
}

function failedDependency(id: string): BatchResponse {
  return {
    id,
    status: 424,
    body: { error: { code: "FailedDependency", message: "A request this one depends on failed." } },
  };
}

function stripUndefined(request: BatchRequest): BatchRequest {
  return Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined)) as BatchRequest;
}

/** POSTs one v1.0 `$batch` of at most 20 requests; a failure of the batch itself becomes a named error for `call`. */
export async function postBatch(
  transport: GraphTransport,
  requests: BatchRequest[],
  call: GraphCall,
): Promise<BatchResponse[]> {
  try {
    const body = (await transport({ method: "POST", version: "v1.0", url: "/$batch", body: { requests } })) as {
      responses?: BatchResponse[];
    };
    return body.responses ?? [];
  } catch (error) {
    throw mapGraphError(error, call);
  }
}
