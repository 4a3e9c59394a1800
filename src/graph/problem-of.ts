import { AccessDeniedError, GraphUnavailableError, ThrottledError } from "./graph-errors.js";
import type { ReadProblem } from "./model.js";

/**
 * The one reading of a Graph failure as the reason something could not be read; null when the failure is not about
 * reading at all — the object does not exist (404), Graph refused the request as made (400, 409…), or it is no Graph
 * failure — and the caller decides.
 *
 * A 401 is Graph rejecting the app's token (Microsoft: "required authentication information is either missing or not
 * valid"): the client id, secret, certificate or tenant is wrong, and nothing can be read until that is fixed. It is
 * therefore no missing permission (403, which names the permission to grant) but Graph being unusable, with the
 * mapped message saying to check the app registration's credentials.
 */
export function problemOf(error: unknown): ReadProblem | null {
  if (error instanceof ThrottledError) return { kind: "throttled", retryAfterSeconds: error.retryAfterSeconds };
  if (error instanceof AccessDeniedError) {
    if (error.status === 401) return { kind: "unavailable", detail: error.message };
    return { kind: "accessDenied", missingPermission: error.missingPermission };
  }
  if (error instanceof GraphUnavailableError) return { kind: "unavailable", detail: error.message };
  return null;
}
