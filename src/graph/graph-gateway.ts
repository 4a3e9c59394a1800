import type {
  AuthenticationMethod,
  ConditionalAccessPolicy,
  DirectoryAuditRecord,
  DirectoryRoleGrant,
  DirectoryUser,
  Fido2Method,
  Fido2Policy,
  TemporaryAccessPassMethod,
  TemporaryAccessPassPolicy,
  TenantPolicySnapshot,
  UserAuthSnapshot,
  UserRegistrationDetails,
} from "./model.js";

/**
 * Interactive work (a person waiting in chat) is served before background work (inventory, auto-revoke watch)
 * whenever Graph's throttling budget is short; TAP work (approval checks, issuance: a manager or an agent waiting on a
 * decision about someone's account) goes before other interactive work.
 */
export type RequestPriority = "tap" | "interactive" | "background";

export interface UserAuthSnapshotRequest {
  /** Group ids to test membership of (policy include/exclude targets, TAP targets); `all_users` is ignored. */
  groupIds: string[];
  /** Sign-ins since this time (beta /auditLogs/signIns); omitted ⇒ not read (saves a reports-bucket request). */
  signInsSince?: string;
  /** Registration audit events since this time; omitted ⇒ not read (saves a reports-bucket request). */
  auditsSince?: string;
  priority?: RequestPriority;
}

/**
 * Where the scheduler is with each throttling bucket; lets the bot tell a waiting user their queue position and an
 * estimate instead of leaving them staring at nothing.
 */
export interface SchedulerStatus {
  queuedInteractive: number;
  queuedBackground: number;
  /** Seconds until the reports bucket (5 requests / 10 s) has room for one more request. */
  reportsBucketWaitSeconds: number;
}

/**
 * Everything the bot asks of Microsoft Graph, by intent. Every function uses `$select`, escapes what it puts in a
 * path or `$filter`, runs through the scheduler and throws the named errors of graph-errors.ts.
 */
export interface GraphGateway {
  /** GET /users/{id | userPrincipalName} — User.Read.All. Throws NotFoundError. */
  getUser(idOrUpn: string, priority?: RequestPriority): Promise<DirectoryUser>;
  /** GET /users?$filter=startswith(displayName,'…') or startswith(userPrincipalName,'…') — User.Read.All. */
  findUsers(text: string, top?: number): Promise<DirectoryUser[]>;
  /** POST /users/{id}/checkMemberGroups (chunks of 20, transitive) — User.Read.All + GroupMember.Read.All. */
  checkMemberGroups(userId: string, groupIds: string[], priority?: RequestPriority): Promise<string[]>;
  /**
   * Display names of groups by id: GET /groups/{id}?$select=id,displayName for every id not cached yet, in one
   * `$batch` — GroupMember.Read.All (Group.Read.All, Directory.Read.All also do). Tenant-wide, so cached as long as the
   * tenant policy snapshot and shared by all conversations. An id Graph does not know (a deleted group still targeted
   * by a policy) or may not read is left out; `all_users` is ignored. Throws when the `$batch` itself fails.
   */
  getGroupDisplayNames(groupIds: string[], priority?: RequestPriority): Promise<Record<string, string>>;
  /** GET /users/{id}/manager — User.Read.All. null when the user has no manager. */
  getManager(userId: string): Promise<DirectoryUser | null>;
  /**
   * GET /groups/{id}/transitiveMembers/microsoft.graph.user (paged, users only) — GroupMember.Read.All.
   * Throws NotFoundError when the group does not exist.
   */
  listGroupMembers(groupId: string, priority?: RequestPriority): Promise<DirectoryUser[]>;
  /** Active role assignments and PIM eligibilities — RoleManagement.Read.Directory, RoleEligibilitySchedule.Read.Directory. */
  getDirectoryRoleGrants(userId: string): Promise<DirectoryRoleGrant[]>;
  /** PIM for Groups: the groups a user is eligible to join (member or owner) — PrivilegedEligibilitySchedule.Read.AzureADGroup. */
  listGroupEligibilities(userId: string): Promise<Array<{ groupId: string; accessId: string }>>;

  /** GET …/authenticationMethodConfigurations/fido2 — Policy.Read.AuthenticationMethod. */
  getPasskeyPolicy(): Promise<Fido2Policy>;
  /** GET …/authenticationMethodConfigurations/temporaryAccessPass — Policy.Read.AuthenticationMethod. */
  getTemporaryAccessPassPolicy(): Promise<TemporaryAccessPassPolicy>;
  /** Both policies and the last hour's policy-change audits; cached briefly, shared by all conversations. */
  getTenantPolicySnapshot(): Promise<TenantPolicySnapshot>;
  /** GET /identity/conditionalAccess/policies — Policy.Read.All. */
  listConditionalAccessPolicies(priority?: RequestPriority): Promise<ConditionalAccessPolicy[]>;
  /** Per-user reads for the triage in one round trip (a `$batch`, plus beta sign-ins beside it). */
  getUserAuthSnapshot(userId: string, request: UserAuthSnapshotRequest): Promise<UserAuthSnapshot>;

  /** GET /users/{id}/authentication/methods — UserAuthenticationMethod.Read.All. */
  listAuthenticationMethods(userId: string, priority?: RequestPriority): Promise<AuthenticationMethod[]>;
  /** GET /users/{id}/authentication/fido2Methods — UserAuthMethod-Passkey.Read.All. */
  listPasskeys(userId: string, priority?: RequestPriority): Promise<Fido2Method[]>;
  /** GET /users/{id}/authentication/temporaryAccessPassMethods — UserAuthMethod-TAP.Read.All. */
  listTemporaryAccessPasses(userId: string, priority?: RequestPriority): Promise<TemporaryAccessPassMethod[]>;
  /**
   * POST /users/{id}/authentication/temporaryAccessPassMethods — UserAuthMethod-TAP.ReadWrite.All.
   * The returned `temporaryAccessPass` is the only copy of the code that will ever exist: never store or log it.
   */
  createTemporaryAccessPass(
    userId: string,
    request: { lifetimeInMinutes: number; isUsableOnce: boolean; startDateTime?: string },
  ): Promise<TemporaryAccessPassMethod>;
  /** DELETE /users/{id}/authentication/temporaryAccessPassMethods/{methodId} — UserAuthMethod-TAP.ReadWrite.All. */
  deleteTemporaryAccessPass(userId: string, methodId: string): Promise<void>;
  /** GET /reports/authenticationMethods/userRegistrationDetails/{id} — AuditLog.Read.All. */
  getRegistrationDetails(userId: string, priority?: RequestPriority): Promise<UserRegistrationDetails>;
  /** GET /auditLogs/directoryAudits targeting the user since a time, newest first — AuditLog.Read.All. */
  listUserAudits(userId: string, since: string, priority?: RequestPriority): Promise<DirectoryAuditRecord[]>;

  /** GET /users/{id}/teamwork/installedApps — TeamsAppInstallation.ReadForUser.All. */
  isAppInstalledForUser(userId: string, teamsAppId: string): Promise<boolean>;
  /** POST /users/{id}/teamwork/installedApps — TeamsAppInstallation.ReadWriteSelfForUser.All. */
  installAppForUser(userId: string, teamsAppId: string): Promise<void>;

  /** Cheap reachability probe for /healthz. */
  isReachable(): Promise<boolean>;
  schedulerStatus(): SchedulerStatus;
}
