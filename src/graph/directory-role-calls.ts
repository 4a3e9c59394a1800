import type { GraphRequester } from "./graph-requester.js";
import type { DirectoryRoleGrant } from "./model.js";
import { odataGuidLiteral, queryString, requireGuid } from "./odata-literal.js";

const roleGrantSelect = "id,principalId,roleDefinitionId,directoryScopeId";

type RawGrant = {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId?: string | null;
  roleDefinition?: { displayName?: string | null } | null;
};

/** Directory roles and PIM: every role a user holds, however it is held. */
export interface DirectoryRoleCalls {
  /** Active role assignments and PIM eligibilities — RoleManagement.Read.Directory, RoleEligibilitySchedule.Read.Directory. */
  getDirectoryRoleGrants(userId: string): Promise<DirectoryRoleGrant[]>;
  /** PIM for Groups: the groups a user is eligible to join (member or owner) — PrivilegedEligibilitySchedule.Read.AzureADGroup. */
  listGroupEligibilities(userId: string): Promise<Array<{ groupId: string; accessId: string }>>;
}

export function directoryRoleCalls(requester: GraphRequester): DirectoryRoleCalls {
  /** Active and eligible directory role grants whose principal is exactly `principalId` (a user or a group). */
  const roleGrantsOf = async (principalId: string): Promise<DirectoryRoleGrant[]> => {
    const filter = `principalId eq ${odataGuidLiteral(principalId, "principal id")}`;
    const options = {
      $filter: filter,
      $select: roleGrantSelect,
      $expand: "roleDefinition($select=displayName,templateId)",
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
      requester.list<RawGrant>(
        "listRoleAssignments",
        `/roleManagement/directory/roleAssignments${queryString(options)}`,
      ),
      requester.list<RawGrant>(
        "listRoleEligibilities",
        `/roleManagement/directory/roleEligibilityScheduleInstances${queryString(options)}`,
      ),
    ]);
    return [...active.map(toGrant("active")), ...eligible.map(toGrant("eligible"))];
  };

  /** GET /identityGovernance/privilegedAccess/group/eligibilityScheduleInstances — PrivilegedEligibilitySchedule.Read.AzureADGroup. */
  const listGroupEligibilities = (userId: string): Promise<Array<{ groupId: string; accessId: string }>> => {
    const user = odataGuidLiteral(userId, "user id");
    return requester.list<{ groupId: string; accessId: string }>(
      "listGroupEligibilities",
      `/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances${queryString({
        $filter: `principalId eq ${user}`,
        $select: "id,groupId,principalId,accessId",
      })}`,
    );
  };

  return {
    /**
     * Every directory role the user holds, however: assigned to them or to a role-assignable group they are in,
     * active or eligible (PIM), and through PIM for Groups eligibility to such a group. GET
     * /roleManagement/directory/roleAssignments — RoleManagement.Read.Directory; GET
     * /roleManagement/directory/roleEligibilityScheduleInstances — RoleEligibilitySchedule.Read.Directory; GET
     * /users/{id}/transitiveMemberOf/microsoft.graph.group — GroupMember.Read.All; GET
     * /identityGovernance/privilegedAccess/group/eligibilityScheduleInstances — PrivilegedEligibilitySchedule.Read.AzureADGroup.
     */
    async getDirectoryRoleGrants(userId: string): Promise<DirectoryRoleGrant[]> {
      const [direct, groups, groupEligibilities] = await Promise.all([
        roleGrantsOf(userId),
        requester.list<{ id: string; displayName?: string | null; isAssignableToRole?: boolean | null }>(
          "listTransitiveGroups",
          `/users/${requireGuid(userId, "user id")}/transitiveMemberOf/microsoft.graph.group${queryString({
            $select: "id,displayName,isAssignableToRole",
            $top: 999,
          })}`,
        ),
        listGroupEligibilities(userId),
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
          (await roleGrantsOf(viaGroup.id)).map(
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
    },
    listGroupEligibilities,
  };
}
