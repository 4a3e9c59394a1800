import { TableClient } from "@azure/data-tables";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InventoryUser } from "../../src/capabilities/inventory/inventory-user.js";
import {
  createInventorySnapshotStore,
  type InventorySnapshotStore,
} from "../../src/storage/inventory-snapshot-store.js";
import { type RunningAzurite, startAzurite } from "../support/azurite.js";

let azurite: RunningAzurite;
let store: InventorySnapshotStore;
let usersTable: TableClient;

beforeAll(async () => {
  azurite = await startAzurite();
  const table = (name: string) =>
    TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true });
  usersTable = table("SnapshotUsers");
  store = createInventorySnapshotStore({
    snapshots: table("SnapshotHeaders"),
    users: usersTable,
    audits: table("SnapshotAudits"),
  });
  await store.ensure();
}, 60_000);
afterAll(async () => {
  await azurite?.stop();
});

/** A person with `passkeys` passkeys, each carrying a long display name so a chunk can outgrow one entity. */
function person(index: number, passkeys = 1, name = `Person ${index}`): InventoryUser {
  return {
    id: `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`,
    userPrincipalName: `p${index}@contoso.example`,
    displayName: name,
    userType: "member",
    accountEnabled: true,
    isAdmin: false,
    isMfaCapable: true,
    methodsRegistered: ["passKeyDeviceBound"],
    passkeys: Array.from({ length: passkeys }, (_, n) => ({
      id: `${index}-${n}`,
      displayName: "k".repeat(1_000),
      aaGuid: "ee882879-721c-4913-9775-3dfcce97072a",
      family: null,
      model: "YubiKey 5 Series",
      passkeyType: "deviceBound",
      attestationLevel: "attested",
      createdDateTime: "2026-11-20T10:00:00Z",
      source: "fido2Methods" as const,
    })),
    readProblem: null,
  };
}

async function stored(snapshotId: string): Promise<InventoryUser[]> {
  const users: InventoryUser[] = [];
  for await (const user of store.users(snapshotId)) users.push(user);
  return users;
}

async function rowCount(snapshotId: string): Promise<number> {
  let rows = 0;
  for await (const _ of usersTable.listEntities({ queryOptions: { filter: `PartitionKey eq '${snapshotId}'` } }))
    rows++;
  return rows;
}

describe("inventory snapshot store", () => {
  it("keeps a chunk of people as one row, returns them chunk by chunk in id order, and a redone chunk once", async () => {
    const first = [person(3), person(1), person(2)];
    await store.putUsers("s1", "f0000000000", first);
    await store.putUsers("s1", "f0000000003", [person(5), person(4)]);
    await store.putUsers("s1", "f0000000000", first);
    expect((await stored("s1")).map((user) => user.displayName)).toEqual([
      "Person 1",
      "Person 2",
      "Person 3",
      "Person 4",
      "Person 5",
    ]);
    expect(await rowCount("s1")).toBe(2);
  });

  it("cuts a chunk too big for one entity into several rows and loses nobody", async () => {
    // 100 people with 6 passkeys of ~1,100 characters each: ~660,000 characters, over one entity's 1 MiB in UTF-16.
    const big = Array.from({ length: 100 }, (_, index) => person(index, 6));
    await store.putUsers("s2", "f0000000000", big);
    const users = await stored("s2");
    expect(users.map((user) => user.id)).toEqual(big.map((user) => user.id));
    expect(users.every((user) => user.passkeys.length === 6)).toBe(true);
    expect(await rowCount("s2")).toBeGreaterThan(1);
  });

  it("replaces a person where they are, adds newcomers as a new chunk, and removes the deleted", async () => {
    await store.putUsers("s3", "f0000000000", [person(1), person(2), person(3)]);
    await store.putUsers("s3", "f0000000003", [person(4), person(5)]);
    await store.updateUsers("s3", [person(2, 1, "Renamed"), person(9)], "i-1");
    await store.updateUsers("s3", [person(9, 1, "Newcomer renamed")], "i-2");
    await store.removeUsers("s3", [person(4).id, person(5).id, "00000000-0000-4000-8000-0000000000ff"]);
    expect((await stored("s3")).map((user) => user.displayName)).toEqual([
      "Person 1",
      "Renamed",
      "Person 3",
      "Newcomer renamed",
    ]);
    // The chunk left empty by the removal is gone, not kept as an empty row.
    expect(await rowCount("s3")).toBe(2);
  });
});
