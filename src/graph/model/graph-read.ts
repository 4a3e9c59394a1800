/** Why a part of a snapshot could not be read: the triage says "could not check", never guesses. */
export type ReadProblem =
  | { kind: "accessDenied"; missingPermission: string | null }
  | { kind: "throttled"; retryAfterSeconds: number }
  | { kind: "unavailable"; detail: string }
  /** Graph answered 404: the object (a deleted user, say) does not exist. */
  | { kind: "notFound"; detail: string }
  | { kind: "notRequested" };

/** One part of a snapshot: either the value Graph returned, or why it is missing. */
export type GraphRead<T> = { ok: true; value: T } | { ok: false; problem: ReadProblem };
