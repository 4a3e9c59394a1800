import { describe, expect, it, vi } from "vitest";
import { AccessDeniedError, ThrottledError } from "../../src/graph/graph-errors.js";
import { graphRequester } from "../../src/graph/graph-requester.js";
import type { GraphHttpRequest } from "../../src/graph/graph-transport.js";
import { RequestScheduler } from "../../src/graph/request-scheduler.js";
import type { BatchRequest } from "../../src/graph/send-batch.js";

/**
 * The one requester under the gateway and the inventory reader, against a transport that answers as Graph would. The
 * same requester is exercised over HTTP by every gateway and inventory test; this file pins what both rely on.
 */
const baseUrl = "https://graph.microsoft.com";
const failure = (status: number, code: string, headers: Record<string, string> = {}) =>
  Object.assign(new Error(code), { status, headers, body: { error: { code, message: "developer text" } } });

function setup(answer: (request: GraphHttpRequest) => unknown) {
  const sent: GraphHttpRequest[] = [];
  const counts = { requests: 0, items: 0, reports: 0, throttled: 0 };
  const scheduler = new RequestScheduler({ reportsPerWindow: 500, maxThrottleRetries: 0 });
  const requester = graphRequester({
    transport: async (request) => {
      sent.push(request);
      const result = answer(request);
      if (result instanceof Error) throw result;
      return result;
    },
    scheduler,
    baseUrl,
    observer: {
      sent: (cost, items) => {
        counts.requests += 1;
        counts.items += items;
        counts.reports += cost.reports;
      },
      throttled: (count) => {
        counts.throttled += count;
      },
    },
  });
  return { requester, sent, counts, scheduler };
}

describe("graphRequester", () => {
  it("maps a 403 to AccessDeniedError naming the permission of the call it was sent for", async () => {
    const { requester } = setup(() => failure(403, "Authorization_RequestDenied"));
    const error = await requester.get("listPasskeys", "/users/x/authentication/fido2Methods").catch((e) => e);
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect(error).toMatchObject({ status: 403, missingPermission: "UserAuthMethod-Passkey.Read.All" });
  });

  it("tells the observer what went out and what came back throttled", async () => {
    const { requester, counts } = setup(() => failure(429, "TooManyRequests", { "Retry-After": "0" }));
    await expect(requester.get("listSignIns", "/auditLogs/signIns", "background", "beta")).rejects.toBeInstanceOf(
      ThrottledError,
    );
    expect(counts).toEqual({ requests: 1, items: 1, reports: 1, throttled: 1 });
  });

  it("follows nextLink as Graph wrote it and refuses one that leaves the service", async () => {
    const { requester, sent } = setup((request) =>
      request.url.includes("skiptoken")
        ? { value: [3] }
        : { value: [1, 2], "@odata.nextLink": `${baseUrl}/v1.0/users?$select=id&$skiptoken=abc` },
    );
    expect(await requester.list("listUsers", "/users?$select=id")).toEqual([1, 2, 3]);
    expect(sent.map((request) => request.url)).toEqual(["/users?$select=id", "/users?$select=id&$skiptoken=abc"]);
    await expect(requester.page("listUsers", "/users", "https://evil.example/v1.0/users")).rejects.toThrow(
      /must stay on https:\/\/graph\.microsoft\.com/,
    );
  });

  it("pauses each bucket a throttled $batch item belongs to once, then sends only that item again", async () => {
    let round = 0;
    const { requester, counts, scheduler, sent } = setup((request) => {
      round += 1;
      const items = (request.body as { requests: BatchRequest[] }).requests;
      return {
        responses: items.map((item) =>
          round === 1 && item.url.includes("authentication")
            ? { id: item.id, status: 429, headers: { "Retry-After": "0" }, body: {} }
            : { id: item.id, status: 200, body: { id: item.id } },
        ),
      };
    });
    const pause = vi.spyOn(scheduler, "pause");
    const responses = await requester.batch(
      [
        { id: "a", method: "GET", url: "/users/a/authentication/methods" },
        { id: "b", method: "GET", url: "/users/b/authentication/methods" },
        { id: "c", method: "GET", url: "/users/c?$select=id" },
      ],
      "background",
      "listAuthenticationMethods",
    );
    expect([...responses.values()].map((response) => response.status)).toEqual([200, 200, 200]);
    expect(pause.mock.calls).toEqual([["reports", 0]]);
    expect(
      ((sent[1] as GraphHttpRequest).body as { requests: BatchRequest[] }).requests.map((item) => item.id),
    ).toEqual(["a", "b"]);
    expect(counts).toMatchObject({ requests: 2, items: 5, throttled: 2 });
  });
});
