import type { TableClient, TableEntity, UpdateMode } from "@azure/data-tables";
import { ConcurrentUpdateError } from "./concurrent-update-error.js";

/**
 * Writes an entity only if it still carries `etag` (the version the caller read); returns the new ETag. Every state
 * transition goes through here so two bot instances (or two approvers clicking at once) cannot both win. A record
 * deleted since it was read (404) is the same lost race as one changed since (412).
 */
export async function updateEntityIfMatch<T extends object>(
  table: TableClient,
  entity: TableEntity<T>,
  etag: string,
  mode: UpdateMode = "Replace",
): Promise<string> {
  try {
    const response = await table.updateEntity(entity, mode, { etag });
    return response.etag ?? "";
  } catch (error) {
    if (isStatus(error, 412) || isStatus(error, 404))
      throw new ConcurrentUpdateError(table.tableName, entity.partitionKey, entity.rowKey);
    throw error;
  }
}

/** Inserts an entity that must not exist yet; a duplicate is the same race as a stale update. */
export async function createEntityIfAbsent<T extends object>(
  table: TableClient,
  entity: TableEntity<T>,
): Promise<string> {
  try {
    const response = await table.createEntity(entity);
    return response.etag ?? "";
  } catch (error) {
    if (isStatus(error, 409)) throw new ConcurrentUpdateError(table.tableName, entity.partitionKey, entity.rowKey);
    throw error;
  }
}

export function isStatus(error: unknown, status: number): boolean {
  return typeof error === "object" && error !== null && (error as { statusCode?: number }).statusCode === status;
}
