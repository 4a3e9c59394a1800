import { afterEach, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/start-emulator.js";
import { createGraphGateway } from "../../src/graph/create-graph-gateway.js";
import { AccessDeniedError } from "../../src/graph/graph-errors.js";
import { PRACTICE_TENANT_PATH } from "../support/bot-http.js";

const botApp = { clientId: "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f", clientSecret: "contoso-practice-bot-secret" };
const limitedApp = {
  clientId: "6a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
  clientSecret: "contoso-practice-limited-secret",
};

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function gatewayFor(app: { clientId: string; clientSecret: string }, faults?: string) {
  emulator = await startEmulator({ port: 0, tenant: PRACTICE_TENANT_PATH, faults });
  return createGraphGateway({ mode: "emulator", baseUrl: emulator.baseUrl, tenantId: emulator.tenantId, ...app });
}

describe("the Graph gateway's reachability probe", () => {
  it("counts a 403 as reachable: Graph answered, the probe only lacks a permission", async () => {
    const gateway = await gatewayFor(limitedApp);
    expect(await gateway.isReachable()).toBe(true);
    expect(emulator?.requestLog.map((entry) => entry.status)).toEqual([403]);
  });

  it("throws a 401 AccessDeniedError when the token endpoint refuses a wrong client secret", async () => {
    const gateway = await gatewayFor({ ...botApp, clientSecret: "not-the-practice-secret" });
    const failure = await gateway.isReachable().then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(AccessDeniedError);
    expect(failure).toMatchObject({ status: 401 });
    expect((failure as Error).message).not.toContain("not-the-practice-secret");
  });

  it("throws a 401 AccessDeniedError when Graph rejects the token, instead of counting the answer as reachable", async () => {
    const gateway = await gatewayFor(botApp, "401:1");
    await expect(gateway.isReachable()).rejects.toMatchObject({ name: "AccessDeniedError", status: 401 });
  });
});

describe("a wrong client secret on any gateway call", () => {
  it("is reported as rejected credentials (401, no permission named), not as Graph being unavailable", async () => {
    const gateway = await gatewayFor({ clientId: botApp.clientId, clientSecret: "not-the-secret" });
    const error = await gateway.getUser("all-good@contosopractice.onmicrosoft.com").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect((error as AccessDeniedError).status).toBe(401);
    expect((error as AccessDeniedError).missingPermission).toBeNull();
  });
});
