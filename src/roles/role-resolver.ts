/** The two Graph reads role decisions need; the GraphGateway satisfies it, tests pass a fake. */
export interface RoleDirectory {
  /** Ids among `groupIds` the user is a transitive member of. */
  checkMemberGroups(userId: string, groupIds: string[]): Promise<string[]>;
  getManager(userId: string): Promise<{ id: string } | null>;
}

export interface CallerRoles {
  isAgent: boolean;
  isAdmin: boolean;
}

export interface RoleGroups {
  agentsGroupId: string;
  adminsGroupId: string;
  tapApproversGroupId: string;
}

export interface RoleResolver {
  /** Agent/admin membership of the caller (transitive), cached for `cacheSeconds`. */
  resolveCallerRoles(aadObjectId: string): Promise<CallerRoles>;
  /**
   * Whether `callerId` may approve a TAP for `targetUserId`: the target's directory manager, or — only when the
   * target has no manager — a member of the approvers group. Never the target. Read fresh from the directory on
   * every call (no cache, never from card data): a revoked approver must stop approving at once.
   */
  isApproverFor(callerId: string, targetUserId: string): Promise<boolean>;
}

export interface RoleResolverOptions {
  directory: RoleDirectory;
  groups: RoleGroups;
  /** Milliseconds since the epoch; injected so cache expiry is testable without waiting. */
  now?: () => number;
  cacheSeconds?: number;
}

export function createRoleResolver({
  directory,
  groups,
  now = Date.now,
  cacheSeconds = 60,
}: RoleResolverOptions): RoleResolver {
  const cache = new Map<string, { roles: CallerRoles; expiresAt: number }>();

  return {
    async resolveCallerRoles(aadObjectId) {
      const key = aadObjectId.toLowerCase();
      const cached = cache.get(key);
      if (cached && cached.expiresAt > now()) return cached.roles;
      const memberOf = new Set(
        (await directory.checkMemberGroups(aadObjectId, [groups.agentsGroupId, groups.adminsGroupId])).map((id) =>
          id.toLowerCase(),
        ),
      );
      const roles: CallerRoles = {
        isAgent: memberOf.has(groups.agentsGroupId.toLowerCase()),
        isAdmin: memberOf.has(groups.adminsGroupId.toLowerCase()),
      };
      cache.set(key, { roles, expiresAt: now() + cacheSeconds * 1000 });
      return roles;
    },

    async isApproverFor(callerId, targetUserId) {
      if (!callerId || !targetUserId || sameId(callerId, targetUserId)) return false;
      const manager = await directory.getManager(targetUserId);
      if (manager) return sameId(manager.id, callerId);
      const memberOf = await directory.checkMemberGroups(callerId, [groups.tapApproversGroupId]);
      return memberOf.some((id) => sameId(id, groups.tapApproversGroupId));
    },
  };
}

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
