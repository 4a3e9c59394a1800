import type { TableClient, TransactionAction } from "@azure/data-tables";
import type { InventoryUser } from "../capabilities/inventory/inventory-user.js";
import type { DirectoryAuditRecord } from "../graph/model.js";
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
   * Stores one chunk of people (at most a hundred: one Table transaction) under the chunk's own key. Upserts: writing
   * the same chunk again (a resumed run redoing its last chunk) leaves one row per person.
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

/** Tables keep strings of at most 32K characters; a row bigger than that is split rather than lost. */
const MAX_CHUNK = 30_000;

/** One Table transaction holds at most 100 actions, all in one partition. */
const MAX_TRANSACTION = 100;

function split(json: string): Record<string, unknown> {
  const row: Record<string, unknown> = { parts: Math.ceil(json.length / MAX_CHUNK) };
  for (let part = 0; part * MAX_CHUNK < json.length; part++)
    row[`json${part}`] = json.slice(part * MAX_CHUNK, (part + 1) * MAX_CHUNK);
  return row;
}

function join(entity: Record<string, unknown>): string {
  let json = "";
  for (let part = 0; part < Number(entity.parts ?? 1); part++) json += String(entity[`json${part}`] ?? "");
  return json;
}

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * Inventory snapshots in Table storage. A snapshot's people are kept in one partition per chunk
 * (`<snapshot>|<chunk>`, row key = user id) and never in one partition for the whole snapshot: a partition is the
 * unit a store scans to find a row (Azurite's table store compares every row of the partition on each upsert, so one
 * partition of N people costs N² to write), and a chunk is what one Table transaction writes. Beside each chunk,
 * the snapshots table keeps the chunk's list of user ids (partition `chunks|<snapshot>`), written before the chunk's
 * rows: the incremental run reads that index to find the partition of the few people it refreshes. Audit events keep
 * one partition per snapshot (they are few and appended by time).
 */
export function createInventorySnapshotStore(tables: {
  snapshots: TableClient;
  users: TableClient;
  audits: TableClient;
}): InventorySnapshotStore {
  const write = async (
    table: TableClient,
    partitionKey: string,
    rows: Array<Record<string, unknown> & { rowKey: string }>,
  ) => {
    for (let start = 0; start < rows.length; start += MAX_TRANSACTION) {
      const actions: TransactionAction[] = rows
        .slice(start, start + MAX_TRANSACTION)
        .map((row) => ["upsert", { partitionKey, ...row }, "Replace"]);
      await table.submitTransaction(actions);
    }
  };
  const userRows = (users: readonly InventoryUser[]) =>
    users.map((user) => ({ rowKey: user.id, ...split(JSON.stringify(user)) }));
  const indexPartition = (snapshotId: string) => `chunks|${snapshotId}`;
  const putChunk = async (snapshotId: string, chunk: string, users: readonly InventoryUser[]) => {
    if (users.length === 0) return;
    // The index first: a run killed between the two writes leaves an index entry without its row, which the next
    // write of that person fills; the other order would leave a row the index cannot find, and a second copy later.
    await tables.snapshots.upsertEntity(
      {
        partitionKey: indexPartition(snapshotId),
        rowKey: chunk,
        ...split(JSON.stringify(users.map((user) => user.id))),
      },
      "Replace",
    );
    await write(tables.users, `${snapshotId}|${chunk}`, userRows(users));
  };
  /** The chunk of each of these people, from the index (one row per chunk, so a tenant's index is a few pages). */
  const locate = async (snapshotId: string, ids: ReadonlySet<string>): Promise<Map<string, string>> => {
    const found = new Map<string, string>();
    const entities = tables.snapshots.listEntities<Record<string, unknown>>({
      queryOptions: { filter: `PartitionKey eq ${quote(indexPartition(snapshotId))}` },
    });
    for await (const entity of entities) {
      for (const id of JSON.parse(join(entity)) as string[]) if (ids.has(id)) found.set(id, String(entity.rowKey));
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
      const where = await locate(snapshotId, new Set(users.map((user) => user.id)));
      const byChunk = new Map<string, InventoryUser[]>();
      const fresh: InventoryUser[] = [];
      for (const user of users) {
        const chunk = where.get(user.id);
        if (chunk === undefined) fresh.push(user);
        else byChunk.set(chunk, [...(byChunk.get(chunk) ?? []), user]);
      }
      for (const [chunk, inChunk] of byChunk) await write(tables.users, `${snapshotId}|${chunk}`, userRows(inChunk));
      await putChunk(snapshotId, newChunk, fresh);
    },
    async removeUsers(snapshotId, userIds) {
      if (userIds.length === 0) return;
      const where = await locate(snapshotId, new Set(userIds));
      // The index keeps the id: it only locates, and a person restored later is written back into the same chunk.
      for (const [id, chunk] of where) {
        try {
          await tables.users.deleteEntity(`${snapshotId}|${chunk}`, id);
        } catch (error) {
          if (!isStatus(error, 404)) throw error;
        }
      }
    },
    async *users(snapshotId) {
      // Partition keys of this snapshot are `<snapshot>|<chunk>`; chunk keys use no character above "~".
      const entities = tables.users.listEntities<Record<string, unknown>>({
        queryOptions: {
          filter: `PartitionKey gt ${quote(`${snapshotId}|`)} and PartitionKey lt ${quote(`${snapshotId}|~`)}`,
        },
      });
      for await (const entity of entities) yield JSON.parse(join(entity)) as InventoryUser;
    },
    async putAudits(snapshotId, audits) {
      await write(
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
