import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createManualClock } from "../../src/emulator/emulator-clock.js";
import { type RunningEmulator, startEmulator } from "../../src/emulator/start-emulator.js";
import { createGraphGateway } from "../../src/graph/create-graph-gateway.js";
import { permissionFor } from "../../src/graph/graph-permissions.js";
import { PRACTICE_TENANT_FILE } from "../support/repo-path.js";

const TENANT_PATH = PRACTICE_TENANT_FILE;
const TENANT_ID = "7d3e5a2c-1b4f-4c8e-9a6d-2f0b8c4e6a10";

describe("Conditional Access policies through the gateway and the emulator", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, tenant: TENANT_PATH, clock: createManualClock(), throttleScale: 100 });
  });
  afterAll(async () => {
    await emulator?.close();
  });

  const gateway = (clientId: string, clientSecret: string) =>
    createGraphGateway({ mode: "emulator", baseUrl: emulator.baseUrl, tenantId: TENANT_ID, clientId, clientSecret });

  it("reads the practice tenant's registration policy with the tenant snapshot", async () => {
    const snapshot = await gateway(
      "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
      "contoso-practice-bot-secret",
    ).getTenantPolicySnapshot();
    expect(snapshot.conditionalAccess?.ok).toBe(true);
    const policies = snapshot.conditionalAccess?.ok ? snapshot.conditionalAccess.value : [];
    expect(policies.map((p) => p.displayName)).toEqual(["Require phishing-resistant MFA to register security info"]);
    expect(policies[0]?.conditions?.applications?.includeUserActions).toEqual(["urn:user:registersecurityinfo"]);
    expect(policies[0]?.grantControls?.authenticationStrength?.allowedCombinations).toContain("fido2");
    const read = emulator.requestLog.find((entry) => entry.path === "/v1.0/identity/conditionalAccess/policies");
    expect(read?.status).toBe(200);
  });

  it("says which permission is missing for an app without it, and the rest of the snapshot still arrives", async () => {
    const snapshot = await gateway(
      "6a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
      "contoso-practice-limited-secret",
    ).getTenantPolicySnapshot();
    expect(snapshot.conditionalAccess).toEqual({
      ok: false,
      problem: { kind: "accessDenied", missingPermission: permissionFor("listConditionalAccessPolicies") },
    });
    expect(permissionFor("listConditionalAccessPolicies")).toBe("Policy.Read.All");
    expect(snapshot.fido2.ok).toBe(true);
  });
});
