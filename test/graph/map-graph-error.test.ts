import { GraphError as SdkGraphError } from "@microsoft/microsoft-graph-client";
import { describe, expect, it } from "vitest";
import { TokenRequestError } from "../../src/graph/client-credentials-token-credential.js";
import {
  AccessDeniedError,
  GraphRequestError,
  GraphUnavailableError,
  NotFoundError,
  ThrottledError,
} from "../../src/graph/graph-errors.js";
import { mapGraphError } from "../../src/graph/map-graph-error.js";

function envelope(code: string, message = "ignored") {
  return {
    error: {
      code,
      message,
      innerError: { date: "2026-11-22T10:17:05", "request-id": "11111111-2222-4333-8444-555555555555" },
    },
  };
}

describe("mapGraphError", () => {
  it("maps a 404 batch item to NotFoundError with Graph's code and request id", () => {
    const error = mapGraphError({ status: 404, body: envelope("Request_ResourceNotFound") }, "getUser");
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.code).toBe("Request_ResourceNotFound");
    expect(error.requestId).toBe("11111111-2222-4333-8444-555555555555");
  });

  it("names the least-privileged permission the call needs on 403", () => {
    const error = mapGraphError(
      { status: 403, body: envelope("Authorization_RequestDenied", "Insufficient privileges") },
      "createTemporaryAccessPass",
    );
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect((error as AccessDeniedError).missingPermission).toBe("UserAuthMethod-TAP.ReadWrite.All");
    expect(error.message).toContain("UserAuthMethod-TAP.ReadWrite.All");
  });

  it("does not blame a permission when Graph rejects the token itself (401)", () => {
    const error = mapGraphError(
      { status: 401, body: envelope("InvalidAuthenticationToken") },
      "createTemporaryAccessPass",
    );
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect((error as AccessDeniedError).missingPermission).toBeNull();
    expect(error.message).toContain("credentials");
  });

  it("reports a token endpoint that refuses the app's credentials as rejected credentials, not an outage", () => {
    const error = mapGraphError(new TokenRequestError(401, "invalid_client"), "getUser");
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect(error.status).toBe(401);
    expect((error as AccessDeniedError).missingPermission).toBeNull();
  });

  it("names GroupMember.Read.All for a denied membership check", () => {
    const error = mapGraphError({ status: 403, body: envelope("Authorization_RequestDenied") }, "checkMemberGroups");
    expect((error as AccessDeniedError).missingPermission).toBe("GroupMember.Read.All");
  });

  it("reads a fractional Retry-After from item headers on 429", () => {
    const error = mapGraphError(
      { status: 429, headers: { "Retry-After": "2.128" }, body: envelope("TooManyRequests") },
      "listSignIns",
    );
    expect(error).toBeInstanceOf(ThrottledError);
    expect((error as ThrottledError).retryAfterSeconds).toBe(2.128);
  });

  it("falls back to a default delay when a 429 has no Retry-After", () => {
    const error = mapGraphError({ status: 429, body: envelope("TooManyRequests") }, "listSignIns");
    expect((error as ThrottledError).retryAfterSeconds).toBeGreaterThan(0);
  });

  it.each([500, 502, 503, 504])("maps %i to GraphUnavailableError", (status) => {
    expect(mapGraphError({ status, body: envelope("ServiceUnavailable") }, "getUser")).toBeInstanceOf(
      GraphUnavailableError,
    );
  });

  it.each([
    [400, "badRequest"],
    [405, "Request_BadRequest"],
    [409, "conflict"],
  ])("maps %i %s to GraphRequestError", (status, code) => {
    const error = mapGraphError({ status, body: envelope(code) }, "createTemporaryAccessPass");
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error.status).toBe(status);
    expect(error.code).toBe(code);
  });

  it("maps a connection failure to GraphUnavailableError with status 0", () => {
    const error = mapGraphError(new TypeError("fetch failed"), "getUser");
    expect(error).toBeInstanceOf(GraphUnavailableError);
    expect(error.status).toBe(0);
  });

  it("maps the Graph SDK's own error objects, including their headers", () => {
    const sdkError = new SdkGraphError(429, "Please retry again later.");
    sdkError.code = "TooManyRequests";
    sdkError.body = JSON.stringify(envelope("TooManyRequests").error);
    sdkError.headers = new Headers({ "Retry-After": "7" });
    const error = mapGraphError(sdkError, "listAuthenticationMethods");
    expect(error).toBeInstanceOf(ThrottledError);
    expect((error as ThrottledError).retryAfterSeconds).toBe(7);
    expect(error.requestId).toBe("11111111-2222-4333-8444-555555555555");
  });

  it("leaves an already mapped error as it is", () => {
    const original = new NotFoundError("gone", 404, "Request_ResourceNotFound", null);
    expect(mapGraphError(original, "getUser")).toBe(original);
  });
});
