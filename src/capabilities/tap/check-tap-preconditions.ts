import { NotFoundError } from "../../graph/graph-errors.js";
import type { DirectoryUser, TemporaryAccessPassPolicy } from "../../graph/model.js";
import { InvalidGraphIdentifierError } from "../../graph/odata-literal.js";
import type { TapDependencies } from "./tap-dependencies.js";
import {
  ExternalGuestError,
  PrivilegedTargetError,
  RequesterNotAgentError,
  SelfRequestError,
  TapMethodDisabledError,
  TargetDisabledError,
  TargetNotFoundError,
  TargetNotInTapPolicyError,
  WrongTenantError,
} from "./tap-errors.js";
import type { Actor } from "./tap-request.js";

export interface TapPreconditions {
  requester: DirectoryUser;
  target: DirectoryUser;
  policy: TemporaryAccessPassPolicy;
  /** The target is a help-desk agent, Helpdesk Admin or TAP approver (by Graph group membership). */
  isBotRoleTarget: boolean;
}

/** The caller is an agent of this tenant, by Graph group membership (never by anything in the card). */
export async function assertAgent(deps: Pick<TapDependencies, "roles" | "settings">, actor: Actor): Promise<void> {
  if (!sameId(actor.tenantId, deps.settings.tenantId)) throw new WrongTenantError();
  const roles = await deps.roles.resolveCallerRoles(actor.id);
  if (!roles.isAgent) throw new RequesterNotAgentError();
}

/**
 * Every rule a TAP request must satisfy before anyone is asked anything: agent requester, a different, existing,
 * enabled member target with no privileged role (active or eligible), and a TAP method that is enabled and targets
 * them. (One pending request per target is enforced atomically by the store.)
 */
export async function checkTapPreconditions(
  deps: Pick<TapDependencies, "graph" | "roles" | "settings">,
  actor: Actor,
  targetUserId: string,
): Promise<TapPreconditions> {
  await assertAgent(deps, actor);
  if (sameId(actor.id, targetUserId)) throw new SelfRequestError();
  let target: DirectoryUser;
  try {
    target = await deps.graph.getUser(targetUserId);
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof InvalidGraphIdentifierError) throw new TargetNotFoundError();
    throw error;
  }
  if (sameId(actor.id, target.id)) throw new SelfRequestError();
  if (target.accountEnabled === false) throw new TargetDisabledError();
  if (target.userType !== "Member" || target.userPrincipalName.includes("#EXT#")) throw new ExternalGuestError();

  // Any directory role counts, however held: directly or through a role-assignable group, active or eligible.
  const grants = await deps.graph.getDirectoryRoleGrants(target.id);
  if (grants.length > 0) {
    throw new PrivilegedTargetError([
      ...new Set(
        grants.map(
          (g) =>
            `${g.roleDisplayName ?? g.roleDefinitionId} (${g.kind}${g.viaGroup ? `, via group ${g.viaGroup.displayName ?? g.viaGroup.id}` : ""})`,
        ),
      ),
    ]);
  }

  const policy = await deps.graph.getTemporaryAccessPassPolicy();
  if (policy.state !== "enabled") throw new TapMethodDisabledError();
  await assertTargetedByPolicy(deps, target.id, policy);

  const requester = await deps.graph.getUser(actor.id);
  return { requester, target, policy, isBotRoleTarget: await holdsBotRole(deps, target.id) };
}

/** Whether the user is in the bot's agents, admins or TAP approvers group (transitively), read from Graph. */
export async function holdsBotRole(
  deps: Pick<TapDependencies, "graph" | "settings">,
  userId: string,
): Promise<boolean> {
  const groups = [deps.settings.agentsGroupId, deps.settings.adminsGroupId, deps.settings.approversGroupId].filter(
    Boolean,
  );
  if (groups.length === 0) return false;
  return (await deps.graph.checkMemberGroups(userId, groups, "interactive")).length > 0;
}

/**
 * Whether `personId` reports to `bossId`, directly or through any number of managers (GET /users/{id}/manager up the
 * chain). Stops on a cycle or after 25 levels, far deeper than any real organisation.
 */
export async function reportsTo(
  deps: Pick<TapDependencies, "graph">,
  personId: string,
  bossId: string,
): Promise<boolean> {
  const seen = new Set<string>([personId.toLowerCase()]);
  let current = personId;
  for (let level = 0; level < 25; level++) {
    const manager = await deps.graph.getManager(current);
    if (!manager) return false;
    if (sameId(manager.id, bossId)) return true;
    if (seen.has(manager.id.toLowerCase())) return false;
    seen.add(manager.id.toLowerCase());
    current = manager.id;
  }
  return false;
}

async function assertTargetedByPolicy(
  deps: Pick<TapDependencies, "graph">,
  userId: string,
  policy: TemporaryAccessPassPolicy,
): Promise<void> {
  const includeGroups = policy.includeTargets.filter((t) => t.id !== "all_users").map((t) => t.id);
  const excludeGroups = policy.excludeTargets.map((t) => t.id);
  const asked = [...new Set([...includeGroups, ...excludeGroups])];
  const memberOf = new Set(
    asked.length > 0
      ? (await deps.graph.checkMemberGroups(userId, asked, "interactive")).map((id) => id.toLowerCase())
      : [],
  );
  const isExcluded = policy.excludeTargets.some((t) => sameId(t.id, userId) || memberOf.has(t.id.toLowerCase()));
  const isIncluded = policy.includeTargets.some(
    (t) => t.id === "all_users" || sameId(t.id, userId) || memberOf.has(t.id.toLowerCase()),
  );
  if (isExcluded || !isIncluded) throw new TargetNotInTapPolicyError();
}

export function sameId(a: string | null | undefined, b: string | null | undefined): boolean {
  return Boolean(a && b && a.toLowerCase() === b.toLowerCase());
}
