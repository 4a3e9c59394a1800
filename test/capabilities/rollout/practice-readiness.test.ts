import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runFullInventory } from "../../../src/capabilities/inventory/run-full-inventory.js";
import type { MemberPrediction, RingReadiness } from "../../../src/capabilities/rollout/ring-readiness.js";
import { runRingReadiness } from "../../../src/capabilities/rollout/run-ring-readiness.js";
import { diagnosePasskeyRegistration } from "../../../src/capabilities/triage/diagnose-passkey-registration.js";
import type { Platform } from "../../../src/capabilities/triage/diagnosis.js";
import { groupIdsOfInterest } from "../../../src/capabilities/triage/run-triage.js";
import { createInventoryServices, type InventoryServices } from "../../../src/cli/create-inventory-services.js";
import { createManualClock } from "../../../src/emulator/emulator-clock.js";
import { type RunningEmulator, startEmulator } from "../../../src/emulator/start-emulator.js";
import type { TenantFile } from "../../../src/emulator/tenant-file.js";
import { type RunningAzurite, startAzurite } from "../../support/azurite.js";

const START = Date.parse("2026-11-22T10:00:00Z");
const tenant = JSON.parse(readFileSync("tenants/contoso-practice.json", "utf8")) as TenantFile;
let azurite: RunningAzurite;
let emulator: RunningEmulator;
let services: InventoryServices;
const predictions = new Map<string, MemberPrediction>();
let rings: RingReadiness[];

beforeAll(async () => {
  [azurite, emulator] = await Promise.all([
    startAzurite(),
    // The clock stands still (persona times stay as written), so the throttle buckets would never refill: scale them up.
    startEmulator({ port: 0, tenant: structuredClone(tenant), clock: createManualClock(START), throttleScale: 1000 }),
  ]);
  services = createInventoryServices({
    graph: {
      mode: "emulator",
      baseUrl: emulator.baseUrl,
      tenantId: emulator.tenantId,
      clientId: "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
      clientSecret: "contoso-practice-bot-secret",
    },
    storage: { kind: "connectionString", connectionString: azurite.connectionString },
    prefix: "Ready",
    schedulerOptions: { reportsPerWindow: 1000 },
  });
  await services.ensure();
  const now = () => new Date(START);
  await runFullInventory(
    { reader: services.reader, store: services.store, checkpoints: services.checkpoints, now },
    "practice-full",
  );
  // Every group of the practice tenant as a ring, so every persona is a member of at least one.
  const result = await runRingReadiness(
    {
      gateway: services.gateway,
      reader: services.reader,
      inventory: services.store,
      rollout: services.rollout,
      catalog: services.catalog,
      now,
      onPrediction: (prediction) => predictions.set(prediction.person.userPrincipalName, prediction),
    },
    { ringIds: tenant.groups.map((group) => group.id), runId: "practice-rings" },
  );
  rings = result.rings;
}, 120_000);
afterAll(async () => {
  await emulator?.close();
  await azurite?.stop();
});

const personas = (tenant.personas ?? []).filter((persona) => persona.role === "user");

describe("ring readiness on the practice tenant", () => {
  it("has a prediction for every end-user persona that is in a group", () => {
    expect(personas.length).toBeGreaterThan(10);
    const grouped = personas.filter((persona) => {
      const user = tenant.users.find((u) => u.userPrincipalName === persona.userPrincipalName);
      return tenant.groups.some((group) => group.memberIds.includes(user?.id ?? ""));
    });
    for (const persona of grouped) expect(predictions.has(persona.userPrincipalName), persona.key).toBe(true);
  });

  it.each(personas.map((persona) => [persona.key, persona.userPrincipalName] as const))(
    "%s: the first blocking question is the one the triage gives for the same attempt, read live from Graph",
    async (_key, upn) => {
      const prediction = predictions.get(upn);
      if (!prediction) return; // in no group: no ring can hold them (asserted above for the others)
      const policy = await services.gateway.getTenantPolicySnapshot();
      const snapshot = await services.gateway.getUserAuthSnapshot(prediction.person.id, {
        groupIds: groupIdsOfInterest(policy),
        signInsSince: new Date(START - 86_400_000).toISOString(),
      });
      const diagnosis = diagnosePasskeyRegistration({
        policy,
        snapshot,
        platform: prediction.platform as Platform,
        ...(prediction.aaGuid ? { aaGuid: prediction.aaGuid } : {}),
        now: new Date(START),
        catalog: services.catalog,
        answers: {},
      });
      expect(prediction.firstBlocking).toBe(diagnosis.firstBlocking);
    },
  );

  it("gives a funnel that narrows and a blocker group per failing question with its admin fix", () => {
    for (const ring of rings) {
      const f = ring.funnel;
      expect(f.members).toBeGreaterThanOrEqual(f.inPolicy);
      expect(f.inPolicy).toBeGreaterThanOrEqual(f.canProveIdentity);
      expect(f.canProveIdentity).toBeGreaterThanOrEqual(f.platformReady);
      expect(f.platformReady).toBeGreaterThanOrEqual(f.authenticatorAccepted);
      const blocked = [...predictions.values()].filter((p) => p.ringIds.includes(ring.ringId) && p.firstBlocking).length;
      expect(ring.blockers.reduce((sum, group) => sum + group.count, 0)).toBeLessThanOrEqual(f.members);
      if (blocked > 0) expect(ring.blockers.length).toBeGreaterThan(0);
    }
  });
});
