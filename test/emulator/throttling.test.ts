import { afterEach, describe, expect, it } from "vitest";
import { alice, startTestEmulator, type TestEmulator } from "./emulator-harness.js";

let t: TestEmulator | undefined;
afterEach(async () => {
  await t?.emulator.close();
  t = undefined;
});

describe("throttling", () => {
  it("allows 5 report requests per 10 s, then 429 with a fractional Retry-After, and recovers once it has passed", async () => {
    t = await startTestEmulator();
    const path = "/v1.0/auditLogs/directoryAudits?$top=1";
    for (let index = 0; index < 5; index++) expect((await t.graph(path)).status).toBe(200);
    const throttled = await t.graph(path);
    expect(throttled.status).toBe(429);
    expect(throttled.body.error.code).toBe("TooManyRequests");
    const retryAfter = Number(throttled.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(2);
    expect(throttled.headers.get("x-ms-throttle-scope")).toBe(
      `Tenant_Application/ReadWrite/5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f/${t.emulator.tenantId}`,
    );
    expect(throttled.headers.get("x-ms-throttle-information")).toBe("RequestLimitExceeded");
    t.clock.advance(retryAfter * 1000);
    expect((await t.graph(path)).status).toBe(200);
  });

  it("with a scale that sizes the reports bucket below one request, still serves one request per scaled window", async () => {
    // 5 requests × 0.1 = half a request per 10 s: one request every 20 s.
    t = await startTestEmulator({ throttleScale: 0.1 });
    const path = "/v1.0/auditLogs/directoryAudits?$top=1";
    expect((await t.graph(path)).status).toBe(200);
    const throttled = await t.graph(path);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get("retry-after"))).toBe(20);
    t.clock.advance(20_000);
    expect((await t.graph(path)).status).toBe(200);
  });

  it("refuses to start with a throttle scale of 0, which no request could ever pass", async () => {
    await expect(startTestEmulator({ throttleScale: 0 })).rejects.toThrow(/throttle scale must be a positive number/);
  });

  it("keeps buckets per app: another app is not throttled by the first", async () => {
    t = await startTestEmulator();
    for (let index = 0; index < 6; index++) await t.graph(`/v1.0/users/${alice.id}/authentication/methods`);
    expect((await t.graph(`/v1.0/users/${alice.id}/authentication/methods`)).status).toBe(429);
    const limited = await t.tokenFor({
      clientId: "6a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
      clientSecret: "contoso-practice-limited-secret",
    });
    expect((await t.graph(`/v1.0/users/${alice.id}`, { token: limited })).status).toBe(200);
  });

  it("spends identity ResourceUnits with the query modifiers and reports them in headers", async () => {
    // A small tenant has 3,500 RU per 10 s; scale 0.002 leaves 7 RU.
    t = await startTestEmulator({ throttleScale: 0.002 });
    const list = await t.graph("/v1.0/users");
    expect(list.headers.get("x-ms-resource-unit")).toBe("2");
    const selected = await t.graph("/v1.0/users?$select=id&$top=5");
    expect(selected.headers.get("x-ms-resource-unit")).toBe("1");
    const check = await t.graph(`/v1.0/users/${alice.id}/checkMemberGroups`, {
      method: "POST",
      body: { groupIds: [] },
    });
    expect(check.status).toBe(200);
    expect(check.headers.get("x-ms-resource-unit")).toBe("4");
    expect(check.headers.get("x-ms-throttle-limit-percentage")).toBe("1.0");
    const throttled = await t.graph("/v1.0/users");
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("x-ms-throttle-information")).toBe("ResourceUnitLimitExceeded");
    t.clock.advance(Number(throttled.headers.get("retry-after")) * 1000);
    expect((await t.graph("/v1.0/users")).status).toBe(200);
  });

  it("throttles batch items one by one: a 429 item with its own Retry-After inside a 200", async () => {
    t = await startTestEmulator();
    const requests = Array.from({ length: 7 }, (_, index) => ({
      id: String(index + 1),
      method: "GET",
      url: `/users/${alice.id}/authentication/fido2Methods`,
    }));
    const response = await t.graph("/v1.0/$batch", { method: "POST", body: { requests } });
    expect(response.status).toBe(200);
    const throttled = response.body.responses.filter((item: { status: number }) => item.status === 429);
    expect(throttled).toHaveLength(2);
    expect(Number(throttled[0].headers["Retry-After"])).toBeGreaterThan(0);
  });

  it("refills after a reset through the control endpoint", async () => {
    t = await startTestEmulator();
    for (let index = 0; index < 6; index++) await t.graph("/beta/auditLogs/signIns");
    expect((await t.graph("/beta/auditLogs/signIns")).status).toBe(429);
    expect((await t.graph("/_emulator/throttling/reset", { method: "POST" })).status).toBe(204);
    expect((await t.graph("/beta/auditLogs/signIns")).status).toBe(200);
  });
});
