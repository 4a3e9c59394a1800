import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConcurrentUpdateError } from "../../src/storage/concurrent-update-error.js";
import { ConversationReferenceRepository } from "../../src/storage/conversation-reference-repository.js";
import { createStorageAccount, StorageUnreachableError } from "../../src/storage/storage-account.js";
import { createEntityIfAbsent, updateEntityIfMatch } from "../../src/storage/update-entity-if-match.js";
import { type RunningAzurite, startAzurite } from "../support/azurite.js";
import { freePort } from "../support/free-port.js";

let azurite: RunningAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => azurite?.stop());

const account = () => createStorageAccount({ kind: "connectionString", connectionString: azurite.connectionString });

describe("storage account", () => {
  it("creates every table asked for, and creating them again is harmless", async () => {
    const storage = account();
    const table = storage.tableClient("Probes");
    await storage.ensureTables();
    await storage.ensureTables();
    await table.createEntity({ partitionKey: "p", rowKey: "r" });
    expect((await table.getEntity("p", "r")).rowKey).toBe("r");
  });

  it("reports whether the storage service answers", async () => {
    expect(await account().isReachable()).toBe(true);
    const unreachable = createStorageAccount({
      kind: "connectionString",
      connectionString: azurite.connectionString.replace(`:${azurite.tablePort}/`, ":9/"),
    });
    expect(await unreachable.isReachable()).toBe(false);
  });

  it("names storage, its endpoint and the remedy when nothing answers at start-up", async () => {
    const port = await freePort();
    const down = createStorageAccount({
      kind: "connectionString",
      connectionString: azurite.connectionString.replace(`:${azurite.tablePort}/`, `:${port}/`),
    });
    down.tableClient("Probes");
    const error = await down.ensureTables().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StorageUnreachableError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^Azure Storage is not reachable at http://127\\.0\\.0\\.1:${port}/devstoreaccount1: .*ECONNREFUSED.* — start Azurite or set STORAGE_CONNECTION_STRING$`,
      ),
    );
  });
});

describe("ETag-conditional writes", () => {
  it("lets only the first of two writers holding the same version win", async () => {
    const storage = account();
    const table = storage.tableClient("Transitions");
    await storage.ensureTables(["Transitions"]);
    const etag = await createEntityIfAbsent(table, { partitionKey: "tap", rowKey: "r1", status: "pending" });
    const next = await updateEntityIfMatch(table, { partitionKey: "tap", rowKey: "r1", status: "approved" }, etag);
    expect(next).not.toBe(etag);
    await expect(
      updateEntityIfMatch(table, { partitionKey: "tap", rowKey: "r1", status: "denied" }, etag),
    ).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect((await table.getEntity<{ status: string }>("tap", "r1")).status).toBe("approved");
  });

  it("treats a duplicate insert as the same race", async () => {
    const storage = account();
    const table = storage.tableClient("Inserts");
    await storage.ensureTables(["Inserts"]);
    await createEntityIfAbsent(table, { partitionKey: "p", rowKey: "once" });
    const error = await createEntityIfAbsent(table, { partitionKey: "p", rowKey: "once" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrentUpdateError);
    expect((error as Error).message).toContain("Inserts/p/once");
  });

  it("treats an update of a record deleted since it was read as the same race", async () => {
    const storage = account();
    const table = storage.tableClient("Deletions");
    await storage.ensureTables(["Deletions"]);
    const etag = await createEntityIfAbsent(table, { partitionKey: "p", rowKey: "gone", status: "pending" });
    await table.deleteEntity("p", "gone");
    await expect(
      updateEntityIfMatch(table, { partitionKey: "p", rowKey: "gone", status: "approved" }, etag),
    ).rejects.toBeInstanceOf(ConcurrentUpdateError);
  });
});

describe("conversation references", () => {
  const reference = (conversationId: string) => ({
    channelId: "msteams",
    serviceUrl: "https://smba.trafficmanager.net/emea/",
    conversation: { id: conversationId, conversationType: "personal", tenantId: "t" },
    bot: { id: "28:bot" },
    user: { id: "29:u", aadObjectId: "aaaaaaaa-0000-4000-8000-0000000000aa" },
  });

  it("keeps the latest reference per user, readable by another instance", async () => {
    const storage = account();
    await storage.ensureTables(["ConversationReferences"]);
    const writer = new ConversationReferenceRepository(storage.tableClient("ConversationReferences"));
    await writer.save("AAAAAAAA-0000-4000-8000-0000000000AA", reference("a:1"));
    await writer.save("aaaaaaaa-0000-4000-8000-0000000000aa", reference("a:2"));
    const reader = new ConversationReferenceRepository(account().tableClient("ConversationReferences"));
    expect((await reader.find("aaaaaaaa-0000-4000-8000-0000000000aa"))?.conversation.id).toBe("a:2");
    expect(await reader.find("bbbbbbbb-0000-4000-8000-0000000000bb")).toBeNull();
  });

  it("refuses a user id that is not an object id", async () => {
    const repository = new ConversationReferenceRepository(account().tableClient("ConversationReferences"));
    await expect(repository.find("../other-partition")).rejects.toThrow(/GUID/);
  });
});
