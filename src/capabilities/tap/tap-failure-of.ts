import { GraphRequestError, NotFoundError, ThrottledError } from "../../graph/graph-errors.js";
import { problemOf } from "../../graph/problem-of.js";
import { graphFailureCause } from "./graph-failure-cause.js";
import type { TapFailure } from "./tap-request.js";

/** Graph's answer in one line for the ledger: status, code, Graph's own message, request id. */
export function tapFailureOf(error: unknown): TapFailure {
  const failure = failureKindOf(error);
  const cause = graphFailureCause(error);
  return cause ? { ...failure, cause } : failure;
}

function failureKindOf(error: unknown): TapFailure {
  // problemOf is the one reading: a 401 is rejected credentials, not a permission to grant ("unknown", retryable).
  const problem = problemOf(error);
  if (problem?.kind === "accessDenied") {
    const permission = problem.missingPermission ?? "UserAuthMethod-TAP.ReadWrite.All";
    return {
      key: "accessDenied",
      message: `The bot's app registration must be granted ${permission} to create a Temporary Access Pass`,
      retryable: true,
      params: { permission },
    };
  }
  if (error instanceof ThrottledError) {
    return {
      key: "throttled",
      message: `Graph asked to wait ${error.retryAfterSeconds} s; no pass was created`,
      retryable: true,
      params: { seconds: Math.ceil(error.retryAfterSeconds) },
    };
  }
  if (error instanceof NotFoundError) {
    return { key: "targetGone", message: "The target user no longer exists in the directory", retryable: false };
  }
  if (error instanceof GraphRequestError) {
    return {
      key: "refusedByGraph",
      message: "Graph refused the pass as requested (for example a lifetime outside the tenant's TAP policy)",
      retryable: true,
    };
  }
  return { key: "unknown", message: "Issuance failed for an unexpected reason", retryable: true };
}
