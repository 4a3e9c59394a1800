/**
 * The named errors every Graph failure is mapped to (one mapper: map-graph-error.ts). Callers branch on the class,
 * never on Graph's `message`, which Microsoft says may change.
 */
export class GraphError extends Error {
  constructor(
    message: string,
    /** HTTP status Graph answered, or 0 when no answer came. */
    readonly status: number,
    /** Graph's `error.code`, e.g. Request_ResourceNotFound. */
    readonly code: string | null,
    /** Graph's `innerError["request-id"]`, for support cases. */
    readonly requestId: string | null,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 404: the user, method or object does not exist. */
export class NotFoundError extends GraphError {}

/**
 * 403: the app lacks a permission; `missingPermission` names the least-privileged one the call needs. 401: Graph (or
 * the token endpoint) rejected the app's credentials; `missingPermission` is null, and no grant fixes it
 * (problem-of.ts reads it as Graph being unusable, not as a missing permission).
 */
export class AccessDeniedError extends GraphError {
  constructor(
    message: string,
    status: number,
    code: string | null,
    requestId: string | null,
    readonly missingPermission: string | null,
  ) {
    super(message, status, code, requestId);
  }
}

/** 429 after the scheduler's own retries: Graph asked us to wait `retryAfterSeconds`. */
export class ThrottledError extends GraphError {
  constructor(
    message: string,
    status: number,
    code: string | null,
    requestId: string | null,
    readonly retryAfterSeconds: number,
  ) {
    super(message, status, code, requestId);
  }
}

/**
 * The bot's own queue for Graph is full (for this person, or for everyone): the request was never sent. A ThrottledError
 * so every caller already tells the person to try again in `retryAfterSeconds`.
 */
export class GraphQueueFullError extends ThrottledError {
  constructor(scope: "person" | "everyone", retryAfterSeconds: number) {
    super(
      scope === "person"
        ? "One person may have only a bounded number of Graph requests waiting"
        : "The Graph request queue must stay bounded",
      429,
      "QueueFull",
      null,
      retryAfterSeconds,
    );
  }
}

/** 5xx, a reset connection or a timeout: Graph could not answer. Retryable later. */
export class GraphUnavailableError extends GraphError {}

/** 400/405/409 and the like: Graph refused the request as made (e.g. a TAP lifetime outside the policy). */
export class GraphRequestError extends GraphError {}
