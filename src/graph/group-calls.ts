import { directoryUser, userSelect } from "./directory-user.js";
import type { RequestPriority } from "./graph-gateway.js";
import type { GraphRequester } from "./graph-requester.js";
import type { DirectoryUser } from "./model.js";
import { queryString, requireGuid, userPathSegment } from "./odata-literal.js";
import type { SchedulerClock } from "./scheduler-clock.js";
import type { BatchRequest } from "./send-batch.js";

const groupSelect = "id,displayName";
/** Past this many remembered group names, expired ones are dropped (policy targets are a handful of groups). */
const groupNameCacheSoftLimit = 500;

/** checkMemberGroups takes group GUIDs only; policy targets also hold the literal `all_users`. */
export function memberGroupIds(groupIds: string[]): string[] {
  return [...new Set(groupIds.filter((id) => id !== "all_users").map((id) => requireGuid(id, "group id")))];
}

/** Groups: a user's transitive membership, group display names (cached tenant-wide), a group's users. */
export interface GroupCalls {
  /** POST /users/{id}/checkMemberGroups (chunks of 20, transitive) — User.Read.All + GroupMember.Read.All. */
  checkMemberGroups(userId: string, groupIds: string[], priority?: RequestPriority): Promise<string[]>;
  /**
   * Display names of groups by id: GET /groups/{id}?$select=id,displayName for every id not cached yet, in one
   * `$batch` — GroupMember.Read.All (Group.Read.All, Directory.Read.All also do). Tenant-wide, so cached as long as the
   * tenant policy snapshot and shared by all conversations. An id Graph does not know (a deleted group still targeted
   * by a policy) or may not read is left out; `all_users` is ignored. Throws when the `$batch` itself fails.
   */
  getGroupDisplayNames(groupIds: string[], priority?: RequestPriority): Promise<Record<string, string>>;
  /**
   * GET /groups/{id}/transitiveMembers/microsoft.graph.user (paged, users only) — GroupMember.Read.All.
   * Throws NotFoundError when the group does not exist.
   */
  listGroupMembers(groupId: string, priority?: RequestPriority): Promise<DirectoryUser[]>;
}

export function groupCalls(
  requester: GraphRequester,
  clock: SchedulerClock,
  /** How long a group's name is kept: as long as the tenant policy snapshot that names the group. */
  nameCacheMs: number,
): GroupCalls {
  /** Lower-cased group id → display name (null: Graph does not know the group or the app may not read it). */
  const groupNames = new Map<string, { name: string | null; expiresAt: number }>();
  const groupNamesInFlight = new Map<string, Promise<void>>();

  const fetchGroupNames = async (ids: string[], priority: RequestPriority): Promise<void> => {
    const requests: BatchRequest[] = ids.map((id, index) => ({
      id: `group-${index}`,
      method: "GET",
      url: `/groups/${id}${queryString({ $select: groupSelect })}`,
    }));
    const responses = await requester.batch(requests, priority, "getGroupDisplayNames");
    const expiresAt = clock.now() + nameCacheMs;
    if (groupNames.size > groupNameCacheSoftLimit) {
      for (const [key, entry] of groupNames) if (entry.expiresAt <= clock.now()) groupNames.delete(key);
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
      groupNames.set(id.toLowerCase(), { name, expiresAt });
    });
  };

  return {
    /** POST /users/{id}/checkMemberGroups in chunks of 20 (transitive) — User.Read.All + GroupMember.Read.All. */
    async checkMemberGroups(userId: string, groupIds: string[], priority?: RequestPriority): Promise<string[]> {
      const ids = memberGroupIds(groupIds);
      const matched: string[] = [];
      for (let start = 0; start < ids.length; start += 20) {
        const result = await requester.send<{ value: string[] }>(
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
    },

    /**
     * GET /groups/{id}?$select=id,displayName for the ids not cached, in one `$batch` — GroupMember.Read.All. Names
     * are tenant-wide: kept as long as the policy snapshot, and concurrent callers wait for the same fetch.
     */
    async getGroupDisplayNames(
      groupIds: string[],
      priority: RequestPriority = "interactive",
    ): Promise<Record<string, string>> {
      const ids = memberGroupIds(groupIds);
      const now = clock.now();
      const isCached = (key: string) => (groupNames.get(key)?.expiresAt ?? 0) > now;
      const missing = ids.filter((id) => !isCached(id.toLowerCase()) && !groupNamesInFlight.has(id.toLowerCase()));
      if (missing.length > 0) {
        const fetch = fetchGroupNames(missing, priority).finally(() => {
          for (const id of missing) groupNamesInFlight.delete(id.toLowerCase());
        });
        for (const id of missing) groupNamesInFlight.set(id.toLowerCase(), fetch);
      }
      const waits = new Set(ids.flatMap((id) => groupNamesInFlight.get(id.toLowerCase()) ?? []));
      await Promise.all(waits);
      const names: Record<string, string> = {};
      for (const id of ids) {
        const name = groupNames.get(id.toLowerCase())?.name;
        if (name) names[id] = name;
      }
      return names;
    },

    /** GET /groups/{id}/transitiveMembers/microsoft.graph.user — GroupMember.Read.All. Nested groups' users included. */
    async listGroupMembers(groupId: string, priority?: RequestPriority): Promise<DirectoryUser[]> {
      const members = await requester.list<Record<string, unknown>>(
        "listGroupMembers",
        `/groups/${requireGuid(groupId, "group id")}/transitiveMembers/microsoft.graph.user${queryString({ $select: userSelect })}`,
        priority,
      );
      return members.map(directoryUser);
    },
  };
}
