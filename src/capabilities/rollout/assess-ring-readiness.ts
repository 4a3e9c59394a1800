import { PHISHING_RESISTANT_METHODS_REGISTERED, type TenantPolicySnapshot } from "../../graph/model.js";
import type { AuthenticatorCatalog } from "../authenticators/create-authenticator-catalog.js";
import { passkeyLabel } from "../inventory/find-insights.js";
import { FAMILY_AAGUIDS } from "../inventory/inventory-user.js";
import { judgePasskey } from "../inventory/judge-passkey.js";
import { diagnosePasskeyRegistration } from "../triage/engine/diagnose-passkey-registration.js";
import type { QuestionId } from "../triage/engine/diagnosis.js";
import { type MemberFacts, memberTriageInput } from "./member-triage-input.js";
import type { MemberPrediction, NextStep, RingReadiness } from "./ring-readiness.js";

export interface Ring {
  id: string;
  name: string;
}

/** The groups a ring readiness looks at by default: the Passkey policy's include targets (`all_users` is no ring). */
export function defaultRings(policy: TenantPolicySnapshot, names: Record<string, string>): Ring[] {
  if (!policy.fido2.ok) return [];
  return policy.fido2.value.includeTargets
    .filter((target) => target.id !== "all_users" && target.targetType === "group")
    .map((target) => ({ id: target.id.toLowerCase(), name: names[target.id] ?? target.id }));
}

/** Predicts one member with the triage's own diagnosis (all four evaluators), against the given policy. */
export function predictMember(
  facts: MemberFacts,
  policy: TenantPolicySnapshot,
  catalog: Pick<AuthenticatorCatalog, "lookup">,
  now: Date,
  ringIds: string[],
): MemberPrediction {
  const input = memberTriageInput(facts, policy, catalog, now);
  const diagnosis = diagnosePasskeyRegistration(input);
  const verdicts = Object.fromEntries(diagnosis.questions.map((q) => [q.question, q.verdict])) as Record<
    QuestionId,
    string
  >;
  return {
    person: { id: facts.user.id, userPrincipalName: facts.user.userPrincipalName, displayName: facts.user.displayName },
    ringIds,
    platform: input.platform ?? "unknown",
    aaGuid: input.aaGuid ?? null,
    firstBlocking: diagnosis.firstBlocking,
    verdicts,
    needsTemporaryAccessPass: diagnosis.needsTemporaryAccessPass,
  };
}

/**
 * Accumulates ring readiness member by member (streamed: a 300,000-member ring costs one counter set, the allow-list
 * tally and each blocker group's first people). The diagnosis of each member is the triage's own; this only counts.
 */
export function createRingAccumulator(
  ring: Ring,
  policy: TenantPolicySnapshot,
  catalog: Pick<AuthenticatorCatalog, "lookup">,
  now: Date,
  sampleLimit = 50,
) {
  const funnel = {
    members: 0,
    inPolicy: 0,
    canProveIdentity: 0,
    platformReady: 0,
    authenticatorAccepted: 0,
    registered: 0,
  };
  const blockers = new Map<string, RingReadiness["blockers"][number]>();
  const allowList = new Map<string, { aaGuid: string; name: string; count: number }>();
  let withoutPhishingResistant = 0;
  return {
    add(facts: MemberFacts, ringIds: string[]): MemberPrediction {
      const input = memberTriageInput(facts, policy, catalog, now);
      const diagnosis = diagnosePasskeyRegistration(input);
      const verdict = (id: QuestionId) => diagnosis.questions.find((q) => q.question === id)?.verdict;
      funnel.members++;
      const steps: Array<[QuestionId, keyof typeof funnel]> = [
        ["policyScope", "inPolicy"],
        ["freshMfa", "canProveIdentity"],
        ["platform", "platformReady"],
        ["authenticator", "authenticatorAccepted"],
      ];
      let through = true;
      for (const [question, step] of steps) {
        through &&= verdict(question) !== "fail";
        if (through) funnel[step]++;
      }
      const accepted = facts.user.passkeys.filter(
        (p) => judgePasskey(p, facts.user.id, policy.fido2, facts.memberOfGroupIds, catalog).verdict === "accepted",
      );
      if (accepted.length > 0) funnel.registered++;
      if (
        facts.user.accountEnabled &&
        !facts.user.methodsRegistered.some((m) => PHISHING_RESISTANT_METHODS_REGISTERED.includes(m))
      ) {
        withoutPhishingResistant++;
      }
      for (const passkey of facts.user.passkeys) {
        const ids = passkey.aaGuid ? [passkey.aaGuid] : passkey.family ? [...FAMILY_AAGUIDS[passkey.family]] : [];
        for (const aaGuid of ids) {
          const entry = allowList.get(aaGuid) ?? {
            aaGuid,
            name: catalog.lookup(aaGuid)?.name ?? passkeyLabel(passkey, catalog),
            count: 0,
          };
          entry.count++;
          allowList.set(aaGuid, entry);
        }
      }
      const blocking = diagnosis.firstBlocking;
      if (blocking) {
        const question = diagnosis.questions.find((q) => q.question === blocking);
        const fix = question?.adminFix[0] ?? null;
        const key = `${blocking}|${fix ? `${fix.key}|${JSON.stringify(fix.params ?? {})}` : "-"}`;
        const group = blockers.get(key) ?? { question: blocking, fix, count: 0, people: [] };
        group.count++;
        if (group.people.length < sampleLimit) {
          group.people.push({
            id: facts.user.id,
            userPrincipalName: facts.user.userPrincipalName,
            displayName: facts.user.displayName,
          });
        }
        blockers.set(key, group);
      }
      return {
        person: {
          id: facts.user.id,
          userPrincipalName: facts.user.userPrincipalName,
          displayName: facts.user.displayName,
        },
        ringIds,
        platform: input.platform ?? "unknown",
        aaGuid: input.aaGuid ?? null,
        firstBlocking: blocking,
        verdicts: Object.fromEntries(diagnosis.questions.map((q) => [q.question, q.verdict])) as Record<
          QuestionId,
          string
        >,
        needsTemporaryAccessPass: diagnosis.needsTemporaryAccessPass,
      };
    },
    result(): RingReadiness {
      const blockerList = [...blockers.values()].sort((a, b) => b.count - a.count);
      const recommendedAllowList = [...allowList.values()].sort((a, b) => b.count - a.count);
      const isSafe = funnel.members > 0 && withoutPhishingResistant === 0 && blockerList.length === 0;
      let nextStep: NextStep;
      if (blockerList.length > 0) nextStep = "fixBlockers";
      else if (funnel.registered < funnel.members) nextStep = "waitForRegistrations";
      else if (
        !allowListIsTight(
          policy,
          ring,
          recommendedAllowList.map((e) => e.aaGuid),
        )
      )
        nextStep = "tightenAllowList";
      else nextStep = "requirePhishingResistant";
      return {
        ringId: ring.id,
        ringName: ring.name,
        funnel,
        blockers: blockerList,
        recommendedAllowList,
        withoutPhishingResistant,
        nextStep,
        isSafeToRequirePhishingResistant: isSafe,
      };
    },
  };
}

/** Is every profile this ring's target uses already restricted to (a subset of) the AAGUIDs in use? */
function allowListIsTight(policy: TenantPolicySnapshot, ring: Ring, inUse: string[]): boolean {
  if (!policy.fido2.ok) return false;
  const fido2 = policy.fido2.value;
  const target = fido2.includeTargets.find((t) => t.id.toLowerCase() === ring.id);
  const ids = target?.allowedPasskeyProfiles?.length
    ? target.allowedPasskeyProfiles
    : [fido2.defaultPasskeyProfile ?? ""];
  const profiles = (fido2.passkeyProfiles ?? []).filter((p) =>
    ids.some((id) => id.toLowerCase() === p.id.toLowerCase()),
  );
  const used = new Set(inUse);
  return (
    profiles.length > 0 &&
    profiles.every(
      (p) =>
        p.keyRestrictions?.isEnforced === true &&
        p.keyRestrictions.enforcementType === "allow" &&
        (p.keyRestrictions.aaGuids ?? []).every((id) => used.has(id.toLowerCase())),
    )
  );
}
