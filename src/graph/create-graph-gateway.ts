import { authenticationMethodCalls } from "./authentication-method-calls.js";
import { directoryRoleCalls } from "./directory-role-calls.js";
import { type GraphConnectionOptions, graphConnection } from "./graph-connection.js";
import type { GraphGateway } from "./graph-gateway.js";
import { graphRequester } from "./graph-requester.js";
import { groupCalls, memberGroupIds } from "./group-calls.js";
import { mapGraphError } from "./map-graph-error.js";
import { queryString } from "./odata-literal.js";
import { policyCalls } from "./policy-calls.js";
import { reportCalls, userAuditsUrl } from "./report-calls.js";
import { RequestScheduler, type RequestSchedulerOptions } from "./request-scheduler.js";
import { type SchedulerClock, systemClock } from "./scheduler-clock.js";
import { signInCalls } from "./sign-in-calls.js";
import { teamsAppCalls } from "./teams-app-calls.js";
import { userAuthSnapshot } from "./user-auth-snapshot.js";
import { userCalls } from "./user-calls.js";

export type { GraphConnectionOptions } from "./graph-connection.js";
/** What a request spends of the throttling buckets; kept under its old name for the benchmarks. */
export { requestCost as costOf } from "./request-cost.js";

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

/**
 * The Graph gateway: every Graph call the bot makes, assembled from one file per intent (users, groups, directory
 * roles, policies, authentication methods, reports, sign-ins, Teams apps, the user auth snapshot) over one requester.
 * Each call selects only what the bot reads, escapes what it puts into a URL, waits its turn in the tenant's request
 * scheduler and fails with a named error.
 */
export function createGraphGateway(options: GraphGatewayOptions): GraphGateway {
  const clock = options.clock ?? systemClock;
  const { baseUrl, transport } = graphConnection(options, clock);
  const scheduler = options.scheduler ?? new RequestScheduler({ clock, ...options.schedulerOptions });
  const requester = graphRequester({ transport, scheduler, baseUrl });
  const snapshotMs = (options.policySnapshotSeconds ?? 60) * 1000;
  const auditPageSize = options.auditPageSize ?? 50;
  const signIns = signInCalls(requester, clock, options.shareSignInReads ?? true);
  return {
    ...userCalls(requester),
    ...groupCalls(requester, clock, snapshotMs),
    ...directoryRoleCalls(requester),
    ...policyCalls(requester, clock, snapshotMs),
    ...userAuthSnapshot({
      requester,
      clock,
      memberGroupIds,
      userAuditsUrl: (userId, since) => userAuditsUrl(userId, since, auditPageSize),
      listSignIns: signIns.listSignIns,
    }),
    ...authenticationMethodCalls(requester),
    ...reportCalls(requester, auditPageSize),
    ...teamsAppCalls(requester),

    /**
     * GET /organization?$select=id outside the scheduler. Any answer below 500 proves Graph is reachable — a 403 is
     * only a permission this probe lacks — except a rejected token: a 401, or the token endpoint refusing the app's
     * credentials, means no call the bot makes can succeed, so it is thrown (as AccessDeniedError, status 401) for
     * /healthz to report Graph down with that reason.
     */
    async isReachable(): Promise<boolean> {
      try {
        await transport({ method: "GET", version: "v1.0", url: `/organization${queryString({ $select: "id" })}` });
        return true;
      } catch (error) {
        // mapGraphError reports a refused token request as 401 too: rejected credentials are not "reachable".
        const mapped = mapGraphError(error, "getOrganization");
        if (mapped.status === 401) throw mapped;
        return mapped.status > 0 && mapped.status < 500;
      }
    },

    schedulerStatus: () => scheduler.status(),
  };
}
