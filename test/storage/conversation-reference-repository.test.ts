import { TableClient } from "@azure/data-tables";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ConversationReferenceRepository,
  type StoredConversationReference,
} from "../../src/storage/conversation-reference-repository.js";
import { createStorageAccount } from "../../src/storage/storage-account.js";
import { type RunningAzurite, startAzurite } from "../support/azurite.js";

const TABLE = "ConversationReferencesTest";
const userId = "cccccccc-0000-4000-8000-0000000000cc";

let azurite: RunningAzurite;
let raw: TableClient;

beforeAll(async () => {
  azurite = await startAzurite();
  await createStorageAccount({ kind: "connectionString", connectionString: azurite.connectionString }).ensureTables([
    TABLE,
  ]);
  raw = TableClient.fromConnectionString(azurite.connectionString, TABLE, { allowInsecureConnection: true });
});
afterAll(async () => {
  await azurite?.stop();
});

/** One bot instance: its own storage account and repository, sharing the table with the others. */
function instance(): ConversationReferenceRepository {
  const account = createStorageAccount({ kind: "connectionString", connectionString: azurite.connectionString });
  return new ConversationReferenceRepository(account.tableClient(TABLE));
}

function reference(conversationId: string): StoredConversationReference {
  return {
    channelId: "msteams",
    serviceUrl: "https://smba.trafficmanager.net/emea/",
    conversation: { id: conversationId, conversationType: "personal" },
    bot: { id: "28:bot" },
    user: { id: "29:u", aadObjectId: userId },
  };
}

async function storedEtag(): Promise<string | undefined> {
  return (await raw.getEntity("user", userId)).etag;
}

describe("ConversationReferenceRepository with several bot instances on one Azurite", () => {
  it("stores the conversation an instance saw last, even when another instance wrote in between", async () => {
    const a = instance();
    const b = instance();
    await a.save(userId, reference("a:personal"));
    await b.save(userId, reference("b:personal"));
    await a.save(userId, reference("a:personal"));
    expect((await b.find(userId))?.conversation.id).toBe("a:personal");
    await b.save(userId, reference("b:personal"));
    expect((await a.find(userId))?.conversation.id).toBe("b:personal");
  });

  it("does not rewrite a reference the table already holds, whoever wrote it", async () => {
    const a = instance();
    const b = instance();
    await a.save(userId, reference("same"));
    const written = await storedEtag();
    await a.save(userId, reference("same"));
    await b.save(userId, reference("same"));
    expect(await storedEtag()).toBe(written);
  });
});
