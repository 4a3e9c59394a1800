import { type GraphError, NotFoundError } from "./graph-errors.js";
import type { GraphCall } from "./graph-permissions.js";
import { mapGraphError } from "./map-graph-error.js";
import type { GraphRead, ReadProblem } from "./model.js";
import { problemOf } from "./problem-of.js";
import type { BatchResponse } from "./send-batch.js";

/** A part the caller did not ask for (sign-ins or audits without a "since"). */
export const notRequested: GraphRead<never> = { ok: false, problem: { kind: "notRequested" } };

/**
 * One part of a snapshot: its value, or why it is missing. Any Graph failure leaves only this part unknown (the rest
 * of the snapshot is still worth having); a 404 is reported as not found (the inventory drops a deleted person on it),
 * a refused request as unavailable, each with Graph's reason.
 */
export async function readPart<T>(work: () => Promise<T>): Promise<GraphRead<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof Error && "status" in error) return { ok: false, problem: partProblem(error as GraphError) };
    throw error;
  }
}

/** One `$batch` item as a part: its parsed body on 2xx, else the problem its failure maps to for `call`. */
export function batchPart<T>(
  response: BatchResponse | undefined,
  call: GraphCall,
  parse: (body: unknown) => T,
): GraphRead<T> {
  if (response && response.status >= 200 && response.status < 300) return { ok: true, value: parse(response.body) };
  return { ok: false, problem: partProblem(mapGraphError(response ?? { status: 0 }, call)) };
}

function partProblem(error: GraphError): ReadProblem {
  if (error instanceof NotFoundError) return { kind: "notFound", detail: error.message };
  return problemOf(error) ?? { kind: "unavailable", detail: error.message };
}
