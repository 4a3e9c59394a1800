import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from "@azure/identity";
import { CachedTokenCredential } from "./cached-token-credential.js";
import { ClientCredentialsTokenCredential } from "./client-credentials-token-credential.js";
import { AccessDeniedError, type GraphError, NotFoundError, ThrottledError } from "./graph-errors.js";
import type { GraphGateway, RequestPriority, SchedulerStatus, UserAuthSnapshotRequest } from "./graph-gateway.js";
import type { GraphCall } from "./graph-permissions.js";
import { runWithGraphRequestContext } from "./graph-request-context.js";
import {
  createGraphTransport,
  type GraphHttpRequest,
  type GraphTransport,
  type GraphVersion,
  requestFromLink,
} from "./graph-transport.js";
import { mapGraphError } from "./map-graph-error.js";
import type {
  AuthenticationMethod,
  ConditionalAccessPolicy,
  DirectoryAuditRecord,
  DirectoryDevice,
  DirectoryRoleGrant,
  DirectoryUser,
  Fido2Method,
  Fido2Policy,
  GraphRead,
  ReadProblem,
  SignInRecord,
  TemporaryAccessPassMethod,
  TemporaryAccessPassPolicy,
  TenantPolicySnapshot,
  UserAuthSnapshot,
  UserRegistrationDetails,
} from "./model.js";
import {
  encodePathSegment,
  isGuid,
  odataDateTime,
  odataGuidLiteral,
  odataLiteral,
  queryString,
  requireGuid,
  userPathSegment,
} from "./odata-literal.js";
import { type GraphPage, pageThrough } from "./page-through.js";
import {
  type RequestCost,
  RequestScheduler,
  type RequestSchedulerOptions,
  resourceUnitCost,
  type SchedulerClock,
  systemClock,
} from "./request-scheduler.js";
import { type BatchRequest, type BatchResponse, postBatch, sendBatch } from "./send-batch.js";
import { SignInFeed } from "./sign-in-feed.js";

/** Where Graph is and how the app proves itself; the shape of `config.graph` (src/config.ts). */
export type GraphConnectionOptions =
  | { mode: "emulator"; baseUrl: string; tenantId: string; clientId: string; clientSecret: string }
  | {
      mode: "live";
      tenantId: string;
      clientId: string;
      credential:
        | { kind: "secret"; clientSecret: string }
        | { kind: "certificate"; certificatePath: string }
        | { kind: "managedIdentity" };
      /** Defaults to https://graph.microsoft.com (national clouds differ). */
      baseUrl?: string;
    };

export type GraphGatewayOptions = GraphConnectionOptions & {
  /** One scheduler per tenant: pass the same one to every gateway of that tenant. */
  scheduler?: RequestScheduler;
  schedulerOptions?: RequestSchedulerOptions;
  clock?: SchedulerClock;
  /** How long the tenant policy snapshot is reused. Default 60 s. */
  policySnapshotSeconds?: number;
  requestTimeoutMs?: number;
  /** `$top` of paged audit reads; Graph's nextLink brings the rest. Default 50. */
  auditPageSize?: number;
  /**
   * Serve triages' sign-ins from one tenant-wide incremental read shared by every triage waiting (sign-in-feed.ts)
   * instead of one reports-bucket request per person. Default true.
   */
  shareSignInReads?: boolean;
};

const userSelect = "id,userPrincipalName,displayName,mail,userType,accountEnabled,preferredLanguage,jobTitle";
const deviceSelect =
  "id,deviceId,displayName,operatingSystem,operatingSystemVersion,trustType,isManaged,isCompliant,approximateLastSignInDateTime";
const fido2PolicySelect =
  "id,state,isSelfServiceRegistrationAllowed,isAttestationEnforced,keyRestrictions,defaultPasskeyProfile,includeTargets,excludeTargets,passkeyProfiles";
const tapPolicySelect =
  "id,state,defaultLifetimeInMinutes,minimumLifetimeInMinutes,maximumLifetimeInMinutes,isUsableOnce,defaultLength,includeTargets,excludeTargets";
const fido2MethodSelect =
  "id,displayName,createdDateTime,aaGuid,model,attestationCertificates,attestationLevel,passkeyType";
const tapMethodSelect =
  "id,temporaryAccessPass,createdDateTime,startDateTime,lifetimeInMinutes,isUsableOnce,isUsable,methodUsabilityReason";
const registrationSelect =
  "id,userPrincipalName,userDisplayName,userType,isAdmin,isMfaCapable,isMfaRegistered,isPasswordlessCapable,isSsprCapable,isSsprEnabled,isSsprRegistered,isSystemPreferredAuthenticationMethodEnabled,systemPreferredAuthenticationMethods,userPreferredMethodForSecondaryAuthentication,methodsRegistered,lastUpdatedDateTime";
const auditSelect =
  "id,activityDateTime,activityDisplayName,category,correlationId,loggedByService,operationType,result,resultReason,initiatedBy,targetResources,additionalDetails";
const signInSelect =
  "id,createdDateTime,userId,userPrincipalName,appDisplayName,isInteractive,status,authenticationRequirement,authenticationDetails,deviceDetail";
const roleGrantSelect = "id,principalId,roleDefinitionId,directoryScopeId";
const groupSelect = "id,displayName";
/** Past this many remembered group names, expired ones are dropped (policy targets are a handful of groups). */
const groupNameCacheSoftLimit = 500;
const policyPath = "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations";
const policyUpdateActivity = "Authentication Methods Policy Update";

/** Reads of the reports bucket: sign-ins, audits, registration reports and every authentication-method endpoint. */
function isReportsPath(path: string): boolean {
  return /^\/(auditLogs|reports)\//i.test(path) || /^\/users\/[^/]+\/authentication\//i.test(path);
}

export function costOf(request: { method: string; url: string }): RequestCost {
  const [path = "", query = ""] = request.url.split("?");
  if (isReportsPath(path)) return { reports: 1, resourceUnits: 0 };
  return { reports: 0, resourceUnits: resourceUnitCost({ method: request.method, path, query }) };
}

export function sumCosts(costs: RequestCost[]): RequestCost {
  return costs.reduce(
    (sum, cost) => ({ reports: sum.reports + cost.reports, resourceUnits: sum.resourceUnits + cost.resourceUnits }),
    {
      reports: 0,
      resourceUnits: 0,
    },
  );
}

function toDirectoryUser(raw: Record<string, unknown>): DirectoryUser {
  return {
    id: String(raw.id),
    userPrincipalName: String(raw.userPrincipalName ?? ""),
    displayName: (raw.displayName as string | null | undefined) ?? null,
    mail: (raw.mail as string | null | undefined) ?? null,
    userType: (raw.userType as string | null | undefined) ?? null,
    accountEnabled: (raw.accountEnabled as boolean | null | undefined) ?? null,
    preferredLanguage: (raw.preferredLanguage as string | null | undefined) ?? null,
    jobTitle: (raw.jobTitle as string | null | undefined) ?? null,
  };
}

function withTargets<T extends { includeTargets?: unknown; excludeTargets?: unknown }>(raw: T): T {
  return { ...raw, includeTargets: raw.includeTargets ?? [], excludeTargets: raw.excludeTargets ?? [] };
}

function problemOf(error: GraphError): ReadProblem {
  // A 401 is a rejected token (credentials), not a permission the app lacks: nothing can be read until it is fixed.
  if (error instanceof AccessDeniedError && error.status !== 401) {
    return { kind: "accessDenied", missingPermission: error.missingPermission };
  }
  if (error instanceof ThrottledError) return { kind: "throttled", retryAfterSeconds: error.retryAfterSeconds };
  return { kind: "unavailable", detail: error.message };
}

async function read<T>(work: () => Promise<T>): Promise<GraphRead<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof Error && "status" in error) return { ok: false, problem: problemOf(error as GraphError) };
    throw error;
  }
}

const notRequested: GraphRead<never> = { ok: false, problem: { kind: "notRequested" } };

/** The app's credential for Graph; shared with the inventory reader so both authenticate the same way. */
export function createCredential(options: GraphConnectionOptions): TokenCredential {
  if (options.mode === "emulator") {
    return new ClientCredentialsTokenCredential({
      authorityHost: options.baseUrl,
      tenantId: options.tenantId,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
    });
  }
  const { credential, tenantId, clientId } = options;
  switch (credential.kind) {
    case "secret":
      return new ClientSecretCredential(tenantId, clientId, credential.clientSecret);
    case "certificate":
      return new ClientCertificateCredential(tenantId, clientId, { certificatePath: credential.certificatePath });
    case "managedIdentity":
      return new ManagedIdentityCredential({ clientId });
  }
}

/**
 * The Graph gateway: every Graph call the bot makes, by intent. Each call selects only what the bot reads, escapes
 * what it puts into a URL, waits its turn in the tenant's request scheduler and fails with a named error.
 */
export function createGraphGateway(options: GraphGatewayOptions): GraphGateway {
  const baseUrl = (
    options.mode === "emulator" ? options.baseUrl : (options.baseUrl ?? "https://graph.microsoft.com")
  ).replace(/\/+$/, "");
  const clock = options.clock ?? systemClock;
  const transport = createGraphTransport({
    baseUrl,
    credential: new CachedTokenCredential(createCredential(options), () => clock.now()),
    timeoutMs: options.requestTimeoutMs,
  });
  const scheduler = options.scheduler ?? new RequestScheduler({ clock, ...options.schedulerOptions });
  return new GraphGatewayImpl(
    transport,
    scheduler,
    baseUrl,
    clock,
    (options.policySnapshotSeconds ?? 60) * 1000,
    options.auditPageSize ?? 50,
    options.shareSignInReads ?? true,
  );
}

/** The fair queue's lane for the shared sign-in read (no person's object id looks like this). */
const SIGN_IN_FEED_LANE = "shared:sign-in-feed";

/** How long a tenant policy snapshot past its fresh minute is still served while a background refresh runs. */
const STALE_POLICY_SNAPSHOT_MS = 10 * 60_000;

class GraphGatewayImpl implements GraphGateway {
  private policySnapshot: { value: TenantPolicySnapshot; expiresAt: number } | null = null;
  private policySnapshotInFlight: Promise<TenantPolicySnapshot> | null = null;
  /** Lower-cased group id → display name (null: Graph does not know the group or the app may not read it). */
  private groupNames = new Map<string, { name: string | null; expiresAt: number }>();
  private groupNamesInFlight = new Map<string, Promise<void>>();
  private readonly signInFeed: SignInFeed | null;

  constructor(
    private readonly transport: GraphTransport,
    private readonly scheduler: RequestScheduler,
    private readonly baseUrl: string,
    private readonly clock: SchedulerClock,
    private readonly policySnapshotMs: number,
    private readonly auditPageSize: number,
    shareSignInReads: boolean,
  ) {
    this.signInFeed = shareSignInReads
      ? new SignInFeed({
          now: () => this.clock.now(),
          firstPage: (fromMs) => ({
            method: "GET",
            version: "beta",
            url: `/auditLogs/signIns${queryString({
              $filter: `createdDateTime ge ${odataDateTime(new Date(fromMs).toISOString())}`,
              $select: signInSelect,
              $top: 1000,
            })}`,
          }),
          nextPage: (link) => requestFromLink(link, this.baseUrl),
          // The shared read waits in its own lane of the fair queue, not in the lane of whoever happened to trigger
          // it: behind a flooder's backlog it would hold up everyone it serves.
          fetchPage: (request, priority, onStart) =>
            runWithGraphRequestContext({ person: SIGN_IN_FEED_LANE }, () =>
              this.scheduler.schedule(priority, costOf(request), async () => {
                onStart();
                try {
                  return (await this.transport(request)) as GraphPage<SignInRecord>;
                } catch (error) {
                  throw mapGraphError(error, "listSignIns");
                }
              }),
            ),
          readOneUser: (userId, sinceMs, priority) =>
            this.listUserSignIns(userId, new Date(sinceMs).toISOString(), priority),
        })
      : null;
  }

  /** One request through the scheduler; failures become named errors. */
  private send<T>(call: GraphCall, request: GraphHttpRequest, priority: RequestPriority = "interactive"): Promise<T> {
    return this.scheduler.schedule(priority, costOf(request), async () => {
      try {
        return (await this.transport(request)) as T;
      } catch (error) {
        throw mapGraphError(error, call);
      }
    });
  }

  private get<T>(call: GraphCall, url: string, priority?: RequestPriority, version: GraphVersion = "v1.0") {
    return this.send<T>(call, { method: "GET", version, url }, priority);
  }

  private list<T>(call: GraphCall, url: string, priority?: RequestPriority, maxItems?: number): Promise<T[]> {
    return pageThrough<T>(
      { method: "GET", version: "v1.0", url },
      (request) => this.send<GraphPage<T>>(call, request, priority),
      (link) => requestFromLink(link, this.baseUrl),
      { maxItems },
    );
  }

  /** Sends v1.0 `$batch` chunks through the scheduler; a throttled item pauses its bucket before the retry. */
  private batch(
    requests: BatchRequest[],
    priority: RequestPriority,
    call: GraphCall = "getUser",
  ): Promise<Map<string, BatchResponse>> {
    return sendBatch(requests, {
      post: (chunk) =>
        this.scheduler.schedule(priority, sumCosts(chunk.map(costOf)), () => postBatch(this.transport, chunk, call)),
      beforeRetry: (throttled, seconds) => {
        const urls = new Map(requests.map((request) => [request.id.toLowerCase(), request]));
        for (const response of throttled) {
          const request = urls.get(String(response.id).toLowerCase());
          if (request) this.scheduler.pause(costOf(request).reports > 0 ? "reports" : "directory", seconds);
        }
      },
    });
  }

  /** GET /users/{id | userPrincipalName} — User.Read.All. */
  async getUser(idOrUpn: string, priority?: RequestPriority): Promise<DirectoryUser> {
    const raw = await this.get<Record<string, unknown>>(
      "getUser",
      `/users/${userPathSegment(idOrUpn)}${queryString({ $select: userSelect })}`,
      priority,
    );
    return toDirectoryUser(raw);
  }

  /** GET /users?$filter=startswith(displayName,'…') or startswith(userPrincipalName,'…') — User.Read.All. */
  async findUsers(text: string, top = 10): Promise<DirectoryUser[]> {
    const term = text.trim().slice(0, 64);
    if (term === "") return [];
    const literal = odataLiteral(term);
    const filter = `startswith(displayName,${literal}) or startswith(userPrincipalName,${literal})`;
    const page = await this.get<GraphPage<Record<string, unknown>>>(
      "findUsers",
      `/users${queryString({ $filter: filter, $select: userSelect, $top: Math.min(Math.max(1, top), 999) })}`,
    );
    return page.value.map(toDirectoryUser);
  }

  /** POST /users/{id}/checkMemberGroups in chunks of 20 (transitive) — User.Read.All + GroupMember.Read.All. */
  async checkMemberGroups(userId: string, groupIds: string[], priority?: RequestPriority): Promise<string[]> {
    const ids = memberGroupIds(groupIds);
    const matched: string[] = [];
    for (let start = 0; start < ids.length; start += 20) {
      const result = await this.send<{ value: string[] }>(
        "checkMemberGroups",
        {
          method: "POST",
          version: "v1.0",
          url: `/users/${userPathSegment(userId)}/checkMemberGroups`,
          body: { groupIds: ids.slice(start, start + 20) },
        },
        priority,
      );
      matched.push(...result.value);
    }
    return matched;
  }

  /**
   * GET /groups/{id}?$select=id,displayName for the ids not cached, in one `$batch` — GroupMember.Read.All. Names are
   * tenant-wide: kept as long as the policy snapshot, and concurrent callers wait for the same fetch.
   */
  async getGroupDisplayNames(
    groupIds: string[],
    priority: RequestPriority = "interactive",
  ): Promise<Record<string, string>> {
    const ids = memberGroupIds(groupIds);
    const now = this.clock.now();
    const isCached = (key: string) => (this.groupNames.get(key)?.expiresAt ?? 0) > now;
    const missing = ids.filter((id) => !isCached(id.toLowerCase()) && !this.groupNamesInFlight.has(id.toLowerCase()));
    if (missing.length > 0) {
      const fetch = this.fetchGroupNames(missing, priority).finally(() => {
        for (const id of missing) this.groupNamesInFlight.delete(id.toLowerCase());
      });
      for (const id of missing) this.groupNamesInFlight.set(id.toLowerCase(), fetch);
    }
    const waits = new Set(ids.flatMap((id) => this.groupNamesInFlight.get(id.toLowerCase()) ?? []));
    await Promise.all(waits);
    const names: Record<string, string> = {};
    for (const id of ids) {
      const name = this.groupNames.get(id.toLowerCase())?.name;
      if (name) names[id] = name;
    }
    return names;
  }

  private async fetchGroupNames(ids: string[], priority: RequestPriority): Promise<void> {
    const requests: BatchRequest[] = ids.map((id, index) => ({
      id: `group-${index}`,
      method: "GET",
      url: `/groups/${id}${queryString({ $select: groupSelect })}`,
    }));
    const responses = await this.batch(requests, priority, "getGroupDisplayNames");
    const expiresAt = this.clock.now() + this.policySnapshotMs;
    if (this.groupNames.size > groupNameCacheSoftLimit) {
      for (const [key, entry] of this.groupNames) if (entry.expiresAt <= this.clock.now()) this.groupNames.delete(key);
    }
    ids.forEach((id, index) => {
      const response = responses.get(`group-${index}`);
      const status = response?.status ?? 0;
      let name: string | null;
      if (status >= 200 && status < 300) {
        const displayName = (response?.body as { displayName?: unknown } | undefined)?.displayName;
        name = typeof displayName === "string" && displayName !== "" ? displayName : null;
      } else if (status === 403 || status === 404) {
        // Asking again every triage would not change the answer before the policy snapshot is read again.
        name = null;
      } else {
        return; // throttled or unavailable: worth asking again next time
      }
      this.groupNames.set(id.toLowerCase(), { name, expiresAt });
    });
  }

  /** GET /users/{id}/manager — User.Read.All. 404 means no manager is set. */
  async getManager(userId: string): Promise<DirectoryUser | null> {
    try {
      const raw = await this.get<Record<string, unknown>>(
        "getManager",
        `/users/${userPathSegment(userId)}/manager${queryString({ $select: userSelect })}`,
      );
      return toDirectoryUser(raw);
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }

  /** GET /groups/{id}/transitiveMembers/microsoft.graph.user — GroupMember.Read.All. Nested groups' users included. */
  async listGroupMembers(groupId: string, priority?: RequestPriority): Promise<DirectoryUser[]> {
    const members = await this.list<Record<string, unknown>>(
      "listGroupMembers",
      `/groups/${requireGuid(groupId, "group id")}/transitiveMembers/microsoft.graph.user${queryString({ $select: userSelect })}`,
      priority,
    );
    return members.map(toDirectoryUser);
  }

  /**
   * Every directory role the user holds, however: assigned to them or to a role-assignable group they are in, active
   * or eligible (PIM), and through PIM for Groups eligibility to such a group. GET
   * /roleManagement/directory/roleAssignments — RoleManagement.Read.Directory; GET
   * /roleManagement/directory/roleEligibilityScheduleInstances — RoleEligibilitySchedule.Read.Directory; GET
   * /users/{id}/transitiveMemberOf/microsoft.graph.group — GroupMember.Read.All; GET
   * /identityGovernance/privilegedAccess/group/eligibilityScheduleInstances — PrivilegedEligibilitySchedule.Read.AzureADGroup.
   */
  async getDirectoryRoleGrants(userId: string): Promise<DirectoryRoleGrant[]> {
    const [direct, groups, groupEligibilities] = await Promise.all([
      this.roleGrantsOf(userId),
      this.list<{ id: string; displayName?: string | null; isAssignableToRole?: boolean | null }>(
        "listTransitiveGroups",
        `/users/${requireGuid(userId, "user id")}/transitiveMemberOf/microsoft.graph.group${queryString({
          $select: "id,displayName,isAssignableToRole",
          $top: 999,
        })}`,
      ),
      this.listGroupEligibilities(userId),
    ]);
    // Only a role-assignable group can hold a directory role; a PIM-eligible group is asked whatever it is.
    const holders = new Map<string, NonNullable<DirectoryRoleGrant["viaGroup"]>>();
    for (const group of groups) {
      if (group.isAssignableToRole === true) {
        holders.set(group.id, { id: group.id, displayName: group.displayName ?? null, membership: "member" });
      }
    }
    for (const eligibility of groupEligibilities) {
      if (holders.has(eligibility.groupId)) continue;
      const name = groups.find((group) => group.id === eligibility.groupId)?.displayName ?? null;
      holders.set(eligibility.groupId, {
        id: eligibility.groupId,
        displayName: name,
        membership: eligibility.accessId === "owner" ? "eligibleOwner" : "eligibleMember",
      });
    }
    const viaGroups = await Promise.all(
      [...holders.values()].map(async (viaGroup) =>
        (await this.roleGrantsOf(viaGroup.id)).map(
          (grant): DirectoryRoleGrant => ({
            ...grant,
            // A role held only through eligibility for the group is itself only eligible.
            kind: viaGroup.membership === "member" ? grant.kind : "eligible",
            viaGroup,
          }),
        ),
      ),
    );
    return [...direct, ...viaGroups.flat()];
  }

  /** Active and eligible directory role grants whose principal is exactly `principalId` (a user or a group). */
  /** GET /identityGovernance/privilegedAccess/group/eligibilityScheduleInstances — PrivilegedEligibilitySchedule.Read.AzureADGroup. */
  async listGroupEligibilities(userId: string): Promise<Array<{ groupId: string; accessId: string }>> {
    const user = odataGuidLiteral(userId, "user id");
    return this.list<{ groupId: string; accessId: string }>(
      "listGroupEligibilities",
      `/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances${queryString({
        $filter: `principalId eq ${user}`,
        $select: "id,groupId,principalId,accessId",
      })}`,
    );
  }

  private async roleGrantsOf(principalId: string): Promise<DirectoryRoleGrant[]> {
    const filter = `principalId eq ${odataGuidLiteral(principalId, "principal id")}`;
    const options = {
      $filter: filter,
      $select: roleGrantSelect,
      $expand: "roleDefinition($select=displayName,templateId)",
    };
    type RawGrant = {
      id: string;
      principalId: string;
      roleDefinitionId: string;
      directoryScopeId?: string | null;
      roleDefinition?: { displayName?: string | null } | null;
    };
    const toGrant =
      (kind: DirectoryRoleGrant["kind"]) =>
      (raw: RawGrant): DirectoryRoleGrant => ({
        id: raw.id,
        principalId: raw.principalId,
        roleDefinitionId: raw.roleDefinitionId,
        directoryScopeId: raw.directoryScopeId ?? null,
        roleDisplayName: raw.roleDefinition?.displayName ?? null,
        kind,
      });
    const [active, eligible] = await Promise.all([
      this.list<RawGrant>("listRoleAssignments", `/roleManagement/directory/roleAssignments${queryString(options)}`),
      this.list<RawGrant>(
        "listRoleEligibilities",
        `/roleManagement/directory/roleEligibilityScheduleInstances${queryString(options)}`,
      ),
    ]);
    return [...active.map(toGrant("active")), ...eligible.map(toGrant("eligible"))];
  }

  /** GET …/authenticationMethodConfigurations/fido2 — Policy.Read.AuthenticationMethod. */
  async getPasskeyPolicy(priority?: RequestPriority): Promise<Fido2Policy> {
    const raw = await this.get<Fido2Policy>(
      "getPasskeyPolicy",
      `${policyPath}/fido2${queryString({ $select: fido2PolicySelect })}`,
      priority,
    );
    return withTargets(raw);
  }

  /** GET …/authenticationMethodConfigurations/temporaryAccessPass — Policy.Read.AuthenticationMethod. */
  async getTemporaryAccessPassPolicy(priority?: RequestPriority): Promise<TemporaryAccessPassPolicy> {
    const raw = await this.get<TemporaryAccessPassPolicy>(
      "getTemporaryAccessPassPolicy",
      `${policyPath}/temporaryAccessPass${queryString({ $select: tapPolicySelect })}`,
      priority,
    );
    return withTargets(raw);
  }

  /**
   * GET /identity/conditionalAccess/policies — Policy.Read.All. Read with the tenant snapshot (cached a minute): the
   * Conditional Access resources allow about one request a second per tenant and send no Retry-After.
   */
  async listConditionalAccessPolicies(priority?: RequestPriority): Promise<ConditionalAccessPolicy[]> {
    return this.list<ConditionalAccessPolicy>(
      "listConditionalAccessPolicies",
      `/identity/conditionalAccess/policies${queryString({ $select: "id,displayName,state,conditions,grantControls" })}`,
      priority,
    );
  }

  /**
   * Both policies and the last hour's "Authentication Methods Policy Update" audits (AuditLog.Read.All). Fresh for a
   * minute and shared: concurrent callers wait for the same fetch instead of each spending the reports bucket. After
   * that minute the snapshot is still served at once for up to STALE_POLICY_SNAPSHOT_MS while one background-priority
   * refresh runs, so a person's triage does not pay the tenant-wide audit read (a third reports-bucket request) —
   * only the first triage after start or after a long idle spell does.
   */
  getTenantPolicySnapshot(): Promise<TenantPolicySnapshot> {
    const cached = this.policySnapshot;
    const now = this.clock.now();
    if (cached && now < cached.expiresAt) return Promise.resolve(cached.value);
    if (cached && now < cached.expiresAt + STALE_POLICY_SNAPSHOT_MS) {
      if (!this.policySnapshotInFlight) void this.refreshTenantPolicySnapshot("background");
      return Promise.resolve(cached.value);
    }
    return this.policySnapshotInFlight ?? this.refreshTenantPolicySnapshot("interactive");
  }

  private refreshTenantPolicySnapshot(priority: RequestPriority): Promise<TenantPolicySnapshot> {
    const fetch = this.fetchTenantPolicySnapshot(priority).finally(() => {
      this.policySnapshotInFlight = null;
    });
    this.policySnapshotInFlight = fetch;
    return fetch;
  }

  private async fetchTenantPolicySnapshot(priority: RequestPriority): Promise<TenantPolicySnapshot> {
    const since = new Date(this.clock.now() - 60 * 60_000).toISOString();
    const [fido2, temporaryAccessPass, recentPolicyChanges, conditionalAccess] = await Promise.all([
      read(() => this.getPasskeyPolicy(priority)),
      read(() => this.getTemporaryAccessPassPolicy(priority)),
      read(() =>
        this.list<DirectoryAuditRecord>(
          "listDirectoryAudits",
          `/auditLogs/directoryAudits${queryString({
            $filter: `activityDisplayName eq ${odataLiteral(policyUpdateActivity)} and activityDateTime ge ${odataDateTime(since)}`,
            $select: auditSelect,
            $orderby: "activityDateTime desc",
            $top: 50,
          })}`,
          priority,
          50,
        ).then(newestFirst("activityDateTime")),
      ),
      read(() => this.listConditionalAccessPolicies(priority)),
    ]);
    const value: TenantPolicySnapshot = {
      fido2,
      temporaryAccessPass,
      recentPolicyChanges,
      conditionalAccess,
      fetchedDateTime: new Date(this.clock.now()).toISOString(),
    };
    // A snapshot missing a part because Graph was briefly unavailable is not worth keeping for a minute.
    const isComplete = [fido2, temporaryAccessPass, recentPolicyChanges, conditionalAccess].every(
      (part) => part.ok || part.problem.kind === "accessDenied",
    );
    if (isComplete) this.policySnapshot = { value, expiresAt: this.clock.now() + this.policySnapshotMs };
    return value;
  }

  /**
   * Per-user triage reads in one round trip: a v1.0 `$batch` (user, checkMemberGroups, authentication/methods,
   * registeredDevices, directoryAudits when asked) and, beside it, the beta sign-ins a v1.0 batch cannot carry.
   * Reports bucket: methods, plus sign-ins and audits only when asked for.
   */
  async getUserAuthSnapshot(userId: string, request: UserAuthSnapshotRequest): Promise<UserAuthSnapshot> {
    const id = requireGuid(userId, "user id");
    const priority = request.priority ?? "interactive";
    const groupIds = memberGroupIds(request.groupIds);
    const requests: BatchRequest[] = [
      { id: "user", method: "GET", url: `/users/${id}${queryString({ $select: userSelect })}` },
      { id: "methods", method: "GET", url: `/users/${id}/authentication/methods` },
      { id: "devices", method: "GET", url: `/users/${id}/registeredDevices${queryString({ $select: deviceSelect })}` },
    ];
    for (let start = 0; start < groupIds.length; start += 20) {
      requests.push({
        id: `groups-${start / 20}`,
        method: "POST",
        url: `/users/${id}/checkMemberGroups`,
        headers: { "Content-Type": "application/json" },
        body: { groupIds: groupIds.slice(start, start + 20) },
      });
    }
    if (request.auditsSince)
      requests.push({ id: "audits", method: "GET", url: this.userAuditsUrl(id, request.auditsSince) });

    const signInsRead: Promise<GraphRead<SignInRecord[]>> = request.signInsSince
      ? read(() => this.listSignIns(id, request.signInsSince as string, priority))
      : Promise.resolve(notRequested);
    const [responses, signIns] = await Promise.all([this.batch(requests, priority), signInsRead]);

    const part = <T>(key: string, call: GraphCall, parse: (body: unknown) => T): GraphRead<T> => {
      const response = responses.get(key);
      if (response && response.status >= 200 && response.status < 300) return { ok: true, value: parse(response.body) };
      return { ok: false, problem: problemOf(mapGraphError(response ?? { status: 0 }, call)) };
    };
    const userResponse = responses.get("user");
    if (!userResponse || userResponse.status < 200 || userResponse.status >= 300) {
      throw mapGraphError(userResponse ?? { status: 0 }, "getUser");
    }
    const values = (body: unknown) => ((body as { value?: unknown[] } | undefined)?.value ?? []) as never[];
    let memberOfGroupIds: GraphRead<string[]> = { ok: true, value: [] };
    for (let index = 0; index * 20 < groupIds.length; index++) {
      const chunk = part(`groups-${index}`, "checkMemberGroups", (body) => values(body) as string[]);
      if (!chunk.ok) {
        memberOfGroupIds = chunk;
        break;
      }
      if (memberOfGroupIds.ok) memberOfGroupIds = { ok: true, value: [...memberOfGroupIds.value, ...chunk.value] };
    }
    return {
      user: toDirectoryUser(userResponse.body as Record<string, unknown>),
      memberOfGroupIds,
      methods: part("methods", "listAuthenticationMethods", (body) => values(body) as AuthenticationMethod[]),
      devices: part("devices", "listRegisteredDevices", (body) => values(body) as DirectoryDevice[]),
      signIns,
      registrationAudits: request.auditsSince
        ? part("audits", "listDirectoryAudits", (body) =>
            newestFirst<DirectoryAuditRecord>("activityDateTime")(values(body) as DirectoryAuditRecord[]),
          )
        : notRequested,
      fetchedDateTime: new Date(this.clock.now()).toISOString(),
    };
  }

  private userAuditsUrl(userId: string, since: string): string {
    return `/auditLogs/directoryAudits${queryString({
      $filter: `targetResources/any(t:t/id eq ${odataGuidLiteral(userId, "user id")}) and activityDateTime ge ${odataDateTime(since)}`,
      $select: auditSelect,
      $orderby: "activityDateTime desc",
      $top: this.auditPageSize,
    })}`;
  }

  /**
   * The person's sign-ins since a time, newest first (at most 50): from the shared tenant-wide feed when it is on (one
   * reports request serves every triage waiting), else read for this person alone.
   */
  private listSignIns(userId: string, since: string, priority: RequestPriority): Promise<SignInRecord[]> {
    if (this.signInFeed) return this.signInFeed.read(userId, Date.parse(since), priority);
    return this.listUserSignIns(userId, since, priority);
  }

  /** beta GET /auditLogs/signIns (only beta carries MFA detail), newest first — AuditLog.Read.All. */
  private async listUserSignIns(userId: string, since: string, priority: RequestPriority): Promise<SignInRecord[]> {
    const filter = `userId eq ${odataGuidLiteral(userId, "user id")} and createdDateTime ge ${odataDateTime(since)}`;
    const page = await this.get<GraphPage<SignInRecord>>(
      "listSignIns",
      `/auditLogs/signIns${queryString({ $filter: filter, $select: signInSelect, $top: 50 })}`,
      priority,
      "beta",
    );
    return newestFirst<SignInRecord>("createdDateTime")(page.value);
  }

  /**
   * GET /users/{id}/authentication/methods — UserAuthenticationMethod.Read.All. No `$select`: the list is polymorphic
   * and selecting would drop the derived types' properties (aaGuid, keyStrength…) the triage needs.
   */
  listAuthenticationMethods(userId: string, priority?: RequestPriority): Promise<AuthenticationMethod[]> {
    return this.list("listAuthenticationMethods", `/users/${userPathSegment(userId)}/authentication/methods`, priority);
  }

  /** GET /users/{id}/authentication/fido2Methods — UserAuthMethod-Passkey.Read.All. */
  listPasskeys(userId: string, priority?: RequestPriority): Promise<Fido2Method[]> {
    return this.list<Omit<Fido2Method, "@odata.type">>(
      "listPasskeys",
      `/users/${userPathSegment(userId)}/authentication/fido2Methods${queryString({ $select: fido2MethodSelect })}`,
      priority,
    ).then((methods) =>
      methods.map((method) => ({ ...method, "@odata.type": "#microsoft.graph.fido2AuthenticationMethod" as const })),
    );
  }

  /** GET /users/{id}/authentication/temporaryAccessPassMethods — UserAuthMethod-TAP.Read.All. */
  listTemporaryAccessPasses(userId: string, priority?: RequestPriority): Promise<TemporaryAccessPassMethod[]> {
    return this.list<Omit<TemporaryAccessPassMethod, "@odata.type">>(
      "listTemporaryAccessPasses",
      `/users/${userPathSegment(userId)}/authentication/temporaryAccessPassMethods${queryString({ $select: tapMethodSelect })}`,
      priority,
    ).then((methods) => methods.map(asTapMethod));
  }

  /**
   * POST /users/{id}/authentication/temporaryAccessPassMethods — UserAuthMethod-TAP.ReadWrite.All. The response is the
   * only time Graph reveals the code: it is returned to the caller and never logged or kept here.
   */
  async createTemporaryAccessPass(
    userId: string,
    request: { lifetimeInMinutes: number; isUsableOnce: boolean; startDateTime?: string },
  ): Promise<TemporaryAccessPassMethod> {
    const body: Record<string, unknown> = {
      lifetimeInMinutes: request.lifetimeInMinutes,
      isUsableOnce: request.isUsableOnce,
    };
    if (request.startDateTime) body.startDateTime = odataDateTime(request.startDateTime);
    const created = await this.send<Omit<TemporaryAccessPassMethod, "@odata.type">>("createTemporaryAccessPass", {
      method: "POST",
      version: "v1.0",
      url: `/users/${userPathSegment(userId)}/authentication/temporaryAccessPassMethods`,
      body,
    });
    return asTapMethod(created);
  }

  /** DELETE /users/{id}/authentication/temporaryAccessPassMethods/{methodId} — UserAuthMethod-TAP.ReadWrite.All. */
  async deleteTemporaryAccessPass(userId: string, methodId: string): Promise<void> {
    await this.send<void>("deleteTemporaryAccessPass", {
      method: "DELETE",
      version: "v1.0",
      url: `/users/${userPathSegment(userId)}/authentication/temporaryAccessPassMethods/${encodePathSegment(requireGuid(methodId, "TAP method id"))}`,
    });
  }

  /** GET /reports/authenticationMethods/userRegistrationDetails/{id} — AuditLog.Read.All. */
  getRegistrationDetails(userId: string, priority?: RequestPriority): Promise<UserRegistrationDetails> {
    return this.get<UserRegistrationDetails>(
      "getRegistrationDetails",
      `/reports/authenticationMethods/userRegistrationDetails/${encodePathSegment(requireGuid(userId, "user id"))}${queryString({ $select: registrationSelect })}`,
      priority,
    );
  }

  /** GET /auditLogs/directoryAudits targeting the user since a time, newest first — AuditLog.Read.All. */
  listUserAudits(userId: string, since: string, priority?: RequestPriority): Promise<DirectoryAuditRecord[]> {
    return this.list<DirectoryAuditRecord>("listDirectoryAudits", this.userAuditsUrl(userId, since), priority).then(
      newestFirst("activityDateTime"),
    );
  }

  /**
   * GET /users/{id}/teamwork/installedApps?$expand=teamsApp — TeamsAppInstallation.ReadForUser.All. Matched here on
   * the catalog id or the manifest id (externalId), which differ for apps published to an organization's catalog.
   */
  async isAppInstalledForUser(userId: string, teamsAppId: string): Promise<boolean> {
    type Installation = { id: string; teamsApp?: { id?: string; externalId?: string | null } | null };
    const installations = await this.list<Installation>(
      "isAppInstalledForUser",
      `/users/${userPathSegment(userId)}/teamwork/installedApps${queryString({ $expand: "teamsApp", $select: "id" })}`,
    );
    const wanted = teamsAppId.toLowerCase();
    return installations.some(
      (installation) =>
        installation.teamsApp?.id?.toLowerCase() === wanted ||
        installation.teamsApp?.externalId?.toLowerCase() === wanted,
    );
  }

  /** POST /users/{id}/teamwork/installedApps — TeamsAppInstallation.ReadWriteSelfForUser.All. Already installed is fine. */
  async installAppForUser(userId: string, teamsAppId: string): Promise<void> {
    const appId = isGuid(teamsAppId) ? teamsAppId : encodePathSegment(teamsAppId);
    try {
      await this.send<void>("installAppForUser", {
        method: "POST",
        version: "v1.0",
        url: `/users/${userPathSegment(userId)}/teamwork/installedApps`,
        body: { "teamsApp@odata.bind": `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${appId}` },
      });
    } catch (error) {
      if ((error as GraphError).status === 409) return;
      throw error;
    }
  }

  /**
   * GET /organization?$select=id outside the scheduler. Any answer below 500 proves Graph is reachable — a 403 is only a
   * permission this probe lacks — except a rejected token: a 401, or the token endpoint refusing the app's
   * credentials, means no call the bot makes can succeed, so it is thrown (as AccessDeniedError, status 401) for
   * /healthz to report Graph down with that reason.
   */
  async isReachable(): Promise<boolean> {
    try {
      await this.transport({ method: "GET", version: "v1.0", url: `/organization${queryString({ $select: "id" })}` });
      return true;
    } catch (error) {
      // mapGraphError reports a refused token request as 401 too: rejected credentials are not "reachable".
      const mapped = mapGraphError(error, "getOrganization");
      if (mapped.status === 401) throw mapped;
      return mapped.status > 0 && mapped.status < 500;
    }
  }

  schedulerStatus(): SchedulerStatus {
    return this.scheduler.status();
  }
}

/** checkMemberGroups takes group GUIDs only; policy targets also hold the literal `all_users`. */
function memberGroupIds(groupIds: string[]): string[] {
  return [...new Set(groupIds.filter((id) => id !== "all_users").map((id) => requireGuid(id, "group id")))];
}

function asTapMethod(raw: Omit<TemporaryAccessPassMethod, "@odata.type">): TemporaryAccessPassMethod {
  return {
    ...raw,
    "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethod",
    temporaryAccessPass: raw.temporaryAccessPass ?? null,
  };
}

function newestFirst<T>(property: keyof T & string) {
  return (items: T[]): T[] =>
    [...items].sort((a, b) => String(b[property] ?? "").localeCompare(String(a[property] ?? "")));
}
