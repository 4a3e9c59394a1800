import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { findInsights } from "../../../src/capabilities/inventory/find-insights.js";
import { loadTargetMemberships } from "../../../src/capabilities/inventory/load-target-memberships.js";
import { runFullInventory } from "../../../src/capabilities/inventory/run-full-inventory.js";
import { runIncrementalInventory } from "../../../src/capabilities/inventory/run-incremental-inventory.js";
import { writeInventoryCsv } from "../../../src/capabilities/inventory/write-inventory-csv.js";
import type { InventoryServices } from "../../../src/cli/create-inventory-services.js";
import { generateSyntheticTenant } from "../../../src/emulator/synthetic-tenant.js";
import { emulatorInventoryServices } from "../../support/emulator-inventory-services.js";
import { usePracticeServices } from "../../support/practice-services.js";

const tenant = generateSyntheticTenant({ users: 600, seed: 7 });
const running = usePracticeServices({ emulator: { tenant: structuredClone(tenant), throttleScale: 20 } });
let services: InventoryServices;

beforeAll(async () => {
  services = await emulatorInventoryServices(running.emulator, running.azurite, {
    schedulerOptions: { reportsPerWindow: 100, resourceUnitsPerWindow: 100_000 },
    prefix: "Full",
  });
});

describe("full inventory on a synthetic tenant", () => {
  it("stores every person once, reads fido2Methods only for unnamed passkeys, covers disabled accounts and spends no 429", async () => {
    const state = await runFullInventory(
      { reader: services.reader, store: services.store, checkpoints: services.checkpoints, now: () => new Date() },
      "full-1",
    );
    expect(state.phase).toBe("done");
    const users = [];
    for await (const user of services.store.users("full-1")) users.push(user);
    expect(users).toHaveLength(tenant.users.length);
    const disabled = tenant.users.filter((user) => user.accountEnabled === false);
    expect(disabled.length).toBeGreaterThan(0);
    for (const user of disabled) expect(users.find((u) => u.id === user.id)?.accountEnabled).toBe(false);
    const passkeyLog = running.emulator.requestLog.filter((r) => r.path.endsWith("/fido2Methods"));
    const unnamed = (tenant.userRegistrationDetails ?? []).filter(
      (d) =>
        (d.methodsRegistered as string[]).includes("passKeyDeviceBound") &&
        tenant.users.find((u) => u.id === d.id)?.accountEnabled !== false,
    );
    expect(passkeyLog).toHaveLength(unnamed.length);
    expect(running.emulator.requestLog.filter((r) => r.status === 429)).toEqual([]);
    expect((await services.store.latest())?.id).toBe("full-1");
  });

  it("writes one CSV row per passkey with the issue's columns and finds the synthetic bulk burst", async () => {
    const policy = await services.gateway.getTenantPolicySnapshot();
    const memberships = await loadTargetMemberships(services.reader, policy);
    const dir = await mkdtemp(join(tmpdir(), "inventory-"));
    const rows = await writeInventoryCsv(join(dir, "inv.csv"), services.store.users("full-1"), {
      fido2: policy.fido2,
      memberOf: memberships.of,
      catalog: services.catalog,
    });
    const text = await readFile(join(dir, "inv.csv"), "utf8");
    expect(text.split("\r\n")[0]).toBe(
      "UserPrincipalName,DisplayName,MethodDisplayName,AAGUID,AuthenticatorName,Model,PasskeyType,CreatedDateTime,AttestationLevel,AcceptedByProfiles,AccountEnabled,Source",
    );
    expect(rows).toBeGreaterThan(100);
    const insights = await findInsights(
      {
        users: services.store.users("full-1"),
        audits: services.store.audits("full-1"),
        fido2: policy.fido2,
        memberOf: memberships.of,
        catalog: services.catalog,
      },
      { bulkThreshold: 10, bulkWindowMinutes: 10 },
    );
    expect(insights.totals.users).toBe(tenant.users.length);
    expect(insights.bulkRegistrations).toHaveLength(1);
    expect(insights.bulkRegistrations[0]?.distinctTargets).toBeGreaterThanOrEqual(10);
    expect(insights.noPhishingResistant.count).toBeGreaterThan(0);
    expect(insights.aaguids.length).toBeGreaterThan(3);
  });

  it("an incremental run after a new passkey reads only the changed person", async () => {
    const before = running.emulator.requestLog.length;
    const result = await runIncrementalInventory({
      reader: services.reader,
      store: services.store,
      now: () => new Date(),
    });
    expect(result.changedUsers).toBe(0);
    expect(running.emulator.requestLog.length - before).toBe(1);
  });

  it("an incremental run replaces each changed person where the snapshot keeps them, never beside themselves", async () => {
    const usersBefore = [];
    for await (const user of services.store.users("full-1")) usersBefore.push(user);
    // People from the first, a middle and the last chunk, so the index must find more than one partition.
    const targets = [usersBefore[3], usersBefore[Math.floor(usersBefore.length / 2)], usersBefore.at(-1)].filter(
      (user) => user?.accountEnabled,
    );
    expect(targets.length).toBeGreaterThanOrEqual(2);
    const aaGuid = "ee882879-721c-4913-9775-3dfcce97072a";
    for (const user of targets) {
      const response = await fetch(`${running.emulator.baseUrl}/_emulator/passkey-registrations`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ user: user?.id, aaGuid, model: "YubiKey 5 Series" }),
      });
      expect(response.status).toBe(201);
    }
    const result = await runIncrementalInventory({
      reader: services.reader,
      store: services.store,
      now: () => new Date(),
    });
    expect(result.changedUsers).toBe(targets.length);
    const usersAfter = [];
    for await (const user of services.store.users("full-1")) usersAfter.push(user);
    expect(usersAfter.map((user) => user.id)).toEqual(usersBefore.map((user) => user.id));
    for (const target of targets) {
      const after = usersAfter.find((user) => user.id === target?.id);
      expect(after?.passkeys.map((passkey) => passkey.aaGuid)).toContain(aaGuid);
    }
  });

  it("stores a person new to the snapshot once, however often they are refreshed", async () => {
    const newcomer = {
      ...(await firstUser()),
      id: "0e0e0e0e-0000-4000-8000-00000000beef",
      userPrincipalName: "new@contoso",
    };
    await services.store.updateUsers("full-1", [newcomer], "i-test-1");
    await services.store.updateUsers("full-1", [{ ...newcomer, displayName: "Renamed" }], "i-test-2");
    const copies = [];
    for await (const user of services.store.users("full-1")) if (user.id === newcomer.id) copies.push(user);
    expect(copies).toHaveLength(1);
    expect(copies[0]?.displayName).toBe("Renamed");
  });

  it("an incremental run takes an account deleted from the directory out of the snapshot and the CSV", async () => {
    // Its own full run (the latest snapshot from here on), so nothing the tests above changed matters.
    await runFullInventory(
      { reader: services.reader, store: services.store, checkpoints: services.checkpoints, now: () => new Date() },
      "full-delete",
    );
    const withPasskey = tenant.users.find(
      (user) =>
        user.accountEnabled !== false &&
        (tenant.authenticationMethods[user.id] ?? []).some(
          (method) => method["@odata.type"] === "#microsoft.graph.fido2AuthenticationMethod",
        ),
    );
    if (!withPasskey) throw new Error("The synthetic tenant must have an enabled person with a passkey");
    const stored = async () => {
      const ids: string[] = [];
      for await (const user of services.store.users("full-delete")) ids.push(user.id);
      return ids;
    };
    const before = await stored();
    expect(before).toContain(withPasskey.id);
    const deleted = await fetch(`${running.emulator.baseUrl}/_emulator/user-deletions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user: withPasskey.id }),
    });
    expect(deleted.status).toBe(201);

    const result = await runIncrementalInventory({
      reader: services.reader,
      store: services.store,
      now: () => new Date(),
    });
    expect(result).toMatchObject({ snapshotId: "full-delete", changedUsers: 1, removedUsers: 1 });
    expect(await stored()).toEqual(before.filter((id) => id !== withPasskey.id));
    const policy = await services.gateway.getTenantPolicySnapshot();
    const memberships = await loadTargetMemberships(services.reader, policy);
    const dir = await mkdtemp(join(tmpdir(), "inventory-"));
    await writeInventoryCsv(join(dir, "after-delete.csv"), services.store.users("full-delete"), {
      fido2: policy.fido2,
      memberOf: memberships.of,
      catalog: services.catalog,
    });
    const csv = await readFile(join(dir, "after-delete.csv"), "utf8");
    expect(csv).not.toContain(withPasskey.userPrincipalName);
  });
});

async function firstUser() {
  for await (const user of services.store.users("full-1")) return user;
  throw new Error("The full run must have stored people before this test");
}
