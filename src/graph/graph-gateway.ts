import type { AuthenticationMethodCalls } from "./authentication-method-calls.js";
import type { DirectoryRoleCalls } from "./directory-role-calls.js";
import type { GroupCalls } from "./group-calls.js";
import type { PolicyCalls } from "./policy-calls.js";
import type { ReportCalls } from "./report-calls.js";
import type { TeamsAppCalls } from "./teams-app-calls.js";
import type { UserAuthSnapshotCalls } from "./user-auth-snapshot.js";
import type { UserCalls } from "./user-calls.js";

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
 * Everything the bot asks of Microsoft Graph, by intent: each part is declared, documented and built in its intent
 * file (users, groups, directory roles, policies, authentication methods, reports, Teams apps, the user auth
 * snapshot). Every function uses `$select`, escapes what it puts in a path or `$filter`, runs through the scheduler
 * and throws the named errors of graph-errors.ts.
 */
export interface GraphGateway
  extends UserCalls,
    GroupCalls,
    DirectoryRoleCalls,
    PolicyCalls,
    UserAuthSnapshotCalls,
    AuthenticationMethodCalls,
    ReportCalls,
    TeamsAppCalls {
  /** Cheap reachability probe for /healthz. */
  isReachable(): Promise<boolean>;
  schedulerStatus(): SchedulerStatus;
}
