import type { Fido2Policy, TenantPolicySnapshot } from "../../graph/model.js";
import { RefusalError } from "../../refusal/refusal-error.js";
import type { RolloutSnapshotStore } from "../../storage/rollout-snapshot-store.js";
import type { AuthenticatorCatalog } from "../authenticators/create-authenticator-catalog.js";
import type { PersonRef } from "../inventory/find-insights.js";
import { passkeyLabel } from "../inventory/find-insights.js";
import { judgePasskey } from "../inventory/judge-passkey.js";
import type { QuestionId } from "../triage/engine/diagnosis.js";
import { predictMember } from "./assess-ring-readiness.js";

/** A change an administrator is considering, judged before it is made. */
export type PolicyChange =
  | { kind: "allowList"; profile: string; aaGuids: string[] }
  | { kind: "enforceAttestation"; profile: string }
  | { kind: "moveRing"; ringId: string; profile: string };

/** The change names a profile or ring the policy does not have. */
export class UnknownPolicyTargetError extends RefusalError {
  constructor(what: "profile" | "ring", name: string) {
    super(
      "whatIfTargetExists",
      `A what-if must name an existing ${what === "profile" ? "passkey profile" : "ring (an include target of the Passkey policy)"}; '${name}' is not one`,
      what === "profile" ? "inventory.whatifUnknownProfile" : "inventory.whatifUnknownRing",
      { name },
    );
  }
}

/** What-if needs the facts ring readiness stored; without a rings run there is nothing to judge against. */
export class NoRolloutSnapshotError extends RefusalError {
  constructor() {
    super("whatIfAfterRings", "A what-if needs a ring readiness run first (npm run rings)", "inventory.noRollout");
  }
}

export interface WhatIfResult {
  change: PolicyChange;
  /** Existing passkeys accepted at sign-in now and refused after the change. */
  signInBreaks: Array<PersonRef & { passkey: string }>;
  /** Members whose predicted registration passes the question now and fails it after the change. */
  registrationBreaks: Array<PersonRef & { question: QuestionId }>;
  membersJudged: number;
}

function findProfile(policy: Fido2Policy, name: string) {
  const wanted = name.toLowerCase();
  const profile = (policy.passkeyProfiles ?? []).find(
    (p) => p.id.toLowerCase() === wanted || p.name.toLowerCase() === wanted,
  );
  if (!profile) throw new UnknownPolicyTargetError("profile", name);
  return profile;
}

/** The policy as it would be after the change; the snapshot itself is never modified. */
export function applyPolicyChange(snapshot: TenantPolicySnapshot, change: PolicyChange): TenantPolicySnapshot {
  if (!snapshot.fido2.ok) return snapshot;
  const fido2: Fido2Policy = structuredClone(snapshot.fido2.value);
  if (change.kind === "allowList") {
    const profile = findProfile(fido2, change.profile);
    profile.keyRestrictions = {
      isEnforced: true,
      enforcementType: "allow",
      aaGuids: change.aaGuids.map((id) => id.toLowerCase()),
    };
  } else if (change.kind === "enforceAttestation") {
    findProfile(fido2, change.profile).attestationEnforcement = "registrationOnly";
  } else {
    const profile = findProfile(fido2, change.profile);
    const target = fido2.includeTargets.find((t) => t.id.toLowerCase() === change.ringId.toLowerCase());
    if (!target) throw new UnknownPolicyTargetError("ring", change.ringId);
    target.allowedPasskeyProfiles = [profile.id];
  }
  // Recent policy changes are about propagation delay now, not about the hypothetical policy.
  return { ...snapshot, fido2: { ok: true, value: fido2 }, recentPolicyChanges: { ok: true, value: [] } };
}

/**
 * Who breaks if the change is made: computed from the last ring readiness run's stored facts and policy, with the
 * triage's own evaluators, and no Graph request at all.
 */
export async function predictWhatIf(
  deps: { rollout: RolloutSnapshotStore; catalog: Pick<AuthenticatorCatalog, "lookup">; now: () => Date },
  change: PolicyChange,
): Promise<WhatIfResult> {
  const run = await deps.rollout.latestRun();
  if (!run) throw new NoRolloutSnapshotError();
  const before = { ...run.policy, recentPolicyChanges: { ok: true as const, value: [] } };
  const after = applyPolicyChange(run.policy, change);
  const now = deps.now();
  const result: WhatIfResult = { change, signInBreaks: [], registrationBreaks: [], membersJudged: 0 };
  for await (const facts of deps.rollout.members(run.id)) {
    result.membersJudged++;
    const person = {
      id: facts.user.id,
      userPrincipalName: facts.user.userPrincipalName,
      displayName: facts.user.displayName,
    };
    for (const passkey of facts.user.accountEnabled ? facts.user.passkeys : []) {
      const was = judgePasskey(passkey, facts.user.id, before.fido2, facts.memberOfGroupIds, deps.catalog);
      const will = judgePasskey(passkey, facts.user.id, after.fido2, facts.memberOfGroupIds, deps.catalog);
      if (was.verdict === "accepted" && will.verdict === "refused") {
        result.signInBreaks.push({ ...person, passkey: passkeyLabel(passkey, deps.catalog) });
      }
    }
    // A disabled account registers nothing: only its existing passkeys (above, if it is enabled again) matter.
    if (!facts.user.accountEnabled) continue;
    const was = predictMember(facts, before, deps.catalog, now, []);
    const will = predictMember(facts, after, deps.catalog, now, []);
    const newlyFailing = (Object.keys(will.verdicts) as QuestionId[]).find(
      (q) => will.verdicts[q] === "fail" && was.verdicts[q] !== "fail",
    );
    if (newlyFailing) result.registrationBreaks.push({ ...person, question: newlyFailing });
  }
  return result;
}
