import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alice, bob, carol, startTestEmulator, type TestEmulator } from "./emulator-harness.js";

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator({ throttleScale: 1000 });
});
afterAll(async () => {
  await t.emulator.close();
});

const batch = (requests: unknown[], version = "v1.0") =>
  t.graph(`/${version}/$batch`, { method: "POST", body: { requests } });

describe("JSON batching", () => {
  it("answers each item by id, not in request order, with each item's own status", async () => {
    const response = await batch([
      { id: "1", method: "GET", url: `/users/${alice.id}?$select=id` },
      { id: "2", method: "GET", url: "/users/nobody@contosopractice.onmicrosoft.com" },
      { id: "3", method: "GET", url: `/users/${alice.id}/authentication/fido2Methods` },
    ]);
    expect(response.status).toBe(200);
    const ids = response.body.responses.map((item: { id: string }) => item.id);
    expect(ids).not.toEqual(["1", "2", "3"]);
    const byId = Object.fromEntries(response.body.responses.map((item: { id: string }) => [item.id, item]));
    expect(byId["1"]).toMatchObject({ status: 200, body: { id: alice.id } });
    expect(byId["2"]).toMatchObject({ status: 404, body: { error: { code: "Request_ResourceNotFound" } } });
    expect(byId["3"].status).toBe(200);
    const logged = t.emulator.requestLog.filter((entry) => entry.batchId);
    expect(logged.length).toBeGreaterThanOrEqual(3);
  });

  it("fails a dependent item with 424 when its prerequisite failed", async () => {
    const response = await batch([
      { id: "a", method: "GET", url: "/users/nobody@contosopractice.onmicrosoft.com" },
      { id: "b", method: "GET", url: `/users/${bob.id}`, dependsOn: ["a"] },
      { id: "c", method: "GET", url: `/users/${carol.id}`, dependsOn: ["b"] },
    ]);
    const byId = Object.fromEntries(
      response.body.responses.map((item: { id: string; status: number }) => [item.id, item.status]),
    );
    expect(byId).toEqual({ a: 404, b: 424, c: 424 });
  });

  it("refuses more than 20 requests, duplicate ids in any case, absolute urls and bodies without Content-Type", async () => {
    const many = Array.from({ length: 21 }, (_, index) => ({ id: String(index), method: "GET", url: "/organization" }));
    expect((await batch(many)).status).toBe(400);
    const duplicate = await batch([
      { id: "x", method: "GET", url: "/organization" },
      { id: "X", method: "GET", url: "/organization" },
    ]);
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error.code).toBe("BadRequest");
    expect(
      (await batch([{ id: "1", method: "GET", url: "https://graph.microsoft.com/v1.0/organization" }])).status,
    ).toBe(400);
    const noContentType = await batch([
      { id: "1", method: "POST", url: `/users/${bob.id}/checkMemberGroups`, body: { groupIds: [] } },
    ]);
    expect(noContentType.status).toBe(400);
  });

  it("runs writes with a body and Content-Type, authorizing each item on its own", async () => {
    const limited = await t.tokenFor({
      clientId: "6a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
      clientSecret: "contoso-practice-limited-secret",
    });
    const response = await t.graph("/v1.0/$batch", {
      method: "POST",
      token: limited,
      body: {
        requests: [
          { id: "1", method: "GET", url: `/users/${alice.id}` },
          { id: "2", method: "GET", url: `/users/${alice.id}/authentication/methods` },
        ],
      },
    });
    const byId = Object.fromEntries(
      response.body.responses.map((item: { id: string; status: number }) => [item.id, item.status]),
    );
    expect(byId).toEqual({ 1: 200, 2: 403 });
    const write = await batch([
      {
        id: "1",
        method: "POST",
        url: `/users/${carol.id}/checkMemberGroups`,
        headers: { "Content-Type": "application/json" },
        body: { groupIds: ["0a11e3b0-0000-4000-8000-000000000001"] },
      },
    ]);
    expect(write.body.responses[0]).toMatchObject({
      status: 200,
      body: { value: ["0a11e3b0-0000-4000-8000-000000000001"] },
    });
  });

  it("answers a beta-only path inside a v1.0 batch with 405 Request_BadRequest, and serves it in a beta batch", async () => {
    const v1 = await batch([{ id: "1", method: "GET", url: `/users/${alice.id}/authentication/requirements` }]);
    expect(v1.body.responses[0]).toMatchObject({ status: 405, body: { error: { code: "Request_BadRequest" } } });
    const beta = await batch(
      [{ id: "1", method: "GET", url: `/users/${alice.id}/authentication/requirements` }],
      "beta",
    );
    expect(beta.body.responses[0].status).toBe(200);
  });
});
