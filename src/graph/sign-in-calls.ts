import type { RequestPriority } from "./graph-gateway.js";
import { runWithGraphRequestContext } from "./graph-request-context.js";
import type { GraphRequester } from "./graph-requester.js";
import type { SignInRecord } from "./model.js";
import { newestFirst } from "./newest-first.js";
import { odataDateTime, odataGuidLiteral, queryString } from "./odata-literal.js";
import type { GraphPage } from "./page-through.js";
import { SignInFeed } from "./sign-in-feed.js";

const signInSelect =
  "id,createdDateTime,userId,userPrincipalName,appDisplayName,isInteractive,status,authenticationRequirement,authenticationDetails,deviceDetail";

/** The fair queue's lane for the shared sign-in read (no person's object id looks like this). */
const SIGN_IN_FEED_LANE = "shared:sign-in-feed";

/**
 * Sign-ins (beta GET /auditLogs/signIns — AuditLog.Read.All; only beta carries MFA detail): a person's sign-ins since
 * a time, newest first (at most 50), from the shared tenant-wide feed when `shared` (one reports request serves every
 * triage waiting), else read for this person alone.
 */
export function signInCalls(requester: GraphRequester, clock: { now(): number }, shared: boolean) {
  const listUserSignIns = async (userId: string, since: string, priority: RequestPriority): Promise<SignInRecord[]> => {
    const filter = `userId eq ${odataGuidLiteral(userId, "user id")} and createdDateTime ge ${odataDateTime(since)}`;
    const page = await requester.get<GraphPage<SignInRecord>>(
      "listSignIns",
      `/auditLogs/signIns${queryString({ $filter: filter, $select: signInSelect, $top: 50 })}`,
      priority,
      "beta",
    );
    return newestFirst<SignInRecord>("createdDateTime")(page.value);
  };

  const feed = shared
    ? new SignInFeed({
        now: () => clock.now(),
        firstPage: (fromMs) => ({
          method: "GET",
          version: "beta",
          url: `/auditLogs/signIns${queryString({
            $filter: `createdDateTime ge ${odataDateTime(new Date(fromMs).toISOString())}`,
            $select: signInSelect,
            $top: 1000,
          })}`,
        }),
        nextPage: (link) => requester.requestFromLink(link),
        // The shared read waits in its own lane of the fair queue, not in the lane of whoever happened to trigger
        // it: behind a flooder's backlog it would hold up everyone it serves.
        fetchPage: (request, priority, onStart) =>
          runWithGraphRequestContext({ person: SIGN_IN_FEED_LANE }, () =>
            requester.send<GraphPage<SignInRecord>>("listSignIns", request, priority, onStart),
          ),
        readOneUser: (userId, sinceMs, priority) => listUserSignIns(userId, new Date(sinceMs).toISOString(), priority),
      })
    : null;

  return {
    listSignIns(userId: string, since: string, priority: RequestPriority): Promise<SignInRecord[]> {
      if (feed) return feed.read(userId, Date.parse(since), priority);
      return listUserSignIns(userId, since, priority);
    },
  };
}
