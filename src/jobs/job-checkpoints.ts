import type { TableClient } from "@azure/data-tables";
import { createEntityIfAbsent, isStatus, updateEntityIfMatch } from "../storage/update-entity-if-match.js";

export interface Checkpoint<T> {
  state: T;
  etag: string;
}

export interface JobCheckpoints {
  load<T>(jobId: string): Promise<Checkpoint<T> | null>;
  /**
   * Saves a job's progress only if nobody else wrote it since `etag` (null: it must not exist yet). Two instances
   * believing they own the same job cannot both advance it: the second gets ConcurrentUpdateError.
   */
  save<T>(jobId: string, state: T, etag: string | null): Promise<string>;
}

const PARTITION = "job";

/** Job progress in Table storage, one entity per job, written with ETag conditions. */
export function createJobCheckpoints(table: TableClient): JobCheckpoints {
  return {
    async load<T>(jobId: string) {
      try {
        const entity = await table.getEntity<{ state: string }>(PARTITION, jobId);
        return { state: JSON.parse(entity.state) as T, etag: entity.etag };
      } catch (error) {
        if (isStatus(error, 404)) return null;
        throw error;
      }
    },
    async save<T>(jobId: string, state: T, etag: string | null) {
      const entity = { partitionKey: PARTITION, rowKey: jobId, state: JSON.stringify(state) };
      return etag === null ? createEntityIfAbsent(table, entity) : updateEntityIfMatch(table, entity, etag);
    },
  };
}
