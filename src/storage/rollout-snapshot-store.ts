import type { TableClient } from "@azure/data-tables";
import type { MemberFacts } from "../capabilities/rollout/member-triage-input.js";
import type { TenantPolicySnapshot } from "../graph/model.js";
import { jsonOf, jsonProperties, quote, ROWS_PER_PAGE, rowsOf } from "./chunk-rows.js";
import { isStatus } from "./update-entity-if-match.js";

/** One ring-readiness run: the policy it judged against and which rings; members are stored beside it. */
export interface RolloutRun {
  id: string;
  createdDateTime: string;
  inventorySnapshotId: string;
  rings: Array<{ id: string; name: string }>;
  policy: TenantPolicySnapshot;
}

export interface RolloutSnapshotStore {
  ensure(): Promise<void>;
  saveRun(run: RolloutRun): Promise<void>;
  latestRun(): Promise<RolloutRun | null>;
  /** Stores one chunk of members (about a hundred) as the chunk's row; writing it again leaves each member once. */
  putMembers(runId: string, chunk: string, members: readonly MemberFacts[]): Promise<void>;
  /** Every member of every ring of the run, once: chunk by chunk in chunk-key order, by user id within a chunk. */
  members(runId: string): AsyncIterable<MemberFacts>;
}

/**
 * The facts ring readiness read (devices, memberships), kept so what-if answers from them without touching Graph.
 * One partition per run, one row per chunk of members (chunk-rows.ts, ADR 0006): 100,000 members are 1,000 entities.
 */
export function createRolloutSnapshotStore(tables: { runs: TableClient; members: TableClient }): RolloutSnapshotStore {
  return {
    async ensure() {
      for (const table of [tables.runs, tables.members]) {
        try {
          await table.createTable();
        } catch (error) {
          if (!isStatus(error, 409)) throw error;
        }
      }
    },
    async saveRun(run) {
      await tables.runs.upsertEntity(
        { partitionKey: "run", rowKey: run.id, ...jsonProperties(JSON.stringify(run)) },
        "Replace",
      );
      await tables.runs.upsertEntity({ partitionKey: "pointer", rowKey: "latest", runId: run.id }, "Replace");
    },
    async latestRun() {
      try {
        const pointer = await tables.runs.getEntity<{ runId: string }>("pointer", "latest");
        const entity = await tables.runs.getEntity<Record<string, unknown>>("run", pointer.runId);
        return JSON.parse(jsonOf(entity)) as RolloutRun;
      } catch (error) {
        if (isStatus(error, 404)) return null;
        throw error;
      }
    },
    async putMembers(runId, chunk, members) {
      for (const row of rowsOf(chunk, members, (member) => member.user.id)) {
        await tables.members.upsertEntity(
          { partitionKey: runId, rowKey: row.rowKey, ...jsonProperties(JSON.stringify(row.records)) },
          "Replace",
        );
      }
    },
    async *members(runId) {
      const pages = tables.members
        .listEntities<Record<string, unknown>>({ queryOptions: { filter: `PartitionKey eq ${quote(runId)}` } })
        .byPage({ maxPageSize: ROWS_PER_PAGE });
      for await (const page of pages) {
        for (const entity of page) for (const member of JSON.parse(jsonOf(entity)) as MemberFacts[]) yield member;
      }
    },
  };
}
