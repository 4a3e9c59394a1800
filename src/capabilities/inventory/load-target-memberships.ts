import type { InventoryReader } from "../../graph/create-inventory-reader.js";
import type { TenantPolicySnapshot } from "../../graph/model.js";
import { groupIdsOfInterest } from "../triage/run-triage.js";

/** Transitive members of each group the policies target: who is in which target, without a call per person. */
export interface TargetMemberships {
  groupIds: string[];
  /** The target groups (of those read) this user is a transitive member of, in `groupIds` order. Do not modify. */
  of(userId: string): string[];
  /** The members of one of the groups read, streamed from the index (no copy). */
  membersOf(groupId: string): Iterable<string>;
}

/** Groups one bit field of the index covers: bit operators work on 32-bit integers. */
const GROUPS_PER_FIELD = 30;

/**
 * Reads the transitive user members of every policy target group (Passkey and TAP include/exclude) and of any extra
 * groups (rings), page by page (identity bucket). Memory holds one entry per member — their id and a bit per group
 * (per 30 groups), about 90 bytes; the memberships of 100,000 people in 8 groups take ~9 MB — and one shared list per
 * distinct combination of groups, so `of` allocates nothing.
 */
export async function loadTargetMemberships(
  reader: Pick<InventoryReader, "groupMembersPage">,
  policy: TenantPolicySnapshot,
  extraGroupIds: readonly string[] = [],
): Promise<TargetMemberships> {
  const groupIds = [...new Set([...groupIdsOfInterest(policy), ...extraGroupIds].map((id) => id.toLowerCase()))];
  const fields: Array<Map<string, number>> = [];
  for (const [index, groupId] of groupIds.entries()) {
    const field = Math.floor(index / GROUPS_PER_FIELD);
    const bit = 1 << (index % GROUPS_PER_FIELD);
    fields[field] ??= new Map();
    const bits = fields[field] as Map<string, number>;
    let link: string | null = null;
    do {
      const page = await reader.groupMembersPage(groupId, link);
      for (const user of page.items) {
        const id = user.id.toLowerCase();
        bits.set(id, (bits.get(id) ?? 0) | bit);
      }
      link = page.nextLink;
    } while (link);
  }
  const lists = new Map<string, string[]>();
  const none: string[] = [];
  return {
    groupIds,
    of: (userId) => {
      const id = userId.toLowerCase();
      const key = fields.map((bits) => bits.get(id) ?? 0).join(",");
      if (/^[0,]*$/.test(key)) return none;
      let list = lists.get(key);
      if (!list) {
        list = groupIds.filter(
          (_, index) =>
            ((fields[Math.floor(index / GROUPS_PER_FIELD)]?.get(id) ?? 0) & (1 << (index % GROUPS_PER_FIELD))) !== 0,
        );
        lists.set(key, list);
      }
      return list;
    },
    *membersOf(groupId) {
      const index = groupIds.indexOf(groupId.toLowerCase());
      if (index < 0) return;
      const bit = 1 << (index % GROUPS_PER_FIELD);
      for (const [id, bits] of fields[Math.floor(index / GROUPS_PER_FIELD)] ?? []) if ((bits & bit) !== 0) yield id;
    },
  };
}
