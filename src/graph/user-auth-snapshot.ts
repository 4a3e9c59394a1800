import { directoryUser, userSelect } from "./directory-user.js";
import type { RequestPriority, UserAuthSnapshotRequest } from "./graph-gateway.js";
import type { GraphRequester } from "./graph-requester.js";
import { mapGraphError } from "./map-graph-error.js";
import type {
  AuthenticationMethod,
  DirectoryAuditRecord,
  DirectoryDevice,
  GraphRead,
  SignInRecord,
  UserAuthSnapshot,
} from "./model.js";
import { newestFirst } from "./newest-first.js";
import { queryString, requireGuid } from "./odata-literal.js";
import { batchPart, notRequested, readPart } from "./read-part.js";
import type { BatchRequest } from "./send-batch.js";

const deviceSelect =
  "id,deviceId,displayName,operatingSystem,operatingSystemVersion,trustType,isManaged,isCompliant,approximateLastSignInDateTime";

export interface UserAuthSnapshotParts {
  requester: GraphRequester;
  clock: { now(): number };
  memberGroupIds(groupIds: string[]): string[];
  userAuditsUrl(userId: string, since: string): string;
  listSignIns(userId: string, since: string, priority: RequestPriority): Promise<SignInRecord[]>;
}

export interface UserAuthSnapshotCalls {
  /** Per-user reads for the triage in one round trip (a `$batch`, plus beta sign-ins beside it). */
  getUserAuthSnapshot(userId: string, request: UserAuthSnapshotRequest): Promise<UserAuthSnapshot>;
}

/**
 * Per-user triage reads in one round trip: a v1.0 `$batch` (user, checkMemberGroups, authentication/methods,
 * registeredDevices, directoryAudits when asked) and, beside it, the beta sign-ins a v1.0 batch cannot carry.
 * Reports bucket: methods, plus sign-ins and audits only when asked for. Only the user itself failing fails the
 * snapshot; any other part that cannot be read says why.
 */
export function userAuthSnapshot(parts: UserAuthSnapshotParts): UserAuthSnapshotCalls {
  const { requester, clock } = parts;
  const getUserAuthSnapshot = async (userId: string, request: UserAuthSnapshotRequest): Promise<UserAuthSnapshot> => {
    const id = requireGuid(userId, "user id");
    const priority = request.priority ?? "interactive";
    const groupIds = parts.memberGroupIds(request.groupIds);
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
    if (request.auditsSince) {
      requests.push({ id: "audits", method: "GET", url: parts.userAuditsUrl(id, request.auditsSince) });
    }

    const signInsRead: Promise<GraphRead<SignInRecord[]>> = request.signInsSince
      ? readPart(() => parts.listSignIns(id, request.signInsSince as string, priority))
      : Promise.resolve(notRequested);
    const [responses, signIns] = await Promise.all([requester.batch(requests, priority, "getUser"), signInsRead]);

    const userResponse = responses.get("user");
    if (!userResponse || userResponse.status < 200 || userResponse.status >= 300) {
      throw mapGraphError(userResponse ?? { status: 0 }, "getUser");
    }
    const values = (body: unknown) => ((body as { value?: unknown[] } | undefined)?.value ?? []) as never[];
    let memberOfGroupIds: GraphRead<string[]> = { ok: true, value: [] };
    for (let index = 0; index * 20 < groupIds.length; index++) {
      const chunk = batchPart(
        responses.get(`groups-${index}`),
        "checkMemberGroups",
        (body) => values(body) as string[],
      );
      if (!chunk.ok) {
        memberOfGroupIds = chunk;
        break;
      }
      if (memberOfGroupIds.ok) memberOfGroupIds = { ok: true, value: [...memberOfGroupIds.value, ...chunk.value] };
    }
    return {
      user: directoryUser(userResponse.body as Record<string, unknown>),
      memberOfGroupIds,
      methods: batchPart(
        responses.get("methods"),
        "listAuthenticationMethods",
        (body) => values(body) as AuthenticationMethod[],
      ),
      devices: batchPart(
        responses.get("devices"),
        "listRegisteredDevices",
        (body) => values(body) as DirectoryDevice[],
      ),
      signIns,
      registrationAudits: request.auditsSince
        ? batchPart(responses.get("audits"), "listDirectoryAudits", (body) =>
            newestFirst<DirectoryAuditRecord>("activityDateTime")(values(body) as DirectoryAuditRecord[]),
          )
        : notRequested,
      fetchedDateTime: new Date(clock.now()).toISOString(),
    };
  };
  return { getUserAuthSnapshot };
}
