import type { RequestPriority } from "./graph-gateway.js";
import type { GraphRequester } from "./graph-requester.js";
import type { ConditionalAccessPolicy, Fido2Policy, TemporaryAccessPassPolicy, TenantPolicySnapshot } from "./model.js";
import { queryString } from "./odata-literal.js";
import { readPart } from "./read-part.js";
import { listPolicyChangeAudits } from "./report-calls.js";
import type { SchedulerClock } from "./scheduler-clock.js";

const fido2PolicySelect =
  "id,state,isSelfServiceRegistrationAllowed,isAttestationEnforced,keyRestrictions,defaultPasskeyProfile,includeTargets,excludeTargets,passkeyProfiles";
const tapPolicySelect =
  "id,state,defaultLifetimeInMinutes,minimumLifetimeInMinutes,maximumLifetimeInMinutes,isUsableOnce,defaultLength,includeTargets,excludeTargets";
const policyPath = "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations";

/** How long a tenant policy snapshot past its fresh minute is still served while a background refresh runs. */
const STALE_POLICY_SNAPSHOT_MS = 10 * 60_000;

function withTargets<T extends { includeTargets?: unknown; excludeTargets?: unknown }>(raw: T): T {
  return { ...raw, includeTargets: raw.includeTargets ?? [], excludeTargets: raw.excludeTargets ?? [] };
}

/** Tenant policies: the passkey and TAP method policies, Conditional Access, and the snapshot every triage shares. */
export interface PolicyCalls {
  /** GET …/authenticationMethodConfigurations/fido2 — Policy.Read.AuthenticationMethod. */
  getPasskeyPolicy(): Promise<Fido2Policy>;
  /** GET …/authenticationMethodConfigurations/temporaryAccessPass — Policy.Read.AuthenticationMethod. */
  getTemporaryAccessPassPolicy(): Promise<TemporaryAccessPassPolicy>;
  /** Both policies and the last hour's policy-change audits; cached briefly, shared by all conversations. */
  getTenantPolicySnapshot(): Promise<TenantPolicySnapshot>;
  /** GET /identity/conditionalAccess/policies — Policy.Read.All. */
  listConditionalAccessPolicies(priority?: RequestPriority): Promise<ConditionalAccessPolicy[]>;
}

export function policyCalls(requester: GraphRequester, clock: SchedulerClock, snapshotMs: number): PolicyCalls {
  let snapshot: { value: TenantPolicySnapshot; expiresAt: number } | null = null;
  let snapshotInFlight: Promise<TenantPolicySnapshot> | null = null;

  /** GET …/authenticationMethodConfigurations/fido2 — Policy.Read.AuthenticationMethod. */
  const getPasskeyPolicy = async (priority?: RequestPriority): Promise<Fido2Policy> =>
    withTargets(
      await requester.get<Fido2Policy>(
        "getPasskeyPolicy",
        `${policyPath}/fido2${queryString({ $select: fido2PolicySelect })}`,
        priority,
      ),
    );

  /** GET …/authenticationMethodConfigurations/temporaryAccessPass — Policy.Read.AuthenticationMethod. */
  const getTemporaryAccessPassPolicy = async (priority?: RequestPriority): Promise<TemporaryAccessPassPolicy> =>
    withTargets(
      await requester.get<TemporaryAccessPassPolicy>(
        "getTemporaryAccessPassPolicy",
        `${policyPath}/temporaryAccessPass${queryString({ $select: tapPolicySelect })}`,
        priority,
      ),
    );

  /**
   * GET /identity/conditionalAccess/policies — Policy.Read.All. Read with the tenant snapshot (cached a minute): the
   * Conditional Access resources allow about one request a second per tenant and send no Retry-After.
   */
  const listConditionalAccessPolicies = (priority?: RequestPriority): Promise<ConditionalAccessPolicy[]> =>
    requester.list<ConditionalAccessPolicy>(
      "listConditionalAccessPolicies",
      `/identity/conditionalAccess/policies${queryString({ $select: "id,displayName,state,conditions,grantControls" })}`,
      priority,
    );

  const fetchSnapshot = async (priority: RequestPriority): Promise<TenantPolicySnapshot> => {
    const since = new Date(clock.now() - 60 * 60_000).toISOString();
    const [fido2, temporaryAccessPass, recentPolicyChanges, conditionalAccess] = await Promise.all([
      readPart(() => getPasskeyPolicy(priority)),
      readPart(() => getTemporaryAccessPassPolicy(priority)),
      readPart(() => listPolicyChangeAudits(requester, since, priority)),
      readPart(() => listConditionalAccessPolicies(priority)),
    ]);
    const value: TenantPolicySnapshot = {
      fido2,
      temporaryAccessPass,
      recentPolicyChanges,
      conditionalAccess,
      fetchedDateTime: new Date(clock.now()).toISOString(),
    };
    // A snapshot missing a part because Graph was briefly unavailable is not worth keeping for a minute.
    const isComplete = [fido2, temporaryAccessPass, recentPolicyChanges, conditionalAccess].every(
      (part) => part.ok || part.problem.kind === "accessDenied",
    );
    if (isComplete) snapshot = { value, expiresAt: clock.now() + snapshotMs };
    return value;
  };

  const refreshSnapshot = (priority: RequestPriority): Promise<TenantPolicySnapshot> => {
    const fetch = fetchSnapshot(priority).finally(() => {
      snapshotInFlight = null;
    });
    snapshotInFlight = fetch;
    return fetch;
  };

  return {
    getPasskeyPolicy,
    getTemporaryAccessPassPolicy,
    listConditionalAccessPolicies,

    /**
     * Both policies, Conditional Access and the last hour's "Authentication Methods Policy Update" audits
     * (AuditLog.Read.All). Fresh for a minute and shared: concurrent callers wait for the same fetch instead of each
     * spending the reports bucket. After that minute the snapshot is still served at once for up to
     * STALE_POLICY_SNAPSHOT_MS while one background-priority refresh runs, so a person's triage does not pay the
     * tenant-wide audit read (a third reports-bucket request) — only the first triage after start or after a long
     * idle spell does.
     */
    getTenantPolicySnapshot(): Promise<TenantPolicySnapshot> {
      const cached = snapshot;
      const now = clock.now();
      if (cached && now < cached.expiresAt) return Promise.resolve(cached.value);
      if (cached && now < cached.expiresAt + STALE_POLICY_SNAPSHOT_MS) {
        if (!snapshotInFlight) void refreshSnapshot("background");
        return Promise.resolve(cached.value);
      }
      return snapshotInFlight ?? refreshSnapshot("interactive");
    },
  };
}
