import type { InventoryReader } from "../../graph/create-inventory-reader.js";
import type { TenantPolicySnapshot } from "../../graph/model.js";
import { groupIdsOfInterest } from "../triage/run-triage.js";

/** Transitive members of each group the policies target: who is in which target, without a call per person. */
export interface TargetMemberships {
  groupIds: string[];
  /** The target groups (of those read) this user is a transitive member of. */
  of(userId: string): string[];
  membersOf(groupId: string): ReadonlySet<string>;
}

/**
 * Reads the transitive user members of every policy target group (Passkey and TAP include/exclude) and of any extra
 * groups (rings), page by page (identity bucket). Memory holds one id per member per group; nothing per request.
 */
export async function loadTargetMemberships(
  reader: Pick<InventoryReader, "groupMembersPage">,
  policy: TenantPolicySnapshot,
  extraGroupIds: readonly string[] = [],
): Promise<TargetMemberships> {
  const groupIds = [...new Set([...groupIdsOfInterest(policy), ...extraGroupIds].map((id) => id.toLowerCase()))];
  const members = new Map<string, Set<string>>();
  const byUser = new Map<string, string[]>();
  for (const groupId of groupIds) {
    const set = new Set<string>();
    let link: string | null = null;
    do {
      const page = await reader.groupMembersPage(groupId, link);
      for (const user of page.items) set.add(user.id.toLowerCase());
      link = page.nextLink;
    } while (link);
    members.set(groupId, set);
    for (const userId of set) {
      const list = byUser.get(userId);
      if (list) list.push(groupId);
      else byUser.set(userId, [groupId]);
    }
  }
  return {
    groupIds,
    of: (userId) => byUser.get(userId.toLowerCase()) ?? [],
    membersOf: (groupId) => members.get(groupId.toLowerCase()) ?? new Set(),
  };
}
