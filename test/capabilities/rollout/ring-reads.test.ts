import { beforeAll, describe, expect, it } from "vitest";
import { runFullInventory } from "../../../src/capabilities/inventory/run-full-inventory.js";
import { runRingReadiness } from "../../../src/capabilities/rollout/run-ring-readiness.js";
import { type InventoryServices, ringReadinessDependencies } from "../../../src/cli/create-inventory-services.js";
import { generateSyntheticTenant, SYNTHETIC_GROUP_IDS } from "../../../src/emulator/synthetic-tenant.js";
import { emulatorInventoryServices } from "../../support/emulator-inventory-services.js";
import { usePracticeServices } from "../../support/practice-services.js";

let services: InventoryServices;
const tenant = generateSyntheticTenant({ users: 300, seed: 11 });
const disabled = tenant.users.find((user) => user.accountEnabled === false);
const tapCreated = new Date(Date.now() - 10 * 60_000).toISOString();

// Registered before the services start, so the emulator is given the tenant as changed here.
beforeAll(() => {
  if (!disabled) throw new Error("The synthetic tenant must hold a disabled account");
  // A disabled pilot-ring member with a TAP: the registration report leaves them out, their methods list names the TAP.
  tenant.authenticationMethods[disabled.id] = [
    ...(tenant.authenticationMethods[disabled.id] ?? []),
    {
      "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethod",
      id: "7a900000-0000-4000-8000-000000000001",
      temporaryAccessPass: null,
      createdDateTime: tapCreated,
      startDateTime: tapCreated,
      lifetimeInMinutes: 60,
      isUsableOnce: true,
    },
  ];
  const pilot = tenant.groups.find((group) => group.id === SYNTHETIC_GROUP_IDS.pilotRing);
  if (!pilot) throw new Error("The synthetic tenant must hold the pilot ring");
  pilot.memberIds.push(disabled.id);
});
const running = usePracticeServices({ emulator: { tenant } });
beforeAll(async () => {
  services = await emulatorInventoryServices(running.emulator, running.azurite, {
    schedulerOptions: { reportsPerWindow: 500, resourceUnitsPerWindow: 100_000 },
    prefix: "RingReads",
  });
  await runFullInventory(
    { reader: services.reader, store: services.store, checkpoints: services.checkpoints, now: () => new Date() },
    "ring-reads-full",
  );
});

describe("ring readiness reads", () => {
  it("spends no reports request: registration state and every TAP, a disabled member's included, come from the snapshot", async () => {
    const stored = [];
    for await (const user of services.store.users("ring-reads-full")) if (user.id === disabled?.id) stored.push(user);
    expect(stored[0]?.temporaryAccessPasses).toEqual([
      expect.objectContaining({ id: "7a900000-0000-4000-8000-000000000001", isUsable: expect.any(Boolean) }),
    ]);
    const before = services.reader.stats();
    const firstRequest = running.emulator.requestLog.length;
    const result = await runRingReadiness(
      ringReadinessDependencies(services, () => new Date()),
      { ringIds: [SYNTHETIC_GROUP_IDS.pilotRing], runId: "ring-reads" },
    );
    expect(result.rings[0]?.funnel.members).toBeGreaterThan(1);
    expect(services.reader.stats().reportsRequests - before.reportsRequests).toBe(0);
    const tapReads = running.emulator.requestLog
      .slice(firstRequest)
      .filter((request) => request.path.includes("temporaryAccessPassMethods"));
    expect(tapReads).toEqual([]);
  });
});
