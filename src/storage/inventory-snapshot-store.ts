import type { TableClient, TransactionAction } from "@azure/data-tables";
import type { InventoryUser } from "../capabilities/inventory/inventory-user.js";
import type { DirectoryAuditRecord } from "../graph/model.js";
import { jsonOf, jsonProperties, quote, ROWS_PER_PAGE, rowsOf } from "./chunk-rows.js";
import { isStatus } from "./update-entity-if-match.js";

/** A snapshot's header: when it was taken, and from when the audit log must be read to bring it up to date. */
export interface InventorySnapshot {
  id: string;
  status: "running" | "complete";
  startedDateTime: string;
  completedDateTime: string | null;
  /** Audit events at or after this time are not yet in the snapshot (the incremental run's checkpoint). */
  auditCheckpoint: string;
  users: number;
}

export interface InventorySnapshotStore {
  ensure(): Promise<void>;
  saveSnapshot(snapshot: InventorySnapshot): Promise<void>;
  getSnapshot(id: string): Promise<InventorySnapshot | null>;
  /** The newest complete snapshot, the one reports, rings and what-if read. */
  latest(): Promise<InventorySnapshot | null>;
  markLatest(id: string): Promise<void>;
  /**
   * Stores one chunk of people (about a hundred) as the chunk's row. Upserts: writing the same chunk again (a resumed
   * run redoing its last chunk) leaves each person once.
   */
  putUsers(snapshotId: string, chunk: string, users: readonly InventoryUser[]): Promise<void>;
  /**
   * Replaces people already in the snapshot where they are, and stores people new to it as the chunk `newChunk`
   * (at most a hundred people in all); so a person is never in a snapshot twice.
   */
  updateUsers(snapshotId: string, users: readonly InventoryUser[], newChunk: string): Promise<void>;
  /** Takes these people (deleted accounts) out of the snapshot; ids it does not hold are ignored. */
  removeUsers(snapshotId: string, userIds: readonly string[]): Promise<void>;
  /** Every user of a snapshot, chunk by chunk in chunk-key order and by user id within a chunk, streamed. */
  users(snapshotId: string): AsyncIterable<InventoryUser>;
  putAudits(snapshotId: string, audits: readonly DirectoryAuditRecord[]): Promise<void>;
  /** Audit events kept for insights, oldest first. */
  audits(snapshotId: string): AsyncIterable<DirectoryAuditRecord>;
}

/** One Table transaction holds at most 100 actions, all in one partition. */
const MAX_TRANSACTION = 100;

async function writeAll(
  table: TableClient,
  partitionKey: string,
  rows: Array<Record<string, unknown> & { rowKey: string }>,
) {
  for (let start = 0; start < rows.length; start += MAX_TRANSACTION) {
    const actions: TransactionAction[] = rows
      .slice(start, start + MAX_TRANSACTION)
      .map((row) => ["upsert", { partitionKey, ...row }, "Replace"]);
    await table.submitTransaction(actions);
  }
}

function ignoreNotFound(error: unknown): void {
  if (!isStatus(error, 404)) throw error;
}

/**
 * Inventory snapshots in Table storage: one partition per snapshot, one row per chunk of people (the hundred a full
 * run reads and checkpoints together; chunk-rows.ts), holding the chunk's user ids and its people as JSON, so a
 * 100,000-person snapshot is 1,000 entities (ADR 0006). A row is written whole in one upsert, ids and people
 * together, so no index can disagree with the rows. The incremental run finds a changed person by listing only the
 * rows' `ids` and rewrites that person's row in place.
 * Audit events keep one partition per snapshot (they are few and appended by time).
 */
export function createInventorySnapshotStore(tables: {
  snapshots: TableClient;
  users: TableClient;
  audits: TableClient;
}): InventorySnapshotStore {
  const writeRow = async (snapshotId: string, rowKey: string, users: readonly InventoryUser[]) => {
    await tables.users.upsertEntity(
      {
        partitionKey: snapshotId,
        rowKey,
        ids: JSON.stringify(users.map((user) => user.id)),
        ...jsonProperties(JSON.stringify(users)),
      },
      "Replace",
    );
  };
  const readRow = async (snapshotId: string, rowKey: string): Promise<InventoryUser[]> => {
    try {
      return JSON.parse(jsonOf(await tables.users.getEntity<Record<string, unknown>>(snapshotId, rowKey)));
    } catch (error) {
      if (isStatus(error, 404)) return [];
      throw error;
    }
  };
  const putChunk = async (snapshotId: string, chunk: string, users: readonly InventoryUser[], tag = "") => {
    for (const row of rowsOf(chunk, users, (user) => user.id, tag)) await writeRow(snapshotId, row.rowKey, row.records);
  };
  /** The row of each of these people, from the rows' id lists only (a 100,000-person snapshot lists ~4 MB). */
  const locate = async (snapshotId: string, ids: ReadonlySet<string>): Promise<Map<string, string[]>> => {
    const byRow = new Map<string, string[]>();
    const entities = tables.users.listEntities<{ ids: string }>({
      queryOptions: { filter: `PartitionKey eq ${quote(snapshotId)}`, select: ["RowKey", "ids"] },
    });
    for await (const entity of entities) {
      for (const id of JSON.parse(entity.ids) as string[]) {
        if (ids.has(id)) byRow.set(entity.rowKey as string, [...(byRow.get(entity.rowKey as string) ?? []), id]);
      }
    }
    return byRow;
  };
  /**
   * Rewrites the rows holding these people with `change` applied to each (null: taken out; a row left empty is
   * deleted); returns the ids the snapshot held.
   */
  const rewrite = async (
    snapshotId: string,
    ids: ReadonlySet<string>,
    change: (user: InventoryUser) => InventoryUser | null,
  ): Promise<Set<string>> => {
    const found = new Set<string>();
    for (const [rowKey, inRow] of await locate(snapshotId, ids)) {
      const users: InventoryUser[] = [];
      for (const user of await readRow(snapshotId, rowKey)) {
        if (!inRow.includes(user.id)) users.push(user);
        else {
          found.add(user.id);
          const next = change(user);
          if (next) users.push(next);
        }
      }
      if (users.length === 0) await tables.users.deleteEntity(snapshotId, rowKey).catch(ignoreNotFound);
      else await putChunk(snapshotId, rowKey, users, `${Date.now().toString(36)}-`);
    }
    return found;
  };
  return {
    async ensure() {
      for (const table of [tables.snapshots, tables.users, tables.audits]) {
        try {
          await table.createTable();
        } catch (error) {
          if (!isStatus(error, 409)) throw error;
        }
      }
    },
    async saveSnapshot(snapshot) {
      await tables.snapshots.upsertEntity(
        { partitionKey: "snapshot", rowKey: snapshot.id, json: JSON.stringify(snapshot) },
        "Replace",
      );
    },
    async getSnapshot(id) {
      try {
        const entity = await tables.snapshots.getEntity<{ json: string }>("snapshot", id);
        return JSON.parse(entity.json) as InventorySnapshot;
      } catch (error) {
        if (isStatus(error, 404)) return null;
        throw error;
      }
    },
    async latest() {
      try {
        const pointer = await tables.snapshots.getEntity<{ snapshotId: string }>("pointer", "latest");
        return this.getSnapshot(pointer.snapshotId);
      } catch (error) {
        if (isStatus(error, 404)) return null;
        throw error;
      }
    },
    async markLatest(id) {
      await tables.snapshots.upsertEntity({ partitionKey: "pointer", rowKey: "latest", snapshotId: id }, "Replace");
    },
    async putUsers(snapshotId, chunk, users) {
      await putChunk(snapshotId, chunk, users);
    },
    async updateUsers(snapshotId, users, newChunk) {
      if (users.length === 0) return;
      const fresh = new Map(users.map((user) => [user.id, user]));
      const replaced = await rewrite(snapshotId, new Set(fresh.keys()), (user) => fresh.get(user.id) ?? user);
      await putChunk(
        snapshotId,
        newChunk,
        users.filter((user) => !replaced.has(user.id)),
      );
    },
    async removeUsers(snapshotId, userIds) {
      if (userIds.length === 0) return;
      await rewrite(snapshotId, new Set(userIds), () => null);
    },
    async *users(snapshotId) {
      const pages = tables.users
        .listEntities<Record<string, unknown>>({ queryOptions: { filter: `PartitionKey eq ${quote(snapshotId)}` } })
        .byPage({ maxPageSize: ROWS_PER_PAGE });
      for await (const page of pages) {
        for (const entity of page) for (const user of JSON.parse(jsonOf(entity)) as InventoryUser[]) yield user;
      }
    },
    async putAudits(snapshotId, audits) {
      await writeAll(
        tables.audits,
        snapshotId,
        audits.map((audit) => ({
          rowKey: `${audit.activityDateTime}_${audit.id}`.replace(/[/\\#?]/g, "_"),
          json: JSON.stringify(audit),
        })),
      );
    },
    async *audits(snapshotId) {
      const entities = tables.audits.listEntities<{ json: string }>({
        queryOptions: { filter: `PartitionKey eq ${quote(snapshotId)}` },
      });
      for await (const entity of entities) yield JSON.parse(entity.json) as DirectoryAuditRecord;
    },
  };
}
