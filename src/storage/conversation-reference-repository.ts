import type { TableClient } from "@azure/data-tables";
import { isGuid } from "../text/is-guid.js";
import { isStatus } from "./update-entity-if-match.js";

export const CONVERSATION_REFERENCES_TABLE = "ConversationReferences";

/**
 * The parts of a Bot Framework conversation reference a proactive message needs. Declared structurally so storage
 * does not depend on botbuilder.
 */
export interface StoredConversationReference {
  channelId: string;
  serviceUrl: string;
  conversation: { id: string; tenantId?: string; conversationType?: string; isGroup?: boolean };
  bot: { id: string; name?: string };
  user?: { id: string; name?: string; aadObjectId?: string };
  locale?: string;
  [extra: string]: unknown;
}

/** Where personal-chat references are kept; the repository below, or an in-memory stand-in in tests. */
export interface ConversationReferenceStore {
  save(aadObjectId: string, reference: StoredConversationReference): Promise<void>;
  find(aadObjectId: string): Promise<StoredConversationReference | null>;
}

interface ConversationReferenceEntity {
  partitionKey: string;
  rowKey: string;
  reference: string;
}

/** The personal-chat conversation reference of each user the bot has talked to, keyed by Entra object id. */
export class ConversationReferenceRepository implements ConversationReferenceStore {
  constructor(private readonly table: TableClient) {}

  /**
   * Writes only when the stored reference differs, so an unchanged one costs a point read, not a write, on every turn.
   * The comparison is with the table, not with what this process last wrote: another bot instance may have written
   * the user's newer conversation in between, and a per-process memory would then skip the write that restores ours.
   */
  async save(aadObjectId: string, reference: StoredConversationReference): Promise<void> {
    const rowKey = toRowKey(aadObjectId);
    const serialized = JSON.stringify(reference);
    if ((await this.storedReference(rowKey)) === serialized) return;
    await this.table.upsertEntity<ConversationReferenceEntity>(
      { partitionKey: "user", rowKey, reference: serialized },
      "Replace",
    );
  }

  private async storedReference(rowKey: string): Promise<string | null> {
    try {
      return (await this.table.getEntity<ConversationReferenceEntity>("user", rowKey)).reference;
    } catch (error) {
      if (isStatus(error, 404)) return null;
      throw error;
    }
  }

  async find(aadObjectId: string): Promise<StoredConversationReference | null> {
    try {
      const entity = await this.table.getEntity<ConversationReferenceEntity>("user", toRowKey(aadObjectId));
      return JSON.parse(entity.reference) as StoredConversationReference;
    } catch (error) {
      if (isStatus(error, 404)) return null;
      throw error;
    }
  }
}

/** Table keys must not contain / \ # ? or control characters; object ids are GUIDs, anything else is refused. */
function toRowKey(aadObjectId: string): string {
  if (!isGuid(aadObjectId)) throw new InvalidObjectIdError(aadObjectId);
  return aadObjectId.toLowerCase();
}

/** A conversation reference was asked for by something that is not an Entra object id. */
export class InvalidObjectIdError extends Error {
  constructor(readonly value: string) {
    super(`A user's object id must be a GUID, got "${value}"`);
    this.name = "InvalidObjectIdError";
  }
}
