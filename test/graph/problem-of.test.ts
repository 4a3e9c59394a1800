import { describe, expect, it } from "vitest";
import { TokenRequestError } from "../../src/graph/client-credentials-token-credential.js";
import { GraphQueueFullError } from "../../src/graph/graph-errors.js";
import { mapGraphError } from "../../src/graph/map-graph-error.js";
import { problemOf } from "../../src/graph/problem-of.js";
import { batchPart } from "../../src/graph/read-part.js";

function answer(status: number, code: string, headers: Record<string, string> = {}) {
  return { status, headers, body: { error: { code, message: "developer text" } } };
}

/**
 * One reading of a Graph failure for every caller (the gateway's snapshot parts, the inventory's per-user reads, the
 * triage conversation). Meanings from Microsoft's status codes: 401 is missing or invalid authentication (the app's
 * credentials), 403 a permission the app lacks, 429 throttling with Retry-After, 5xx or no answer an outage.
 */
describe("problemOf", () => {
  it.each([
    [
      "403 Authorization_RequestDenied",
      answer(403, "Authorization_RequestDenied"),
      "listPasskeys",
      { kind: "accessDenied", missingPermission: "UserAuthMethod-Passkey.Read.All" },
    ],
    [
      "403 accessDenied (auth-methods family)",
      answer(403, "accessDenied"),
      "listAuthenticationMethods",
      { kind: "accessDenied", missingPermission: "UserAuthenticationMethod.Read.All" },
    ],
    [
      "429 with Retry-After",
      answer(429, "TooManyRequests", { "Retry-After": "7" }),
      "listSignIns",
      { kind: "throttled", retryAfterSeconds: 7 },
    ],
    ["503", answer(503, "serviceNotAvailable"), "getUser", { kind: "unavailable" }],
    ["no answer (status 0)", { status: 0 }, "getUser", { kind: "unavailable" }],
  ] as const)("reads %s as %o", (_name, failure, call, expected) => {
    expect(problemOf(mapGraphError(failure, call))).toMatchObject(expected);
  });

  it("reads a 401 (Graph rejected the app's token) as Graph unusable with the credentials named, never as a missing permission", () => {
    const problem = problemOf(mapGraphError(answer(401, "InvalidAuthenticationToken"), "listPasskeys"));
    expect(problem?.kind).toBe("unavailable");
    expect(problem).toMatchObject({ detail: expect.stringContaining("credentials") });
  });

  it("reads the token endpoint refusing the app's credentials like a 401", () => {
    const refused = mapGraphError(new TokenRequestError(401, "invalid_client"), "getUser");
    expect(problemOf(refused)?.kind).toBe("unavailable");
  });

  it("reads the bot's own full queue as throttled", () => {
    expect(problemOf(new GraphQueueFullError("person", 3))).toEqual({ kind: "throttled", retryAfterSeconds: 3 });
  });

  it.each([
    ["404 (the object does not exist)", answer(404, "Request_ResourceNotFound")],
    ["400 (refused as made)", answer(400, "badRequest")],
    ["409", answer(409, "Conflict")],
  ])("leaves %s to the caller (null)", (_name, failure) => {
    expect(problemOf(mapGraphError(failure, "getUser"))).toBeNull();
  });

  it("is null for what is no Graph failure", () => {
    expect(problemOf(new Error("a bug"))).toBeNull();
    expect(problemOf("text")).toBeNull();
  });

  it("leaves a snapshot part unknown for any failure, a 404 as not found (a deleted person), and reads a 401 the same there", () => {
    expect(
      batchPart({ id: "m", ...answer(401, "InvalidAuthenticationToken") }, "listAuthenticationMethods", () => 1),
    ).toMatchObject({
      ok: false,
      problem: { kind: "unavailable" },
    });
    expect(
      batchPart({ id: "m", ...answer(404, "Request_ResourceNotFound") }, "listAuthenticationMethods", () => 1),
    ).toMatchObject({
      ok: false,
      problem: { kind: "notFound" },
    });
    expect(
      batchPart({ id: "m", status: 200, body: { value: [1] } }, "listAuthenticationMethods", (body) => body),
    ).toEqual({
      ok: true,
      value: { value: [1] },
    });
  });
});
