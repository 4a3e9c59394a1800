import { ThrottledError } from "./graph-errors.js";
import type { RequestPriority } from "./graph-gateway.js";
import type { GraphCall } from "./graph-permissions.js";
import { type GraphHttpRequest, type GraphTransport, type GraphVersion, requestFromLink } from "./graph-transport.js";
import { mapGraphError } from "./map-graph-error.js";
import { type GraphPage, pageThrough } from "./page-through.js";
import type { RequestCost } from "./request-cost.js";
import { requestCost, sumCosts } from "./request-cost.js";
import type { RequestScheduler } from "./request-scheduler.js";
import { type BatchRequest, type BatchResponse, postBatch, sendBatch } from "./send-batch.js";
import type { ThrottlingBucket } from "./shared-throttle-budget.js";

/** One page of a paged Graph collection and where the next one is; the link is what a checkpoint stores. */
export interface InventoryPage<T> {
  items: T[];
  nextLink: string | null;
}

/** Told what went out and what came back throttled (the inventory reports its own traffic per bucket). */
export interface RequesterObserver {
  /** A request (or a `$batch` of `items` requests) is about to be sent, at this cost. */
  sent(cost: RequestCost, items: number): void;
  /** Graph answered 429 to this many requests. */
  throttled(count: number): void;
}

/**
 * The one way a Graph call is made: every request waits its turn in the tenant's scheduler, is sent by the transport,
 * and fails with the named error of graph-errors.ts for its call (whose permission a 403 names). Every intent file of
 * the gateway and the inventory reader call Graph only through this.
 */
export interface GraphRequester {
  /** One request; failures become named errors. `onStart` runs when the scheduler lets it go. */
  send<T>(call: GraphCall, request: GraphHttpRequest, priority?: RequestPriority, onStart?: () => void): Promise<T>;
  /** GET of one resource or one page. */
  get<T>(call: GraphCall, url: string, priority?: RequestPriority, version?: GraphVersion): Promise<T>;
  /** Every page of a v1.0 collection, following `@odata.nextLink` as Graph wrote it. */
  list<T>(call: GraphCall, url: string, priority?: RequestPriority, maxItems?: number): Promise<T[]>;
  /** One page: the first (`url`) or the one a stored nextLink names. */
  page<T>(call: GraphCall, url: string, link: string | null, priority?: RequestPriority): Promise<InventoryPage<T>>;
  /**
   * v1.0 `$batch` chunks through the scheduler (a chunk costs the sum of its items); a throttled item pauses its
   * bucket before the retry. `call` names the failure of the `$batch` itself.
   */
  batch(
    requests: BatchRequest[],
    priority: RequestPriority,
    call: GraphCall,
    options?: { maxRetries?: number },
  ): Promise<Map<string, BatchResponse>>;
  /** A nextLink as a request, refused when it leaves the service. */
  requestFromLink(link: string): GraphHttpRequest;
}

export function graphRequester(options: {
  transport: GraphTransport;
  scheduler: RequestScheduler;
  baseUrl: string;
  observer?: RequesterObserver;
}): GraphRequester {
  const { transport, scheduler, baseUrl, observer } = options;
  const linkToRequest = (link: string) => requestFromLink(link, baseUrl);

  const send = <T>(
    call: GraphCall,
    request: GraphHttpRequest,
    priority: RequestPriority = "interactive",
    onStart?: () => void,
  ): Promise<T> => {
    const cost = requestCost(request);
    return scheduler.schedule(priority, cost, async () => {
      onStart?.();
      observer?.sent(cost, 1);
      try {
        return (await transport(request)) as T;
      } catch (error) {
        const mapped = mapGraphError(error, call);
        if (mapped instanceof ThrottledError) observer?.throttled(1);
        throw mapped;
      }
    });
  };

  return {
    send,
    get: <T>(call: GraphCall, url: string, priority?: RequestPriority, version: GraphVersion = "v1.0") =>
      send<T>(call, { method: "GET", version, url }, priority),
    list: <T>(call: GraphCall, url: string, priority?: RequestPriority, maxItems?: number) =>
      pageThrough<T>(
        { method: "GET", version: "v1.0", url },
        (request) => send<GraphPage<T>>(call, request, priority),
        linkToRequest,
        { maxItems },
      ),
    page: async <T>(call: GraphCall, url: string, link: string | null, priority?: RequestPriority) => {
      const request: GraphHttpRequest = link ? linkToRequest(link) : { method: "GET", version: "v1.0", url };
      const body = await send<GraphPage<T>>(call, request, priority);
      return { items: body.value ?? [], nextLink: body["@odata.nextLink"] ?? null };
    },
    batch: (requests, priority, call, batchOptions = {}) =>
      sendBatch(requests, {
        post: (chunk) => {
          const cost = sumCosts(chunk.map(requestCost));
          return scheduler.schedule(priority, cost, () => {
            observer?.sent(cost, chunk.length);
            return postBatch(transport, chunk, call);
          });
        },
        beforeRetry: (throttled, seconds) => {
          observer?.throttled(throttled.length);
          const byId = new Map(requests.map((request) => [request.id.toLowerCase(), request]));
          const buckets = new Set<ThrottlingBucket>();
          for (const response of throttled) {
            const request = byId.get(String(response.id).toLowerCase());
            if (request) buckets.add(requestCost(request).reports > 0 ? "reports" : "directory");
          }
          for (const bucket of buckets) scheduler.pause(bucket, seconds);
        },
        ...(batchOptions.maxRetries === undefined ? {} : { maxRetries: batchOptions.maxRetries }),
      }),
    requestFromLink: linkToRequest,
  };
}
