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
  /** Upserts: writing the same users twice (a resumed run redoing its last chunk) leaves one row each. */
  putUsers(snapshotId: string, users: readonly InventoryUser[]): Promise<void>;
  /** Every user of a snapshot in user-id order, streamed: memory holds one page of rows. */
  users(snapshotId: string): AsyncIterable<InventoryUser>;
  putAudits(snapshotId: string, audits: readonly DirectoryAuditRecord[]): Promise<void>;
  /** Audit events kept for insights, oldest first. */
  audits(snapshotId: string): AsyncIterable<DirectoryAuditRecord>;
}

/** Tables keep strings of at most 32K characters; a row bigger than that is split rather than lost. */
const MAX_CHUNK = 30_000;

/**
 * Inventory snapshots in Table storage: one partition per snapshot for users (row key = user id, so listing returns
 * them in a stable order whatever order or how many instances wrote them) and one for its audit events.
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
    for (let start = 0; start < rows.length; start += 100) {
      const actions: TransactionAction[] = rows
        .slice(start, start + 100)
        .map((row) => ["upsert", { partitionKey, ...row }, "Replace"]);
      await table.submitTransaction(actions);
    }
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
    async putUsers(snapshotId, users) {
      await write(
        tables.users,
        snapshotId,
        users.map((user) => {
          const json = JSON.stringify(user);
          const row: Record<string, unknown> & { rowKey: string } = {
            rowKey: user.id,
            parts: Math.ceil(json.length / MAX_CHUNK),
          };
          for (let part = 0; part * MAX_CHUNK < json.length; part++)
            row[`json${part}`] = json.slice(part * MAX_CHUNK, (part + 1) * MAX_CHUNK);
          return row;
        }),
      );
    },
    async *users(snapshotId) {
      const entities = tables.users.listEntities<Record<string, unknown>>({
        queryOptions: { filter: `PartitionKey eq '${snapshotId.replace(/'/g, "''")}'` },
      });
      for await (const entity of entities) {
        let json = "";
        for (let part = 0; part < Number(entity.parts ?? 1); part++) json += String(entity[`json${part}`] ?? "");
        yield JSON.parse(json) as InventoryUser;
      }
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
        queryOptions: { filter: `PartitionKey eq '${snapshotId.replace(/'/g, "''")}'` },
      });
      for await (const entity of entities) yield JSON.parse(entity.json) as DirectoryAuditRecord;
    },
  };
}
