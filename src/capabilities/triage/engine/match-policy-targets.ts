import type { AuthenticationMethodTarget, ExcludeTarget, GraphRead } from "../../../graph/model.js";

export const ALL_USERS_TARGET = "all_users";

export type TargetMatch =
  | { kind: "excluded"; by: ExcludeTarget[] }
  | { kind: "included"; by: AuthenticationMethodTarget[] }
  | { kind: "notIncluded" }
  /** Group membership was needed and could not be read. */
  | { kind: "membershipUnknown" };

function matches(target: { id: string; targetType: string }, userId: string, groups: ReadonlySet<string> | null) {
  if (target.id === ALL_USERS_TARGET) return true;
  const id = target.id.toLowerCase();
  if (target.targetType === "user") return id === userId.toLowerCase();
  return groups?.has(id) ?? null;
}

/**
 * Who an authentication-method policy applies to: `all_users`, a user, or a transitive group member; an exclusion
 * wins over every inclusion. Membership is only required when a group target could change the answer.
 */
export function matchPolicyTargets(
  includeTargets: readonly AuthenticationMethodTarget[],
  excludeTargets: readonly ExcludeTarget[],
  userId: string,
  memberOfGroupIds: GraphRead<string[]>,
): TargetMatch {
  // Object ids are GUIDs; policies and membership answers do not promise the same case.
  const groups = memberOfGroupIds.ok ? new Set(memberOfGroupIds.value.map((id) => id.toLowerCase())) : null;
  const excludedBy = excludeTargets.filter((t) => matches(t, userId, groups) === true);
  if (excludedBy.length > 0) return { kind: "excluded", by: excludedBy };
  if (excludeTargets.some((t) => matches(t, userId, groups) === null)) return { kind: "membershipUnknown" };
  const includedBy = includeTargets.filter((t) => matches(t, userId, groups) === true);
  if (includedBy.length > 0) return { kind: "included", by: includedBy };
  if (includeTargets.some((t) => matches(t, userId, groups) === null)) return { kind: "membershipUnknown" };
  return { kind: "notIncluded" };
}
