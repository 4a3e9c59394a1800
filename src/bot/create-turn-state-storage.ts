import type { Storage } from "botbuilder";
import { BlobsStorage } from "botbuilder-azure-blobs";
import type { StorageAccount } from "../storage/storage-account.js";
import { expandDevelopmentStorage } from "../storage/storage-account.js";

export const TURN_STATE_CONTAINER = "bot-state";

/** Conversation and user turn state in Blob storage, so a restart or a second instance keeps every conversation. */
export function createTurnStateStorage(account: StorageAccount): Storage {
  const { config } = account;
  if (config.kind === "connectionString") {
    return new BlobsStorage(expandDevelopmentStorage(config.connectionString), TURN_STATE_CONTAINER);
  }
  return new BlobsStorage(
    "",
    TURN_STATE_CONTAINER,
    undefined,
    `${config.blobUrl}/${TURN_STATE_CONTAINER}`,
    account.credential as ConstructorParameters<typeof BlobsStorage>[4],
  );
}
