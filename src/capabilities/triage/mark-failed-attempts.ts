import type { DirectoryAuditRecord } from "../../graph/model.js";

const SUCCESS_ACTIVITIES = /^(User registered security info|User registered all required security info|Add Passkey)/i;
const STARTED_ACTIVITY = "User started security info registration";

/**
 * A registration start with no later success is a failed attempt (passkey-domain.md, "Evidence in Entra"): Entra
 * does not always log the failure itself.
 */
export function markFailedAttempts(
  audits: DirectoryAuditRecord[],
): Array<DirectoryAuditRecord & { isFailedAttempt: boolean }> {
  const oldestFirst = [...audits].sort((a, b) => a.activityDateTime.localeCompare(b.activityDateTime));
  return oldestFirst
    .map((audit, index) => {
      const isStart = audit.activityDisplayName === STARTED_ACTIVITY;
      const laterSuccess = oldestFirst
        .slice(index + 1)
        .some((later) => SUCCESS_ACTIVITIES.test(later.activityDisplayName) && later.result !== "failure");
      return { ...audit, isFailedAttempt: (isStart && !laterSuccess) || audit.result === "failure" };
    })
    .reverse();
}
