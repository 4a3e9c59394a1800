import type { DirectoryAuditRecord } from "../../../graph/model.js";
import { describeReadProblem } from "./describe-read-problem.js";
import type { Evidence, QuestionResult, TriageInput } from "./diagnosis.js";
import { diagnosisText, LINKS } from "./diagnosis-text.js";
import { resolvePasskeyScope } from "./resolve-passkey-scope.js";

/** Entra applies policy changes with a delay; one practitioner's registrations failed for a while after a change. */
const POLICY_PROPAGATION_MINUTES = 60;

function groupLabel(input: TriageInput, id: string): string {
  if (id === "all_users") return "all_users";
  const name = input.groupNames?.[id];
  return name ? `${name} (${id})` : id;
}

function recentChanges(input: TriageInput): DirectoryAuditRecord[] | null {
  const changes = input.policy.recentPolicyChanges;
  if (!changes.ok) return null;
  const since = input.now.getTime() - POLICY_PROPAGATION_MINUTES * 60_000;
  return changes.value.filter((c) => {
    const at = Date.parse(c.activityDateTime);
    return at >= since && at <= input.now.getTime() + 60_000;
  });
}

/** Question 1: is the person in scope of the Passkey (FIDO2) method, and can they add one themselves? */
export function evaluatePolicyScope(input: TriageInput): QuestionResult {
  const { snapshot, policy } = input;
  const base: QuestionResult = {
    question: "policyScope",
    verdict: "unknown",
    summary: diagnosisText("policyScope.summary.unknown"),
    evidence: [],
    userFix: [],
    adminFix: [],
    links: [LINKS.passkeyPolicy],
    followUps: [],
  };
  if (snapshot.user.accountEnabled === false) {
    // Said first: a disabled account cannot sign in, so nothing else on this list can be done until it is enabled.
    return {
      ...base,
      verdict: "fail",
      summary: diagnosisText("policyScope.summary.accountDisabled"),
      evidence: [{ label: diagnosisText("evidence.accountEnabled"), value: "false" }],
      userFix: [diagnosisText("common.userFix.askHelpdesk")],
      adminFix: [diagnosisText("policyScope.adminFix.enableAccount")],
      links: [LINKS.userMethods],
    };
  }
  const scope = resolvePasskeyScope(policy.fido2, snapshot.memberOfGroupIds, snapshot.user.id);

  if (scope.kind === "unreadable") {
    const problem = scope.subject === "fido2Policy" ? policy.fido2 : snapshot.memberOfGroupIds;
    return {
      ...base,
      missing: problem.ok ? undefined : describeReadProblem(scope.subject, problem.problem),
      userFix: [diagnosisText("common.userFix.askHelpdesk")],
    };
  }

  const evidence: Evidence[] = [{ label: diagnosisText("evidence.methodState"), value: scope.policy.state }];

  if (scope.kind === "disabled") {
    return {
      ...base,
      verdict: "fail",
      summary: diagnosisText("policyScope.summary.disabled"),
      evidence,
      userFix: [diagnosisText("common.userFix.askHelpdesk")],
      adminFix: [diagnosisText("policyScope.adminFix.enableMethod")],
    };
  }

  if (snapshot.user.userType === "Guest") {
    return {
      ...base,
      verdict: "fail",
      summary: diagnosisText("policyScope.summary.guest"),
      evidence: [...evidence, { label: diagnosisText("evidence.userType"), value: "Guest" }],
      userFix: [diagnosisText("policyScope.userFix.guest")],
      adminFix: [diagnosisText("policyScope.adminFix.guest")],
    };
  }

  if (scope.kind === "excluded") {
    const groups = scope.by.map((t) => groupLabel(input, t.id));
    return {
      ...base,
      verdict: "fail",
      summary: diagnosisText("policyScope.summary.excluded", { groups: groups.join(", ") }),
      evidence: [...evidence, ...groups.map((g) => ({ label: diagnosisText("evidence.excludedBy"), value: g }))],
      userFix: [diagnosisText("common.userFix.askHelpdesk")],
      adminFix: scope.by.map((t) =>
        diagnosisText("policyScope.adminFix.removeFromExclusion", { group: groupLabel(input, t.id) }),
      ),
    };
  }

  if (scope.kind === "notIncluded") {
    const targets = (scope.policy.includeTargets ?? []).map((t) => groupLabel(input, t.id));
    return {
      ...base,
      verdict: "fail",
      summary: diagnosisText("policyScope.summary.notIncluded"),
      evidence: [
        ...evidence,
        { label: diagnosisText("evidence.includeTargets"), value: targets.length > 0 ? targets.join(", ") : "—" },
      ],
      userFix: [diagnosisText("common.userFix.askHelpdesk")],
      adminFix: [diagnosisText("policyScope.adminFix.addToTarget")],
    };
  }

  evidence.push(
    ...scope.by.map((t) => ({ label: diagnosisText("evidence.includedBy"), value: groupLabel(input, t.id) })),
    {
      label: diagnosisText(scope.isLegacy ? "evidence.legacyPolicy" : "evidence.profilesInScope"),
      value: scope.profiles.map((p) => p.name).join(", ") || "—",
    },
    {
      label: diagnosisText("evidence.selfService"),
      value: String(scope.policy.isSelfServiceRegistrationAllowed ?? "null"),
    },
  );

  if (scope.policy.isSelfServiceRegistrationAllowed === false) {
    return {
      ...base,
      verdict: "fail",
      summary: diagnosisText("policyScope.summary.selfServiceOff"),
      evidence,
      userFix: [diagnosisText("common.userFix.askHelpdesk")],
      adminFix: [diagnosisText("policyScope.adminFix.enableSelfService")],
    };
  }

  if (scope.profiles.length === 0) {
    return {
      ...base,
      verdict: "fail",
      summary: diagnosisText("policyScope.summary.noProfile"),
      evidence,
      userFix: [diagnosisText("common.userFix.askHelpdesk")],
      adminFix: [diagnosisText("policyScope.adminFix.assignProfile")],
    };
  }

  const changes = recentChanges(input);
  if (changes === null && !policy.recentPolicyChanges.ok) {
    evidence.push({
      label: diagnosisText("evidence.recentPolicyChangesUnread"),
      value: policy.recentPolicyChanges.problem.kind,
    });
  }
  if (changes && changes.length > 0) {
    const latest = changes[0] as DirectoryAuditRecord;
    const by = latest.initiatedBy?.user?.userPrincipalName ?? latest.initiatedBy?.app?.displayName ?? "—";
    const minutesAgo = Math.max(0, Math.round((input.now.getTime() - Date.parse(latest.activityDateTime)) / 60_000));
    return {
      ...base,
      verdict: "warn",
      summary: diagnosisText("policyScope.summary.recentChange", { minutes: minutesAgo }),
      evidence: [
        ...evidence,
        { label: diagnosisText("evidence.recentPolicyChange"), value: `${latest.activityDateTime} (${by})` },
      ],
      userFix: [
        diagnosisText("policyScope.userFix.waitAndRetry", { minutes: POLICY_PROPAGATION_MINUTES - minutesAgo }),
      ],
      adminFix: [diagnosisText("policyScope.adminFix.recentChange")],
      links: [LINKS.mySecurityInfo, LINKS.passkeyPolicy],
    };
  }

  return {
    ...base,
    verdict: "pass",
    summary: diagnosisText("policyScope.summary.inScope"),
    evidence,
    links: [LINKS.mySecurityInfo, LINKS.passkeyPolicy],
  };
}
