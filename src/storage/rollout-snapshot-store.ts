import type { TableClient } from "@azure/data-tables";
import type { MemberFacts } from "../capabilities/rollout/member-triage-input.js";
import type { TenantPolicySnapshot } from "../graph/model.js";
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
  /** Stores one chunk of members (at most a hundred: one Table transaction) under the chunk's own key. */
  putMembers(runId: string, chunk: string, members: readonly MemberFacts[]): Promise<void>;
  /** Every member of every ring of the run, once: chunk by chunk in chunk-key order, by user id within a chunk. */
  members(runId: string): AsyncIterable<MemberFacts>;
}

const MAX_CHUNK = 30_000;

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * The facts ring readiness read (devices, memberships), kept so what-if answers from them without touching Graph.
 * Members are kept in one partition per chunk (`<run>|<chunk>`), not one per run: a store scans a partition to find
 * the row an upsert replaces (Azurite compares every row of it), so one partition of N members costs N² to write.
 */
export function createRolloutSnapshotStore(tables: { runs: TableClient; members: TableClient }): RolloutSnapshotStore {
  const split = (json: string) => {
    const row: Record<string, unknown> = { parts: Math.ceil(json.length / MAX_CHUNK) };
    for (let part = 0; part * MAX_CHUNK < json.length; part++) {
      row[`json${part}`] = json.slice(part * MAX_CHUNK, (part + 1) * MAX_CHUNK);
    }
    return row;
  };
  const join = (entity: Record<string, unknown>) => {
    let json = "";
    for (let part = 0; part < Number(entity.parts ?? 1); part++) json += String(entity[`json${part}`] ?? "");
    return json;
  };
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
      await tables.runs.upsertEntity({ partitionKey: "run", rowKey: run.id, ...split(JSON.stringify(run)) }, "Replace");
      await tables.runs.upsertEntity({ partitionKey: "pointer", rowKey: "latest", runId: run.id }, "Replace");
    },
    async latestRun() {
      try {
        const pointer = await tables.runs.getEntity<{ runId: string }>("pointer", "latest");
        const entity = await tables.runs.getEntity<Record<string, unknown>>("run", pointer.runId);
        return JSON.parse(join(entity)) as RolloutRun;
      } catch (error) {
        if (isStatus(error, 404)) return null;
        throw error;
      }
    },
    async putMembers(runId, chunk, members) {
      for (let start = 0; start < members.length; start += 100) {
        await tables.members.submitTransaction(
          members
            .slice(start, start + 100)
            .map((member) => [
              "upsert",
              { partitionKey: `${runId}|${chunk}`, rowKey: member.user.id, ...split(JSON.stringify(member)) },
              "Replace",
            ]),
        );
      }
    },
    async *members(runId) {
      const entities = tables.members.listEntities<Record<string, unknown>>({
        // Partition keys of this run are `<run>|<chunk>`; chunk keys use no character above "~".
        queryOptions: { filter: `PartitionKey gt ${quote(`${runId}|`)} and PartitionKey lt ${quote(`${runId}|~`)}` },
      });
      for await (const entity of entities) yield JSON.parse(join(entity)) as MemberFacts;
    },
  };
}
