import { GraphError } from "../../graph/graph-errors.js";

/** What Graph answered (status, code, its message, request id), for the ledger and support; never a TAP value. */
export function graphFailureCause(error: unknown): string | undefined {
  if (!(error instanceof GraphError)) return error instanceof Error ? error.name : undefined;
  return [error.status || "no answer", error.code, error.message, error.requestId && `request-id ${error.requestId}`]
    .filter(Boolean)
    .join(" | ")
    .slice(0, 500);
}
