import type { GraphGateway } from "../../graph/graph-gateway.js";
import type { TenantPolicySnapshot, UserAuthSnapshot } from "../../graph/model.js";
import type { Diagnosis, FollowUpId, Platform, QuestionId } from "./engine/diagnosis.js";

/** What the engine is given (its TriageInput minus the catalog, which the composition adds). */
export interface TriageEngineInput {
  policy: TenantPolicySnapshot;
  snapshot: UserAuthSnapshot;
  platform: Platform;
  aaGuid?: string;
  symptomText?: string;
  answers: Partial<Record<FollowUpId, boolean>>;
  now: Date;
  /** Display names of the policy's groups, given for an agent's triage only (see runTriage). */
  groupNames?: Record<string, string>;
}

export type DiagnoseRegistration = (input: TriageEngineInput) => Diagnosis | Promise<Diagnosis>;

export interface RunTriageDependencies {
  gateway: Pick<GraphGateway, "getTenantPolicySnapshot" | "getUserAuthSnapshot"> &
    Partial<Pick<GraphGateway, "getGroupDisplayNames">>;
  diagnose: DiagnoseRegistration;
  now?: () => Date;
  /** Recent per-user snapshots; a follow-up answer or an escalation re-evaluates without reading Graph again. */
  snapshots?: UserSnapshotCache;
}

export interface RunTriageRequest {
  userId: string;
  platform: Platform;
  aaGuid: string | null;
  answers?: Partial<Record<FollowUpId, boolean>>;
  /** Where a pasted error message pointed (carried on the card as a choice); used when the engine has no symptom. */
  suggestedStart?: QuestionId | null;
  /** The error text the person typed on the platform card, this turn only. */
  symptomText?: string;
  /** An agent's evidence card also shows the registration audit events of the last week. */
  forAgent?: boolean;
  /** "Check again": ignore cached snapshots and read live state. */
  fresh?: boolean;
}

export interface TriageOutcome {
  diagnosis: Diagnosis;
  policy: TenantPolicySnapshot;
  user: UserAuthSnapshot;
  /** Group id → display name of the policy's groups; empty for an end user's own triage or when Graph gave none. */
  groupNames: Record<string, string>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * One triage: the tenant policy snapshot (cached and shared by the gateway), then the user's snapshot in one more
 * round trip, then the engine. At most two sequential Graph round trips. Sign-ins (a reports-bucket request, the
 * bucket is 5 per 10 s for the whole tenant) are read even when question 1 already fails: docs/personas.md has the
 * end-user path answer questions 2–4 exactly as the agent path does, so the person learns every fix at once.
 *
 * An agent's triage also names the policy's groups (tenant-wide and cached by the gateway, read beside the user's
 * snapshot, never in the reports bucket), for the evidence card and the engine's admin fixes. An end user's own
 * triage does not: their card says no more about the tenant's groups than before.
 */
export async function runTriage(deps: RunTriageDependencies, request: RunTriageRequest): Promise<TriageOutcome> {
  const now = deps.now?.() ?? new Date();
  const cached = request.fresh ? null : (deps.snapshots?.get(request.userId, now) ?? null);
  const policy = await deps.gateway.getTenantPolicySnapshot();
  const namesRead = request.forAgent ? readGroupNames(deps.gateway, policy) : Promise.resolve({});
  let user = cached?.user ?? null;
  if (!user || (request.forAgent && !user.registrationAudits.ok)) {
    user = await deps.gateway.getUserAuthSnapshot(request.userId, {
      groupIds: groupIdsOfInterest(policy),
      signInsSince: new Date(now.getTime() - DAY_MS).toISOString(),
      auditsSince: request.forAgent ? new Date(now.getTime() - 7 * DAY_MS).toISOString() : undefined,
      priority: "interactive",
    });
    deps.snapshots?.set(request.userId, user, now);
  }
  const groupNames = await namesRead;
  const diagnosed = await deps.diagnose({
    policy,
    snapshot: user,
    platform: request.platform,
    ...(request.aaGuid ? { aaGuid: request.aaGuid } : {}),
    ...(request.symptomText ? { symptomText: request.symptomText } : {}),
    answers: request.answers ?? {},
    now,
    ...(request.forAgent ? { groupNames } : {}),
  });
  const diagnosis = diagnosed.suggestedStart
    ? diagnosed
    : { ...diagnosed, suggestedStart: request.suggestedStart ?? null };
  return { diagnosis, policy, user, groupNames };
}

/** Names only label evidence: a failed read costs the names (ids are shown instead), never the triage. */
function readGroupNames(
  gateway: RunTriageDependencies["gateway"],
  policy: TenantPolicySnapshot,
): Promise<Record<string, string>> {
  const ids = groupIdsOfInterest(policy);
  if (!gateway.getGroupDisplayNames || ids.length === 0) return Promise.resolve({});
  return gateway.getGroupDisplayNames(ids, "interactive").catch(() => ({}));
}

/** The groups whose membership decides question 1 and TAP eligibility; `all_users` needs no lookup. */
export function groupIdsOfInterest(policy: TenantPolicySnapshot): string[] {
  const ids = new Set<string>();
  const add = (targets: ReadonlyArray<{ id: string; targetType: string }> | null | undefined) => {
    for (const target of targets ?? []) {
      if (target.id !== "all_users" && target.targetType === "group") ids.add(target.id);
    }
  };
  if (policy.fido2.ok) {
    add(policy.fido2.value.includeTargets);
    add(policy.fido2.value.excludeTargets);
  }
  if (policy.temporaryAccessPass.ok) {
    add(policy.temporaryAccessPass.value.includeTargets);
    add(policy.temporaryAccessPass.value.excludeTargets);
  }
  // Groups of Conditional Access policies that could lock the person out of registering (the registration loop).
  if (policy.conditionalAccess?.ok) {
    for (const ca of policy.conditionalAccess.value) {
      if (ca.state !== "enabled") continue;
      for (const id of [
        ...(ca.conditions?.users?.includeGroups ?? []),
        ...(ca.conditions?.users?.excludeGroups ?? []),
      ]) {
        ids.add(id);
      }
    }
  }
  return [...ids];
}

export interface UserSnapshotCache {
  get(userId: string, now: Date): { user: UserAuthSnapshot } | null;
  set(userId: string, user: UserAuthSnapshot, now: Date): void;
  /** Group memberships read for this user recently (kept longer than whole snapshots: they change rarely). */
  memberships(userId: string, now: Date): string[] | null;
}

/**
 * A small per-instance cache. It only saves Graph requests: a second instance or a restart simply reads Graph again,
 * so nothing is lost with it.
 */
export function createUserSnapshotCache(
  options: { snapshotSeconds?: number; membershipSeconds?: number; maxUsers?: number } = {},
): UserSnapshotCache {
  const snapshotMs = (options.snapshotSeconds ?? 120) * 1000;
  const membershipMs = (options.membershipSeconds ?? 600) * 1000;
  const maxUsers = options.maxUsers ?? 2000;
  const entries = new Map<string, { user: UserAuthSnapshot; at: number }>();
  return {
    get(userId, now) {
      const entry = entries.get(userId);
      return entry && now.getTime() - entry.at <= snapshotMs ? { user: entry.user } : null;
    },
    set(userId, user, now) {
      entries.delete(userId);
      entries.set(userId, { user, at: now.getTime() });
      if (entries.size > maxUsers) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
    },
    memberships(userId, now) {
      const entry = entries.get(userId);
      if (!entry || now.getTime() - entry.at > membershipMs || !entry.user.memberOfGroupIds.ok) return null;
      return entry.user.memberOfGroupIds.value;
    },
  };
}
