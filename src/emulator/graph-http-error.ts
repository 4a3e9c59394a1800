/** A Graph error the emulator answers with, in Graph's envelope (graph.md §2.2). Thrown by route handlers. */
export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Array<{ code: string; message: string; target?: string }> = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "GraphHttpError";
  }
}

/** Graph writes innerError.date without a zone designator (UTC). */
export function graphErrorDate(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 19);
}

export function graphErrorBody(
  error: GraphHttpError,
  context: { nowMs: number; requestId: string; clientRequestId: string },
): Record<string, unknown> {
  const mainError: Record<string, unknown> = { code: error.code, message: error.message };
  if (error.details.length > 0) mainError.details = error.details;
  mainError.innerError = {
    date: graphErrorDate(context.nowMs),
    "request-id": context.requestId,
    "client-request-id": context.clientRequestId,
    ...(error.status === 429 ? { code: "429", status: "429" } : {}),
  };
  return { error: mainError };
}
