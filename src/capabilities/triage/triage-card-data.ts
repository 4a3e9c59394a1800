import type { CardMessage } from "../../cards/card-message.js";
import type { SchedulerStatus } from "../../graph/graph-gateway.js";
import type { DirectoryUser, GraphRead, ReadProblem, UserAuthSnapshot } from "../../graph/model.js";
import agentTexts from "../../locales/en/agent.json";
import { encodeAnswers, type TriageChoices } from "./conversation-choices.js";
import type {
  Diagnosis,
  FollowUpId,
  LocalizedText,
  Platform,
  QuestionId,
  QuestionResult,
  Verdict,
} from "./engine/diagnosis.js";
import { MY_SECURITY_INFO_URL } from "./engine/diagnosis-text.js";

/** Resolves `<namespace>.<key>` in the caller's locale (src/locales/translate.ts bound to a locale). */
export type Translate = (key: string, params?: Record<string, string | number>) => string;

export type TriageCardName =
  | "triage-platform"
  | "triage-checking"
  | "triage-result"
  | "triage-evidence"
  | "triage-user-picker"
  | "triage-answer"
  | "triage-key-model"
  | "triage-device";

export type { CardMessage };

export const VERDICT_ICONS: Record<Verdict, string> = { pass: "✅", fail: "⛔", warn: "⚠️", unknown: "❔" };
const VERDICT_STYLES: Record<Verdict, string> = {
  pass: "good",
  fail: "attention",
  warn: "warning",
  unknown: "emphasis",
};
const VERDICT_LABELS: Record<Verdict, string> = {
  pass: "triage.verdictPass",
  fail: "triage.verdictFail",
  warn: "triage.verdictWarn",
  unknown: "triage.verdictUnknown",
};

const QUESTION_TITLES: Record<QuestionId, string> = {
  policyScope: "triage.questionPolicyScope",
  freshMfa: "triage.questionFreshMfa",
  platform: "triage.questionPlatform",
  authenticator: "triage.questionAuthenticator",
};

const PLATFORM_LABELS: Record<Platform, string> = {
  windows: "triage.platformWindows",
  ios: "triage.platformIos",
  android: "triage.platformAndroid",
  securityKey: "triage.platformSecurityKey",
  otherDeviceQr: "triage.platformOtherDeviceQr",
  unknown: "triage.platformUnknown",
};

const FOLLOW_UP_TEXTS: Record<FollowUpId, string> = {
  windowsPinSet: "triage.followUpWindowsPinSet",
  tpmReady: "triage.followUpTpmReady",
  bluetoothOn: "triage.followUpBluetoothOn",
  authenticatorSignedIn: "triage.followUpAuthenticatorSignedIn",
  registeredInIcloudKeychain: "triage.followUpRegisteredInIcloudKeychain",
  severalGoogleAccounts: "triage.followUpSeveralGoogleAccounts",
  securityKeyIsFido2: "triage.followUpSecurityKeyIsFido2",
  browserHasUsbPermission: "triage.followUpBrowserHasUsbPermission",
};

export function questionTitle(t: Translate, question: QuestionId): string {
  return t(QUESTION_TITLES[question]);
}

export function platformLabel(t: Translate, platform: Platform): string {
  return t(PLATFORM_LABELS[platform]);
}

/** Diagnosis texts are keys of the engine's `diagnosis` locale namespace. */
export function localize(t: Translate, text: LocalizedText): string {
  const key = text.key.startsWith("diagnosis.") ? text.key : `diagnosis.${text.key}`;
  return t(key, text.params);
}

/**
 * The agent's evidence speaks about the person in the third person ("The user has no usable MFA method"), while the
 * person's own card says "you". Summaries and read problems have a third-person twin in the `agent` namespace; a
 * text without one (fixes, evidence labels) reads the same for both.
 */
export function localizeForAgent(t: Translate, text: LocalizedText): string {
  const key = text.key.startsWith("diagnosis.") ? text.key.slice("diagnosis.".length) : text.key;
  return Object.hasOwn(agentTexts, key) ? t(`agent.${key}`, text.params) : localize(t, text);
}

export function agentQuestionTitle(t: Translate, question: QuestionId): string {
  return t(`agent.question.${question}`);
}

/** At most this many authenticators in the picker: a Teams card must stay under its size limit. */
const PICKER_LIMIT = 40;

export function buildPlatformCard(
  authenticators: ReadonlyArray<{ aaGuid: string; name: string }>,
  start: QuestionId | null = null,
  lang = "",
): CardMessage<"triage-platform"> {
  return {
    name: "triage-platform",
    data: {
      start: start ?? "",
      lang,
      authenticators: authenticators.slice(0, PICKER_LIMIT).map((a) => ({ title: a.name, value: a.aaGuid })),
    },
  };
}

/** At most this many key models: a Teams card must stay under its size limit (the list is filtered as one types). */
const KEY_MODEL_LIMIT = 120;

/**
 * "Which security key is it?": one entry per model, grouped by vendor ("Yubico · YubiKey 5 Series with NFC"), and
 * "I don't know my model", which still checks everything that does not depend on the model.
 */
export function buildKeyModelCard(
  models: ReadonlyArray<{ vendor: string; name: string; aaGuid: string }>,
  start: QuestionId | null,
  lang = "",
): CardMessage<"triage-key-model"> {
  return {
    name: "triage-key-model",
    data: {
      start: start ?? "",
      lang,
      models: models.slice(0, KEY_MODEL_LIMIT).map((m) => ({
        title: m.name.toLowerCase().includes(m.vendor.toLowerCase()) ? m.name : `${m.vendor} · ${m.name}`,
        value: m.aaGuid,
      })),
    },
  };
}

/** "I'm not sure": which device is in front of the person, in words they recognise. */
export function buildDeviceCard(start: QuestionId | null, lang = ""): CardMessage<"triage-device"> {
  return { name: "triage-device", data: { start: start ?? "", lang } };
}

/** Shown at once, then replaced by the result: a waiting person is told why it may take a moment. */
export function buildCheckingCard(t: Translate, status: SchedulerStatus | null): CardMessage<"triage-checking"> {
  const waitSeconds = status ? Math.ceil(status.reportsBucketWaitSeconds) : 0;
  const queueText =
    status && waitSeconds > 0
      ? // Shown while this person's own request is already queued: it counts among queuedInteractive.
        t("triage.checkingQueue", { position: Math.max(1, status.queuedInteractive), seconds: waitSeconds })
      : "";
  return { name: "triage-checking", data: { queueText, hasQueue: queueText !== "" } };
}

/** Card data carries only choices; these go back to the server on every button. */
function choiceData(choices: TriageChoices): Record<string, string> {
  return {
    platform: choices.platform,
    aaGuid: choices.aaGuid ?? "",
    answers: encodeAnswers(choices.answers),
    start: choices.start ?? "",
    targetUserId: choices.targetUserId ?? "",
    lang: choices.lang ?? "",
  };
}

/** A Graph read that failed for a reason worth telling the user, with the wait Graph advised. */
function retryAfter(problems: ReadProblem[]): number | null {
  const waits = problems.flatMap((p) =>
    p.kind === "throttled" ? [Math.ceil(p.retryAfterSeconds)] : p.kind === "unavailable" ? [30] : [],
  );
  return waits.length ? Math.max(...waits) : null;
}

function problemsOf(snapshot: UserAuthSnapshot | null): ReadProblem[] {
  if (!snapshot) return [];
  const reads: GraphRead<unknown>[] = [
    snapshot.memberOfGroupIds,
    snapshot.methods,
    snapshot.devices,
    snapshot.signIns,
    snapshot.registrationAudits,
  ];
  return reads.flatMap((r) => (r.ok ? [] : [r.problem]));
}

function questionRow(t: Translate, q: QuestionResult, diagnosis: Diagnosis, retrySeconds: number | null) {
  const isBlocking = diagnosis.firstBlocking === q.question;
  const fixes = q.userFix.map((f) => localize(t, f));
  let missing = "";
  if (q.verdict === "unknown") {
    missing =
      retrySeconds !== null
        ? t("triage.couldNotCheckRetry", { question: questionTitle(t, q.question), seconds: retrySeconds })
        : q.missing
          ? t("triage.couldNotCheck", { question: questionTitle(t, q.question), reason: localize(t, q.missing) })
          : "";
  }
  return {
    id: q.question,
    icon: VERDICT_ICONS[q.verdict],
    style: isBlocking ? "attention" : VERDICT_STYLES[q.verdict],
    title: questionTitle(t, q.question),
    verdict: t(VERDICT_LABELS[q.verdict]),
    summary: localize(t, q.summary),
    isBlocking,
    hasFix: fixes.length > 0 && (isBlocking || q.verdict !== "pass"),
    fixText: fixes.map((f) => `- ${f}`).join("\n"),
    hasMissing: missing !== "",
    missing,
  };
}

/**
 * The end user's result: the four questions with icons, the first blocking one highlighted with what to do in plain
 * words, yes/no follow-ups Graph cannot answer, "Check again" and "Get help".
 */
export function buildResultCard(
  t: Translate,
  diagnosis: Diagnosis,
  choices: TriageChoices,
  snapshot: UserAuthSnapshot | null,
): CardMessage<"triage-result"> {
  const retrySeconds = retryAfter(problemsOf(snapshot));
  const questions = diagnosis.questions.map((q) => questionRow(t, q, diagnosis, retrySeconds));
  const blocking = diagnosis.questions.find((q) => q.question === diagnosis.firstBlocking) ?? null;
  const hasUnknown = diagnosis.questions.some((q) => q.verdict === "unknown");
  const warning = diagnosis.questions.find((q) => q.verdict === "warn") ?? null;
  // Never "everything looks right" while something warns: the warning names the step still to do.
  const headline = blocking
    ? t("triage.headlineBlocked", { question: questionTitle(t, blocking.question) })
    : warning
      ? t("triage.headlineWarn", { question: questionTitle(t, warning.question) })
      : hasUnknown
        ? t("triage.headlineUnknown")
        : t("triage.headlineAllPass");
  const followUps = [...new Set(diagnosis.questions.flatMap((q) => q.followUps))].map((id) => {
    const answer = choices.answers[id];
    return {
      id,
      text: t(FOLLOW_UP_TEXTS[id]),
      isAnswered: answer !== undefined,
      isOpen: answer === undefined,
      answeredText: answer === undefined ? "" : t("triage.answered", { value: t(answer ? "triage.yes" : "triage.no") }),
    };
  });
  const subtitle = [
    t("triage.resultPlatform", { platform: platformLabel(t, diagnosis.platform) }),
    diagnosis.authenticatorName ? t("triage.resultAuthenticator", { name: diagnosis.authenticatorName }) : null,
    t("triage.resultCheckedAt", { time: diagnosis.checkedDateTime.slice(11, 16) }),
  ]
    .filter(Boolean)
    .join(" · ");
  return {
    name: "triage-result",
    data: {
      title: t("triage.resultTitle", { name: diagnosis.displayName }),
      subtitle,
      headline,
      // The headline says the status in words; colour only adds to it, and only colours that keep WCAG AA contrast on
      // the card's background (Warning and Good text do not), so a warning or a pass is in the default colour.
      headlineColor: blocking ? "Attention" : "Default",
      questions,
      followUps,
      hasFollowUps: followUps.length > 0,
      securityInfoUrl: MY_SECURITY_INFO_URL,
      choices: choiceData(choices),
    },
  };
}

/**
 * When Graph could not be read at all: the card says so and when to try again; nothing times out silently. An agent
 * is told which permission the app lacks; an end user only that the help desk has to fix it.
 */
export function buildUnavailableCard(
  t: Translate,
  displayName: string,
  choices: TriageChoices,
  problem: ReadProblem,
  reader: "endUser" | "agent" = "endUser",
): CardMessage<"triage-result"> {
  const seconds = problem.kind === "throttled" ? Math.ceil(problem.retryAfterSeconds) : 30;
  const headline =
    problem.kind === "throttled"
      ? t("triage.graphThrottled", { seconds })
      : problem.kind === "accessDenied"
        ? t("triage.couldNotCheck", {
            question: questionTitle(t, "policyScope"),
            reason: t(reader === "agent" ? "agent.accessDenied" : "triage.accessDenied", {
              permission: problem.missingPermission ?? "?",
            }),
          })
        : t("triage.graphUnavailable", { seconds });
  return {
    name: "triage-result",
    data: {
      title: t("triage.resultTitle", { name: displayName }),
      subtitle: t("triage.resultPlatform", { platform: platformLabel(t, choices.platform) }),
      headline,
      headlineColor: "Default",
      questions: [],
      followUps: [],
      hasFollowUps: false,
      securityInfoUrl: MY_SECURITY_INFO_URL,
      choices: choiceData(choices),
    },
  };
}

export function buildUserPickerCard(
  text: string,
  users: DirectoryUser[],
  t: Translate,
): CardMessage<"triage-user-picker"> {
  return {
    name: "triage-user-picker",
    data: {
      title: t("triage.pickerTitle", { text }),
      users: users.map((u) => ({
        targetUserId: u.id,
        title: `${u.displayName ?? u.userPrincipalName} (${u.userPrincipalName})`,
      })),
    },
  };
}

export function buildAnswerCard(
  answer: string,
  links: Array<{ title: string; url: string }>,
): CardMessage<"triage-answer"> {
  return { name: "triage-answer", data: { answer, links, hasLinks: links.length > 0 } };
}
