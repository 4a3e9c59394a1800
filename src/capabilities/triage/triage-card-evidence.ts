import type { CardMessage } from "../../cards/card-message.js";
import { type CardText, joinedText, localizedText } from "../../cards/localized-text.js";
import { VERDICT_ICONS } from "../../cards/verdict-icons.js";
import type { TenantPolicySnapshot, UserAuthSnapshot } from "../../graph/model.js";
import type { TriageChoices } from "./conversation-choices.js";
import { auditAaguidText, type Fact, facts } from "./evidence-facts.js";
import { formatLocalTime } from "./format-local-time.js";
import { markFailedAttempts } from "./mark-failed-attempts.js";
import { groupFacts, profileFacts } from "./policy-evidence-facts.js";
import type { TriageOutcome } from "./run-triage.js";
import { TriageCardText } from "./triage-card-text.js";
import { type TriageChoiceData, triageChoiceData } from "./triage-choice-data.js";

/** One of the four questions on the agent's evidence card, about the person in the third person. */
export interface TriageEvidenceQuestion {
  icon: string;
  title: CardText;
  summary: CardText;
  isBlocking: boolean;
  hasAdminFix: boolean;
  adminFix: CardText;
  hasMissing: boolean;
  missing: CardText;
}

/** The data of cards/triage-evidence.card.json. */
export type TriageEvidenceData = {
  title: CardText;
  upn: string;
  subtitle: CardText;
  needsTap: boolean;
  canRequestTap: boolean;
  hasNoTapReason: boolean;
  noTapReason: CardText;
  needsTapText: CardText;
  questions: TriageEvidenceQuestion[];
  groups: Fact[];
  profiles: Fact[];
  methods: Fact[];
  devices: Fact[];
  signIns: Fact[];
  audits: Fact[];
  targetUserId: string;
  choices: TriageChoiceData;
};

/**
 * Whether the agent is offered "Request TAP": not for an external guest (no TAP possible), a disabled account (no
 * sign-in at all) or someone the TAP policy does not target (the pass would be refused at sign-in). The TAP flow
 * still checks everything on the server (privileged roles included); this only avoids offering a dead end.
 */
function tapOffer(outcome: TriageOutcome): { canRequestTap: boolean; hasNoTapReason: boolean; noTapReason: CardText } {
  const { user, policy } = outcome;
  const reasonKey =
    user.user.userType === "Guest"
      ? "triage.noTapGuest"
      : user.user.accountEnabled === false
        ? "triage.noTapDisabled"
        : isOutsideTapPolicy(policy, user)
          ? "triage.noTapNotTargeted"
          : null;
  return {
    canRequestTap: reasonKey === null,
    hasNoTapReason: reasonKey !== null,
    noTapReason: reasonKey ? localizedText(reasonKey) : "",
  };
}

function isOutsideTapPolicy(policy: TenantPolicySnapshot, user: UserAuthSnapshot): boolean {
  if (!policy.temporaryAccessPass.ok || !user.memberOfGroupIds.ok) return false;
  const tap = policy.temporaryAccessPass.value;
  if (tap.state !== "enabled") return true;
  const member = new Set(user.memberOfGroupIds.value.map((id) => id.toLowerCase()));
  const matches = (id: string) =>
    id === "all_users" || id.toLowerCase() === user.user.id.toLowerCase() || member.has(id.toLowerCase());
  if ((tap.excludeTargets ?? []).some((target) => matches(target.id))) return true;
  return !(tap.includeTargets ?? []).some((target) => matches(target.id));
}

/**
 * The help-desk agent's evidence card: the four verdicts with the admin fixes, the policy's groups by name, the
 * profiles in scope with their allow/block lists by authenticator name, methods with AAGUIDs and names, devices,
 * recent sign-ins, registration audit events, and the next actions.
 */
export function buildEvidenceCard(
  outcome: TriageOutcome,
  choices: TriageChoices,
  authenticatorName: (aaGuid: string) => string | null,
  timeZone?: string,
): CardMessage<"triage-evidence"> {
  const { diagnosis, policy, user, groupNames } = outcome;
  const questions = diagnosis.questions.map((q) => ({
    icon: VERDICT_ICONS[q.verdict],
    title: TriageCardText.agentQuestion(q.question),
    summary: TriageCardText.forAgent(q.summary),
    isBlocking: diagnosis.firstBlocking === q.question,
    hasAdminFix: q.adminFix.length > 0 && q.verdict !== "pass",
    adminFix: joinedText(
      q.adminFix.map((fix) => joinedText(["- ", TriageCardText.diagnosis(fix)], "")),
      "\n",
    ),
    hasMissing: q.verdict === "unknown" && !!q.missing,
    missing: q.missing ? TriageCardText.forAgent(q.missing) : "",
  }));
  const methods = facts(user.methods, (m) => {
    const type = m["@odata.type"].replace("#microsoft.graph.", "").replace("AuthenticationMethod", "");
    const fields = m as { aaGuid?: unknown; displayName?: unknown };
    const aaGuid = typeof fields.aaGuid === "string" ? fields.aaGuid : null;
    const name = typeof fields.displayName === "string" ? fields.displayName : "";
    const known = aaGuid ? (authenticatorName(aaGuid) ?? "?") : "";
    return { title: type, value: [name, aaGuid ? `${aaGuid} (${known})` : ""].filter(Boolean).join(" · ") || "—" };
  });
  const devices = facts(user.devices, (d) => ({
    title: d.displayName ?? d.id,
    value: [d.operatingSystem, d.operatingSystemVersion, d.trustType].filter(Boolean).join(" · "),
  }));
  const signIns = user.signIns.ok
    ? facts({ ok: true, value: user.signIns.value.slice(0, 8) }, (s) => ({
        title: formatLocalTime(s.createdDateTime, timeZone),
        value: joinedText(
          [
            s.appDisplayName ?? "",
            s.authenticationRequirement ?? "",
            (s.authenticationDetails ?? [])
              .map((d) => d.authenticationMethod)
              .filter(Boolean)
              .join("+"),
            s.status?.errorCode
              ? localizedText("triage.evidenceSignInError", { code: s.status.errorCode })
              : localizedText("triage.evidenceSignInOk"),
          ].filter((part) => part !== ""),
          " · ",
        ),
      }))
    : facts(user.signIns, () => ({ title: "", value: "" }));
  const audits = user.registrationAudits.ok
    ? facts({ ok: true, value: markFailedAttempts(user.registrationAudits.value).slice(0, 10) }, (a) => ({
        title: formatLocalTime(a.activityDateTime, timeZone),
        value: joinedText(
          [
            a.activityDisplayName,
            a.result,
            a.isFailedAttempt ? joinedText(["⚠️", localizedText("triage.evidenceFailedAttempt")], " ") : "",
            auditAaguidText(a, authenticatorName),
          ].filter((part): part is CardText => !!part),
          " · ",
        ),
      }))
    : facts(user.registrationAudits, () => ({ title: "", value: "" }));
  return {
    name: "triage-evidence",
    data: {
      title: localizedText("triage.evidenceTitle", { name: diagnosis.displayName }),
      upn: diagnosis.userPrincipalName,
      subtitle: joinedText(
        [
          localizedText("triage.resultPlatform", { platform: TriageCardText.platform(diagnosis.platform) }),
          localizedText("triage.resultCheckedAt", { time: diagnosis.checkedDateTime.slice(11, 16) }),
        ],
        " · ",
      ),
      needsTap: diagnosis.needsTemporaryAccessPass,
      ...tapOffer(outcome),
      needsTapText: localizedText("triage.evidenceNeedsTap"),
      questions,
      groups: groupFacts(policy, user, groupNames),
      profiles: profileFacts(policy, user, authenticatorName),
      methods,
      devices,
      signIns,
      audits,
      targetUserId: diagnosis.userId,
      choices: triageChoiceData({ ...choices, targetUserId: diagnosis.userId }),
    },
  };
}

declare module "../../cards/card-message.js" {
  interface CardDataByName {
    "triage-evidence": TriageEvidenceData;
  }
}
