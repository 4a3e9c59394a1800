import { createHash } from "node:crypto";
import type { TableClient } from "@azure/data-tables";
import { isStatus } from "../storage/update-entity-if-match.js";

export const WELCOMED_CONVERSATIONS_TABLE = "WelcomedConversations";

/**
 * One welcome per conversation. Teams (and the Agents Playground) send installationUpdate and conversationUpdate
 * for the same install at the same moment; both turns read conversation state before either saves it, so a flag in
 * turn state cannot tell them apart. An insert that fails on a duplicate key can, on any number of instances.
 */
export interface WelcomeClaims {
  /** True for exactly one caller per conversation until `release`. */
  claim(conversationId: string): Promise<boolean>;
  /** The app was removed: the next install of this conversation is welcomed again. */
  release(conversationId: string): Promise<void>;
}

export function welcomeClaims(table: TableClient): WelcomeClaims {
  return {
    async claim(conversationId) {
      try {
        await table.createEntity({ partitionKey: keyOf(conversationId), rowKey: "" });
        return true;
      } catch (error) {
        if (isStatus(error, 409)) return false;
        throw error;
      }
    },
    async release(conversationId) {
      try {
        await table.deleteEntity(keyOf(conversationId), "");
      } catch (error) {
        if (!isStatus(error, 404)) throw error;
      }
    },
  };
}

/** Conversation ids may hold characters Table keys forbid (`/`, `#`, `?`); a digest never does. */
function keyOf(conversationId: string): string {
  return createHash("sha256").update(conversationId).digest("hex");
}
