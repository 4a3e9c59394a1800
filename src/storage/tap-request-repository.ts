import { TableClient, type TransactionAction } from "@azure/data-tables";
import { PendingRequestExistsError, StaleRequestError } from "../capabilities/tap/tap-errors.js";
import type { TapRequestStore, Versioned } from "../capabilities/tap/tap-ports.js";
import { PENDING_STATUSES, type TapRequest, type TapRequestStatus } from "../capabilities/tap/tap-request.js";
import { ConcurrentUpdateError } from "./concurrent-update-error.js";
import { ensureOnce } from "./ensure-once.js";
import { isStatus, updateEntityIfMatch } from "./update-entity-if-match.js";

const PARTITION = "tap";
const LOCK_PREFIX = "pending-target-";

type RequestEntity = {
  partitionKey: string;
  rowKey: string;
  status: string;
  targetId: string;
  /** True while the request owes ledger entries (TapRequest.pendingAudits), so the reconciler can find it. */
  auditPending: boolean;
  json: string;
};

/**
 * TAP requests in one Table partition, so that a request and its target's "pending" lock change in one entity-group
 * transaction: two agents (or instances) cannot both open a request for the same target, and every state transition
 * is an ETag-conditional update that only one writer wins.
 */
export class TapRequestRepository implements TapRequestStore {
  private readonly ensureTable = ensureOnce(async () => {
    await this.client.createTable();
  });

  constructor(private readonly client: TableClient) {}

  static fromConnectionString(connectionString: string, tableName = "TapRequests"): TapRequestRepository {
    return new TapRequestRepository(
      TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection: true }),
    );
  }

  async create(request: TapRequest): Promise<Versioned<TapRequest>> {
    await this.ensureTable();
    const actions: TransactionAction[] = [
      ["create", toEntity(request)],
      ["create", { partitionKey: PARTITION, rowKey: LOCK_PREFIX + request.target.id, requestId: request.id }],
    ];
    try {
      await this.client.submitTransaction(actions);
    } catch (error) {
      if (isStatus(error, 409)) {
        const lock = await this.client
          .getEntity<{ requestId: string }>(PARTITION, LOCK_PREFIX + request.target.id)
          .catch(() => null);
        throw new PendingRequestExistsError(lock?.requestId ?? "unknown");
      }
      throw error;
    }
    const stored = await this.get(request.id);
    if (!stored) throw new Error("A created TAP request must be readable");
    return stored;
  }

  async get(id: string): Promise<Versioned<TapRequest> | null> {
    await this.ensureTable();
    if (id.startsWith(LOCK_PREFIX)) return null;
    try {
      const entity = await this.client.getEntity<RequestEntity>(PARTITION, id);
      return fromEntity(entity);
    } catch (error) {
      if (isStatus(error, 404)) return null;
      throw error;
    }
  }

  async update(request: TapRequest, etag: string): Promise<Versioned<TapRequest>> {
    await this.ensureTable();
    const releasesLock = !PENDING_STATUSES.includes(request.status);
    try {
      if (releasesLock) {
        const lockKey = LOCK_PREFIX + request.target.id;
        const lock = await this.client.getEntity<{ requestId: string }>(PARTITION, lockKey).catch(() => null);
        const actions: TransactionAction[] = [["update", toEntity(request), "Replace", { etag }]];
        if (lock?.requestId === request.id) actions.push(["delete", { partitionKey: PARTITION, rowKey: lockKey }]);
        const response = await this.client.submitTransaction(actions);
        const written = response.subResponses.find((r) => r.rowKey === request.id);
        return { value: request, etag: written?.etag ?? (await this.mustGet(request.id)).etag };
      }
      const written = await updateEntityIfMatch(this.client, toEntity(request), etag);
      return { value: request, etag: written || (await this.mustGet(request.id)).etag };
    } catch (error) {
      // The entity-group transaction fails whole with the status of the update that lost the race.
      if (error instanceof ConcurrentUpdateError || isStatus(error, 412) || isStatus(error, 404)) {
        throw new StaleRequestError();
      }
      throw error;
    }
  }

  private async mustGet(id: string): Promise<Versioned<TapRequest>> {
    const stored = await this.get(id);
    if (!stored) throw new StaleRequestError();
    return stored;
  }

  async listByStatus(statuses: readonly TapRequestStatus[]): Promise<Versioned<TapRequest>[]> {
    await this.ensureTable();
    if (statuses.length === 0) return [];
    const statusFilter = statuses.map((s) => `status eq '${s.replace(/'/g, "''")}'`).join(" or ");
    const found: Versioned<TapRequest>[] = [];
    const pages = this.client.listEntities<RequestEntity>({
      queryOptions: { filter: `PartitionKey eq '${PARTITION}' and (${statusFilter})` },
    });
    for await (const entity of pages) found.push(fromEntity(entity));
    return found;
  }

  async listAwaitingAudit(): Promise<Versioned<TapRequest>[]> {
    await this.ensureTable();
    const found: Versioned<TapRequest>[] = [];
    const pages = this.client.listEntities<RequestEntity>({
      queryOptions: { filter: `PartitionKey eq '${PARTITION}' and auditPending eq true` },
    });
    for await (const entity of pages) found.push(fromEntity(entity));
    return found;
  }
}

function toEntity(request: TapRequest): RequestEntity {
  return {
    partitionKey: PARTITION,
    rowKey: request.id,
    status: request.status,
    targetId: request.target.id,
    auditPending: (request.pendingAudits?.length ?? 0) > 0,
    json: JSON.stringify(request),
  };
}

function fromEntity(entity: RequestEntity & { etag?: string }): Versioned<TapRequest> {
  return { value: JSON.parse(entity.json) as TapRequest, etag: entity.etag ?? "" };
}
