import type { GraphGatewayOptions } from "./create-graph-gateway.js";
import { graphConnection } from "./graph-connection.js";
import type { GraphGateway } from "./graph-gateway.js";
import type { GraphCall } from "./graph-permissions.js";
import { type GraphRequester, graphRequester, type InventoryPage } from "./graph-requester.js";
import type {
  AuthenticationMethod,
  DirectoryAuditRecord,
  DirectoryDevice,
  DirectoryUser,
  Fido2Method,
  GraphRead,
  TemporaryAccessPassMethod,
  UserRegistrationDetails,
} from "./model.js";
import { odataDateTime, queryString, requireGuid } from "./odata-literal.js";
import { batchPart } from "./read-part.js";
import type { RequestScheduler } from "./request-scheduler.js";
import { systemClock } from "./scheduler-clock.js";
import { type BatchRequest, maxBatchSize } from "./send-batch.js";

export type { InventoryPage } from "./graph-requester.js";

/**
 * What the administrators' inventory reads from Graph, page by page so a run can checkpoint between pages and memory
 * never holds more than one page. Every request is background work in the tenant's scheduler: a person waiting in chat
 * is served first.
 */
export interface InventoryReader {
  /** GET /reports/authenticationMethods/userRegistrationDetails (paged by nextLink) — AuditLog.Read.All. */
  registrationDetailsPage(link: string | null): Promise<InventoryPage<UserRegistrationDetails>>;
  /**
   * GET /users?$filter=accountEnabled eq false — User.Read.All. The registration report leaves disabled accounts out
   * (graph.md §4.1), so they are listed from the directory (identity bucket) instead.
   */
  disabledUsersPage(link: string | null): Promise<InventoryPage<DirectoryUser>>;
  /** GET /users/{id}/authentication/fido2Methods in `$batch`es — UserAuthMethod-Passkey.Read.All. */
  readPasskeys(userIds: readonly string[]): Promise<Map<string, GraphRead<Fido2Method[]>>>;
  /** GET /users/{id}/authentication/methods in `$batch`es — UserAuthenticationMethod.Read.All (disabled users). */
  readMethods(userIds: readonly string[]): Promise<Map<string, GraphRead<AuthenticationMethod[]>>>;
  /** GET /reports/authenticationMethods/userRegistrationDetails/{id} in `$batch`es — AuditLog.Read.All. */
  readRegistrationDetails(userIds: readonly string[]): Promise<Map<string, GraphRead<UserRegistrationDetails>>>;
  /** GET /users/{id}/authentication/temporaryAccessPassMethods in `$batch`es — UserAuthMethod-TAP.Read.All. */
  readTemporaryAccessPasses(userIds: readonly string[]): Promise<Map<string, GraphRead<TemporaryAccessPassMethod[]>>>;
  /** GET /users/{id}/registeredDevices in `$batch`es — User.Read.All (identity bucket). */
  readDevices(userIds: readonly string[]): Promise<Map<string, GraphRead<DirectoryDevice[]>>>;
  /** GET /auditLogs/directoryAudits?$filter=activityDateTime ge … (oldest first, paged) — AuditLog.Read.All. */
  auditsPage(since: string, link: string | null): Promise<InventoryPage<DirectoryAuditRecord>>;
  /** GET /groups/{id}/transitiveMembers/microsoft.graph.user (paged) — GroupMember.Read.All. */
  groupMembersPage(groupId: string, link: string | null): Promise<InventoryPage<DirectoryUser>>;
  /** Counts of what this reader sent, per throttling bucket, and how often Graph answered 429. */
  stats(): InventoryReaderStats;
}

export interface InventoryReaderStats {
  reportsRequests: number;
  directoryRequests: number;
  throttled: number;
}

export type InventoryReaderOptions = GraphGatewayOptions & {
  /** The tenant's scheduler, the same one the gateway uses, so chat keeps priority over the inventory. */
  scheduler: RequestScheduler;
  /**
   * Items per `$batch` of reports-bucket reads. Graph counts each item against the 5-per-10-s bucket, so a batch
   * larger than the bucket only collects 429s; default 5, at most 20.
   */
  reportsBatchSize?: number;
  /** `$top` of user, group-member and audit pages (directory collections allow up to 999). */
  pageSize?: number;
};

const registrationSelect =
  "id,userPrincipalName,userDisplayName,userType,isAdmin,isMfaCapable,isMfaRegistered,isPasswordlessCapable,methodsRegistered,lastUpdatedDateTime";
const userSelect = "id,userPrincipalName,displayName,mail,userType,accountEnabled";
const fido2Select = "id,displayName,createdDateTime,aaGuid,model,attestationCertificates,attestationLevel,passkeyType";
const deviceSelect =
  "id,deviceId,displayName,operatingSystem,operatingSystemVersion,trustType,isManaged,isCompliant,approximateLastSignInDateTime";
const tapSelect = "id,createdDateTime,startDateTime,lifetimeInMinutes,isUsableOnce,isUsable,methodUsabilityReason";
const auditSelect =
  "id,activityDateTime,activityDisplayName,category,correlationId,loggedByService,operationType,result,resultReason,initiatedBy,targetResources,additionalDetails";

export function createInventoryReader(options: InventoryReaderOptions): InventoryReader {
  const { baseUrl, transport } = graphConnection(options, options.clock ?? systemClock);
  const counts: InventoryReaderStats = { reportsRequests: 0, directoryRequests: 0, throttled: 0 };
  const requester = graphRequester({
    transport,
    scheduler: options.scheduler,
    baseUrl,
    observer: {
      sent: (cost, items) => {
        counts.reportsRequests += cost.reports;
        if (cost.resourceUnits > 0) counts.directoryRequests += items;
      },
      throttled: (count) => {
        counts.throttled += count;
      },
    },
  });
  return new InventoryReaderImpl(
    requester,
    counts,
    Math.max(1, Math.min(maxBatchSize, options.reportsBatchSize ?? 5)),
    Math.max(1, Math.min(999, options.pageSize ?? 999)),
  );
}

class InventoryReaderImpl implements InventoryReader {
  constructor(
    private readonly requester: GraphRequester,
    private readonly counts: InventoryReaderStats,
    private readonly reportsBatchSize: number,
    private readonly pageSize: number,
  ) {}

  stats(): InventoryReaderStats {
    return { ...this.counts };
  }

  /** Every inventory request is background work: a person waiting in chat is served first. */
  private page<T>(call: GraphCall, first: string, link: string | null): Promise<InventoryPage<T>> {
    return this.requester.page<T>(call, first, link, "background");
  }

  registrationDetailsPage(link: string | null): Promise<InventoryPage<UserRegistrationDetails>> {
    // No $top: the report documents only $filter and $orderby (graph.md §2.4); its nextLink brings the rest.
    return this.page(
      "listRegistrationDetails",
      `/reports/authenticationMethods/userRegistrationDetails${queryString({ $select: registrationSelect })}`,
      link,
    );
  }

  disabledUsersPage(link: string | null): Promise<InventoryPage<DirectoryUser>> {
    return this.page(
      "listUsers",
      `/users${queryString({ $filter: "accountEnabled eq false", $select: userSelect, $top: this.pageSize })}`,
      link,
    );
  }

  auditsPage(since: string, link: string | null): Promise<InventoryPage<DirectoryAuditRecord>> {
    return this.page(
      "listDirectoryAudits",
      `/auditLogs/directoryAudits${queryString({
        $filter: `activityDateTime ge ${odataDateTime(since)}`,
        $select: auditSelect,
        $orderby: "activityDateTime asc",
        $top: this.pageSize,
      })}`,
      link,
    );
  }

  groupMembersPage(groupId: string, link: string | null): Promise<InventoryPage<DirectoryUser>> {
    return this.page(
      "listGroupMembers",
      `/groups/${requireGuid(groupId, "group id")}/transitiveMembers/microsoft.graph.user${queryString({ $select: userSelect, $top: this.pageSize })}`,
      link,
    );
  }

  readPasskeys(userIds: readonly string[]): Promise<Map<string, GraphRead<Fido2Method[]>>> {
    return this.perUser(
      userIds,
      "listPasskeys",
      (id) => `/users/${id}/authentication/fido2Methods${queryString({ $select: fido2Select })}`,
      (body) =>
        values(body).map((method) => ({
          ...(method as Omit<Fido2Method, "@odata.type">),
          "@odata.type": "#microsoft.graph.fido2AuthenticationMethod" as const,
        })),
    );
  }

  readMethods(userIds: readonly string[]): Promise<Map<string, GraphRead<AuthenticationMethod[]>>> {
    // No $select: the list is polymorphic and selecting would drop the derived types' properties (aaGuid…).
    return this.perUser(
      userIds,
      "listAuthenticationMethods",
      (id) => `/users/${id}/authentication/methods`,
      (body) => values(body) as AuthenticationMethod[],
    );
  }

  readRegistrationDetails(userIds: readonly string[]): Promise<Map<string, GraphRead<UserRegistrationDetails>>> {
    return this.perUser(
      userIds,
      "getRegistrationDetails",
      (id) =>
        `/reports/authenticationMethods/userRegistrationDetails/${id}${queryString({ $select: registrationSelect })}`,
      (body) => body as UserRegistrationDetails,
    );
  }

  readTemporaryAccessPasses(userIds: readonly string[]): Promise<Map<string, GraphRead<TemporaryAccessPassMethod[]>>> {
    return this.perUser(
      userIds,
      "listTemporaryAccessPasses",
      (id) => `/users/${id}/authentication/temporaryAccessPassMethods${queryString({ $select: tapSelect })}`,
      (body) =>
        values(body).map((method) => ({
          ...(method as Omit<TemporaryAccessPassMethod, "@odata.type">),
          "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethod" as const,
          // Graph returns the code only when it is created; a read never carries it, and it is never kept here.
          temporaryAccessPass: null,
        })),
    );
  }

  readDevices(userIds: readonly string[]): Promise<Map<string, GraphRead<DirectoryDevice[]>>> {
    return this.perUser(
      userIds,
      "listRegisteredDevices",
      (id) => `/users/${id}/registeredDevices${queryString({ $select: deviceSelect })}`,
      (body) => values(body) as unknown as DirectoryDevice[],
      maxBatchSize,
    );
  }

  /**
   * One GET per user, sent as `$batch`es through the scheduler (a batch's cost is the sum of its items, so it waits
   * until the bucket has room for all of them). Items still failing after the batch helper's retries come back as a
   * ReadProblem for that user: one unreadable user never loses the others.
   */
  private async perUser<T>(
    userIds: readonly string[],
    call: GraphCall,
    url: (id: string) => string,
    parse: (body: unknown) => T,
    batchSize = this.reportsBatchSize,
  ): Promise<Map<string, GraphRead<T>>> {
    const results = new Map<string, GraphRead<T>>();
    const chunks: string[][] = [];
    for (let start = 0; start < userIds.length; start += batchSize)
      chunks.push(userIds.slice(start, start + batchSize));
    // All batches are handed to the scheduler at once: it paces them to the bucket, so the run waits on Graph's
    // budget rather than on one round trip after another.
    await Promise.all(
      chunks.map(async (chunk) => {
        const requests: BatchRequest[] = chunk.map((id, index) => ({
          id: String(index),
          method: "GET",
          url: url(requireGuid(id, "user id")),
        }));
        const responses = await this.requester.batch(requests, "background", call, { maxRetries: 8 });
        chunk.forEach((userId, index) => {
          results.set(userId, batchPart(responses.get(String(index)), call, parse));
        });
      }),
    );
    return results;
  }
}

function values(body: unknown): Array<Record<string, unknown>> {
  return ((body as { value?: unknown[] } | undefined)?.value ?? []) as Array<Record<string, unknown>>;
}

/** The gateway functions the inventory also needs (tenant policy, group names), by intent. */
export type InventoryGateway = Pick<GraphGateway, "getTenantPolicySnapshot" | "getGroupDisplayNames">;
