import { describe, expect, it } from "vitest";
import { type BatchRequest, type BatchResponse, InvalidBatchError, sendBatch } from "../../src/graph/send-batch.js";

const get = (id: string, dependsOn?: string[]): BatchRequest => ({ id, method: "GET", url: `/users/${id}`, dependsOn });

describe("sendBatch", () => {
  it("sends chunks of at most 20 and correlates responses by id, whatever their order", async () => {
    const chunks: BatchRequest[][] = [];
    const requests = Array.from({ length: 45 }, (_, i) => get(`r${i}`));
    const results = await sendBatch(requests, {
      post: async (chunk) => {
        chunks.push(chunk);
        return chunk.map((request) => ({ id: request.id, status: 200, body: { id: request.id } })).reverse();
      },
    });
    expect(chunks.map((chunk) => chunk.length)).toEqual([20, 20, 5]);
    expect(results.size).toBe(45);
    expect(results.get("r33")?.body).toEqual({ id: "r33" });
  });

  it("retries only the throttled item, after telling the caller the longest advised Retry-After", async () => {
    const posted: string[][] = [];
    const waits: number[] = [];
    let throttledOnce = false;
    const results = await sendBatch([get("a"), get("b"), get("c")], {
      post: async (chunk) => {
        posted.push(chunk.map((request) => request.id));
        return chunk.map((request): BatchResponse => {
          if (request.id === "b" && !throttledOnce) {
            throttledOnce = true;
            return {
              id: "b",
              status: 429,
              headers: { "Retry-After": "4" },
              body: { error: { code: "TooManyRequests" } },
            };
          }
          return { id: request.id, status: 200, body: request.id };
        });
      },
      beforeRetry: (_throttled, seconds) => {
        waits.push(seconds);
      },
    });
    expect(posted).toEqual([["a", "b", "c"], ["b"]]);
    expect(waits).toEqual([4]);
    expect(results.get("b")?.status).toBe(200);
  });

  it("returns the 429 once the retries are used up", async () => {
    const results = await sendBatch([get("a")], {
      maxRetries: 2,
      post: async (chunk) => chunk.map((request) => ({ id: request.id, status: 429, headers: { "retry-after": "1" } })),
    });
    expect(results.get("a")?.status).toBe(429);
  });

  it("sends a dependent again when it failed 424 only because its dependency was throttled", async () => {
    const posted: BatchRequest[][] = [];
    await sendBatch([get("a"), get("b", ["a"])], {
      post: async (chunk) => {
        posted.push(chunk);
        if (posted.length === 1) {
          return [
            { id: "b", status: 424 },
            { id: "a", status: 429, headers: { "Retry-After": "1" } },
          ];
        }
        return chunk.map((request) => ({ id: request.id, status: 200 }));
      },
    });
    expect(posted[1]).toEqual([get("a"), { ...get("b", ["a"]) }]);
  });

  it("keeps dependsOn inside a chunk and resolves dependencies on earlier chunks itself", async () => {
    const requests = Array.from({ length: 21 }, (_, i) => get(`r${i}`));
    requests[20] = get("r20", ["r0"]);
    const posted: BatchRequest[][] = [];
    const results = await sendBatch(requests, {
      post: async (chunk) => {
        posted.push(chunk);
        return chunk.map((request) => ({ id: request.id, status: request.id === "r0" ? 404 : 200 }));
      },
    });
    expect(posted).toHaveLength(1);
    expect(results.get("r20")?.status).toBe(424);
  });

  it("marks an item Graph did not answer as unanswered rather than dropping it", async () => {
    const results = await sendBatch([get("a"), get("b")], {
      post: async () => [{ id: "A", status: 200 }],
    });
    expect(results.get("a")?.status).toBe(200);
    expect(results.get("b")?.status).toBe(0);
  });

  it.each([
    [[get("a"), get("A")], "unique"],
    [[{ ...get("a"), url: "/beta/auditLogs/signIns" }], "beta"],
    [[{ ...get("a"), url: "https://graph.microsoft.com/v1.0/users" }], "relative"],
    [[{ ...get("a"), method: "POST" as const, body: {} }], "Content-Type"],
    [[get("a", ["later"]), get("later")], "earlier item"],
  ])("refuses a batch Graph would reject (%#: %s)", async (requests, rule) => {
    await expect(sendBatch(requests, { post: async () => [] })).rejects.toThrow(InvalidBatchError);
    await expect(sendBatch(requests, { post: async () => [] })).rejects.toThrow(rule);
  });
});
