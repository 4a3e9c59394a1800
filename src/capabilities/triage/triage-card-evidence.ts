import type {
  DirectoryAuditRecord,
  Fido2KeyRestrictions,
  GraphRead,
  PasskeyProfile,
  ReadProblem,
  TenantPolicySnapshot,
  UserAuthSnapshot,
} from "../../graph/model.js";
import { encodeAnswers, type TriageChoices } from "./conversation-choices.js";
import { resolvePasskeyScope } from "./engine/resolve-passkey-scope.js";
import type { TriageOutcome } from "./run-triage.js";
import {
  agentQuestionTitle,
  type CardMessage,
  localize,
  localizeForAgent,
  platformLabel,
  type Translate,
  VERDICT_ICONS,
} from "./triage-card-data.js";

interface Fact {
  title: string;
  value: string;
}

/** Authenticator names listed per profile; a Teams card must stay under its size limit. */
const MAX_NAMED_AUTHENTICATORS = 12;

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

function problemText(t: Translate, problem: ReadProblem): string {
  switch (problem.kind) {
    case "notRequested":
      return t("triage.evidenceNotRead", { reason: t("triage.evidenceNotRequested") });
    case "throttled":
      return t("triage.graphThrottled", { seconds: Math.ceil(problem.retryAfterSeconds) });
    case "accessDenied":
      // Evidence is for agents: they may forward the permission's name to whoever grants it.
      return t("triage.evidenceNotRead", {
        reason: t("agent.accessDenied", { permission: problem.missingPermission ?? "?" }),
      });
    default:
      return t("triage.graphUnavailable", { seconds: 30 });
  }
}

/** A fact list that is never empty: an empty FactSet is invisible, and "none" is itself evidence. */
function facts<T>(t: Translate, read: GraphRead<T[]>, toFact: (item: T) => Fact): Fact[] {
  if (!read.ok) return [{ title: "—", value: problemText(t, read.problem) }];
  if (read.value.length === 0) return [{ title: "—", value: t("triage.evidenceNone") }];
  return read.value.map(toFact);
}

/** The authenticator an "Add Passkey" event names (additionalDetails "AAGuid"), by name: the key the person tried. */
function auditAaguidText(
  t: Translate,
  audit: DirectoryAuditRecord,
  authenticatorName: (aaGuid: string) => string | null,
): string {
  const aaGuid = (audit.additionalDetails ?? []).find((d) => d.key?.toLowerCase() === "aaguid")?.value?.trim();
  if (!aaGuid) return "";
  return t("triage.evidenceAuditAaguid", { aaGuid, name: authenticatorName(aaGuid.toLowerCase()) ?? "?" });
}

/** Each policy target with the user's membership; the group's display name when Graph gave one, else just its id. */
function groupFacts(
  t: Translate,
  policy: TenantPolicySnapshot,
  user: UserAuthSnapshot,
  groupNames: Record<string, string>,
): Fact[] {
  if (!user.memberOfGroupIds.ok) return [{ title: "—", value: problemText(t, user.memberOfGroupIds.problem) }];
  const member = new Set(user.memberOfGroupIds.value.map((id) => id.toLowerCase()));
  const names = new Map(Object.entries(groupNames).map(([id, name]) => [id.toLowerCase(), name]));
  const rows: Fact[] = [];
  const describe = (kind: string, id: string) => {
    if (id === "all_users") return rows.push({ title: `${kind}: all_users`, value: t("triage.evidenceMember") });
    const isMember = member.has(id.toLowerCase());
    const name = names.get(id.toLowerCase());
    // The group's name first, its id after it for the admin who searches the portal.
    const value = t(isMember ? "triage.evidenceMember" : "triage.evidenceNotMember");
    rows.push({ title: name ? `${kind}: ${name} (${id})` : `${kind}: ${id}`, value });
  };
  if (policy.fido2.ok) {
    for (const target of policy.fido2.value.includeTargets) describe("Passkey +", target.id);
    for (const target of policy.fido2.value.excludeTargets) describe("Passkey −", target.id);
  }
  if (policy.temporaryAccessPass.ok) {
    for (const target of policy.temporaryAccessPass.value.includeTargets) describe("TAP +", target.id);
    for (const target of policy.temporaryAccessPass.value.excludeTargets) describe("TAP −", target.id);
  }
  return rows.length ? rows : [{ title: "—", value: t("triage.evidenceNone") }];
}

/**
 * Whether the agent is offered "Request TAP": not for an external guest (no TAP possible), a disabled account (no
 * sign-in at all) or someone the TAP policy does not target (the pass would be refused at sign-in). The TAP flow
 * still checks everything on the server (privileged roles included); this only avoids offering a dead end.
 */
function tapOffer(
  t: Translate,
  outcome: TriageOutcome,
): { canRequestTap: boolean; hasNoTapReason: boolean; noTapReason: string } {
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
    noTapReason: reasonKey ? t(reasonKey) : "",
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

/** A profile's allow or block list by authenticator name; an AAGUID the catalog does not know is shown as is. */
function keyRestrictionText(
  t: Translate,
  restrictions: Fido2KeyRestrictions | null,
  authenticatorName: (aaGuid: string) => string | null,
): string {
  if (!restrictions?.isEnforced) return t("triage.evidenceNoKeyRestrictions");
  // Models often have several AAGUIDs under one name (USB-A, NFC, firmware lines): one entry each, with a count.
  const counts = new Map<string, number>();
  for (const aaGuid of restrictions.aaGuids ?? []) {
    const name = authenticatorName(aaGuid) ?? aaGuid;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const entries = [...counts].map(([name, count]) => (count > 1 ? `${name} ×${count}` : name));
  const named = entries.slice(0, MAX_NAMED_AUTHENTICATORS);
  if (entries.length > MAX_NAMED_AUTHENTICATORS) {
    named.push(t("triage.evidenceAndMore", { count: entries.length - MAX_NAMED_AUTHENTICATORS }));
  }
  const names = named.length > 0 ? named.join(", ") : t("triage.evidenceNone");
  if (restrictions.enforcementType === "allow") return t("triage.evidenceKeysAllowed", { names });
  if (restrictions.enforcementType === "block") return t("triage.evidenceKeysBlocked", { names });
  return t("triage.evidenceKeysRestricted", { type: restrictions.enforcementType ?? "?", names });
}

/** The profiles that apply to the user, as the engine resolves them (a target naming none gets the default one). */
function profileFacts(
  t: Translate,
  policy: TenantPolicySnapshot,
  user: UserAuthSnapshot,
  authenticatorName: (aaGuid: string) => string | null,
): Fact[] {
  const scope = resolvePasskeyScope(policy.fido2, user.memberOfGroupIds, user.user.id);
  if (scope.kind === "unreadable") {
    const read = scope.subject === "fido2Policy" ? policy.fido2 : user.memberOfGroupIds;
    return [{ title: "—", value: read.ok ? t("triage.evidenceNone") : problemText(t, read.problem) }];
  }
  const profiles: PasskeyProfile[] = scope.kind === "included" ? scope.profiles : [];
  if (profiles.length === 0) return [{ title: "—", value: t("triage.evidenceNone") }];
  return profiles.map((p) => ({
    title: p.name,
    value: [
      p.passkeyTypes,
      t("triage.evidenceAttestation", { value: p.attestationEnforcement }),
      keyRestrictionText(t, p.keyRestrictions, authenticatorName),
    ].join("; "),
  }));
}

/**
 * The help-desk agent's evidence card: the four verdicts with the admin fixes, the policy's groups by name, the
 * profiles in scope with their allow/block lists by authenticator name, methods with AAGUIDs and names, devices,
 * recent sign-ins, registration audit events, and the next actions.
 */
/**
 * An instant in the agent's own time zone (Teams sends it as the activity's `localTimezone`), e.g. "22 Nov, 10:58";
 * UTC, labelled, when the client did not say.
 */
export function formatLocalTime(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    const text = new Intl.DateTimeFormat("en-GB", {
      timeZone: timeZone || "UTC",
      day: "numeric",
      month: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(date);
    return timeZone ? text : `${text} UTC`;
  } catch {
    return `${iso.slice(0, 16).replace("T", " ")} UTC`;
  }
}

export function buildEvidenceCard(
  t: Translate,
  outcome: TriageOutcome,
  choices: TriageChoices,
  authenticatorName: (aaGuid: string) => string | null,
  timeZone?: string,
): CardMessage<"triage-evidence"> {
  const { diagnosis, policy, user, groupNames } = outcome;
  const questions = diagnosis.questions.map((q) => ({
    icon: VERDICT_ICONS[q.verdict],
    title: agentQuestionTitle(t, q.question),
    summary: localizeForAgent(t, q.summary),
    isBlocking: diagnosis.firstBlocking === q.question,
    hasAdminFix: q.adminFix.length > 0 && q.verdict !== "pass",
    adminFix: q.adminFix.map((f) => `- ${localize(t, f)}`).join("\n"),
    hasMissing: q.verdict === "unknown" && !!q.missing,
    missing: q.missing ? localizeForAgent(t, q.missing) : "",
  }));
  const methods = facts(t, user.methods, (m) => {
    const type = m["@odata.type"].replace("#microsoft.graph.", "").replace("AuthenticationMethod", "");
    const fields = m as { aaGuid?: unknown; displayName?: unknown };
    const aaGuid = typeof fields.aaGuid === "string" ? fields.aaGuid : null;
    const name = typeof fields.displayName === "string" ? fields.displayName : "";
    const known = aaGuid ? (authenticatorName(aaGuid) ?? "?") : "";
    return { title: type, value: [name, aaGuid ? `${aaGuid} (${known})` : ""].filter(Boolean).join(" · ") || "—" };
  });
  const devices = facts(t, user.devices, (d) => ({
    title: d.displayName ?? d.id,
    value: [d.operatingSystem, d.operatingSystemVersion, d.trustType].filter(Boolean).join(" · "),
  }));
  const signIns = user.signIns.ok
    ? facts(t, { ok: true, value: user.signIns.value.slice(0, 8) }, (s) => ({
        title: formatLocalTime(s.createdDateTime, timeZone),
        value: [
          s.appDisplayName,
          s.authenticationRequirement,
          (s.authenticationDetails ?? [])
            .map((d) => d.authenticationMethod)
            .filter(Boolean)
            .join("+"),
          s.status?.errorCode ? `error ${s.status.errorCode}` : "ok",
        ]
          .filter(Boolean)
          .join(" · "),
      }))
    : facts(t, user.signIns, () => ({ title: "", value: "" }));
  const audits = user.registrationAudits.ok
    ? facts(t, { ok: true, value: markFailedAttempts(user.registrationAudits.value).slice(0, 10) }, (a) => ({
        title: formatLocalTime(a.activityDateTime, timeZone),
        value: [
          a.activityDisplayName,
          a.result,
          a.isFailedAttempt ? `⚠️ ${t("triage.evidenceFailedAttempt")}` : "",
          auditAaguidText(t, a, authenticatorName),
        ]
          .filter(Boolean)
          .join(" · "),
      }))
    : facts(t, user.registrationAudits, () => ({ title: "", value: "" }));
  return {
    name: "triage-evidence",
    data: {
      title: t("triage.evidenceTitle", { name: diagnosis.displayName }),
      upn: diagnosis.userPrincipalName,
      subtitle: [
        t("triage.resultPlatform", { platform: platformLabel(t, diagnosis.platform) }),
        t("triage.resultCheckedAt", { time: diagnosis.checkedDateTime.slice(11, 16) }),
      ].join(" · "),
      needsTap: diagnosis.needsTemporaryAccessPass,
      ...tapOffer(t, outcome),
      needsTapText: t("triage.evidenceNeedsTap"),
      questions,
      groups: groupFacts(t, policy, user, groupNames),
      profiles: profileFacts(t, policy, user, authenticatorName),
      methods,
      devices,
      signIns,
      audits,
      targetUserId: diagnosis.userId,
      choices: {
        platform: choices.platform,
        aaGuid: choices.aaGuid ?? "",
        answers: encodeAnswers(choices.answers),
        start: choices.start ?? "",
        targetUserId: diagnosis.userId,
        lang: choices.lang ?? "",
      },
    },
  };
}
