import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "./emulator-harness.js";

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator({ throttleScale: 1000, requestLogSize: 3 });
});
afterAll(async () => {
  await t.emulator.close();
});

describe("the emulator's request log", () => {
  it("keeps only the latest requestLogSize requests, in order, with their $filter, in memory and on /_emulator/", async () => {
    const filters = ["startswith(displayName,'a')", "startswith(displayName,'b')", "startswith(displayName,'c')"];
    await t.graph("/v1.0/users?$select=id");
    await t.graph("/v1.0/groups?$select=id");
    for (const filter of filters) await t.graph(`/v1.0/users?$select=id&$filter=${encodeURIComponent(filter)}`);
    expect(t.emulator.requestLog.map((entry) => entry.filter)).toEqual(filters);
    const response = await fetch(`${t.emulator.baseUrl}/_emulator/request-log`);
    const body = (await response.json()) as { value: Array<{ path: string; filter?: string }> };
    expect(body.value.map((entry) => entry.filter)).toEqual(filters);
    expect(body.value.every((entry) => entry.path === "/v1.0/users")).toBe(true);
  });
});

describe("the request log's url", () => {
  it("keeps the path with its query exactly as sent, for a request, a batch item and a refused token", async () => {
    const log = t.emulator.requestLog;
    await t.graph("/v1.0/users?$select=id,displayName&$filter=startswith(displayName,%27a%27)&$top=5");
    expect(log.at(-1)).toMatchObject({
      method: "GET",
      path: "/v1.0/users",
      url: "/v1.0/users?$select=id,displayName&$filter=startswith(displayName,%27a%27)&$top=5",
    });
    await t.graph("/v1.0/$batch", {
      method: "POST",
      body: { requests: [{ id: "1", method: "GET", url: "/groups?$select=id&$top=2" }] },
    });
    expect(log.at(-1)).toMatchObject({
      path: "/v1.0/groups",
      url: "/v1.0/groups?$select=id&$top=2",
      batchId: expect.any(String),
    });
    await t.graph("/beta/auditLogs/signIns?$top=1", { token: null });
    expect(log.at(-1)).toMatchObject({ status: 401, url: "/beta/auditLogs/signIns?$top=1" });
  });
});

describe("paging a query", () => {
  it("cuts every page from the result set of the first page and refuses a forged skip token", async () => {
    const first = await t.graph("/v1.0/users?$top=2&$select=id");
    const link = first.body["@odata.nextLink"] as string;
    const token = new URL(link).searchParams.get("$skiptoken") as string;
    expect(JSON.parse(Buffer.from(token, "base64url").toString("utf8"))).toMatchObject({ o: 2 });
    const second = await t.graph(link.replace(t.emulator.baseUrl, ""));
    expect(second.status).toBe(200);
    expect(second.body.value).toHaveLength(2);
    expect(second.body.value.map((u: { id: string }) => u.id)).not.toContain(first.body.value[0].id);
    const forged = await t.graph("/v1.0/users?$top=2&$select=id&$skiptoken=not-a-token");
    expect(forged.status).toBe(400);
  });
});
