import type { CardMessage } from "../../cards/card-message.js";
import { type CardText, joinedText, localizedText } from "../../cards/localized-text.js";
import { VERDICT_ICONS } from "../../cards/verdict-icons.js";
import type { GraphRead, ReadProblem, UserAuthSnapshot } from "../../graph/model.js";
import type { TriageChoices } from "./conversation-choices.js";
import type { Diagnosis, QuestionId, QuestionResult, Verdict } from "./engine/diagnosis.js";
import { MY_SECURITY_INFO_URL } from "./engine/diagnosis-text.js";
import { TriageCardText } from "./triage-card-text.js";
import { type TriageChoiceData, triageChoiceData } from "./triage-choice-data.js";

const VERDICT_STYLES: Record<Verdict, string> = {
  pass: "good",
  fail: "attention",
  warn: "warning",
  unknown: "emphasis",
};

/** One of the four questions on the end user's result card. */
export interface TriageResultQuestion {
  id: QuestionId;
  icon: string;
  style: string;
  title: CardText;
  verdict: CardText;
  summary: CardText;
  isBlocking: boolean;
  hasFix: boolean;
  fixText: CardText;
  hasMissing: boolean;
  missing: CardText;
}

/** The data of cards/triage-result.card.json. */
export type TriageResultData = {
  title: CardText;
  subtitle: CardText;
  headline: CardText;
  headlineColor: "Attention" | "Default";
  questions: TriageResultQuestion[];
  followUps: Array<{ id: string; text: CardText; isAnswered: boolean; isOpen: boolean; answeredText: CardText }>;
  hasFollowUps: boolean;
  securityInfoUrl: string;
  choices: TriageChoiceData;
};

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

function questionRow(q: QuestionResult, diagnosis: Diagnosis, retrySeconds: number | null): TriageResultQuestion {
  const isBlocking = diagnosis.firstBlocking === q.question;
  const title = TriageCardText.question(q.question);
  let missing: CardText = "";
  if (q.verdict === "unknown") {
    missing =
      retrySeconds !== null
        ? localizedText("triage.couldNotCheckRetry", { question: title, seconds: retrySeconds })
        : q.missing
          ? localizedText("triage.couldNotCheck", { question: title, reason: TriageCardText.diagnosis(q.missing) })
          : "";
  }
  return {
    id: q.question,
    icon: VERDICT_ICONS[q.verdict],
    style: isBlocking ? "attention" : VERDICT_STYLES[q.verdict],
    title,
    verdict: TriageCardText.verdict(q.verdict),
    summary: TriageCardText.diagnosis(q.summary),
    isBlocking,
    hasFix: q.userFix.length > 0 && (isBlocking || q.verdict !== "pass"),
    fixText: joinedText(
      q.userFix.map((fix) => joinedText(["- ", TriageCardText.diagnosis(fix)], "")),
      "\n",
    ),
    hasMissing: missing !== "",
    missing,
  };
}

/**
 * The end user's result: the four questions with icons, the first blocking one highlighted with what to do in plain
 * words, yes/no follow-ups Graph cannot answer, "Check again" and "Get help".
 */
export function buildResultCard(
  diagnosis: Diagnosis,
  choices: TriageChoices,
  snapshot: UserAuthSnapshot | null,
): CardMessage<"triage-result"> {
  const retrySeconds = retryAfter(problemsOf(snapshot));
  const questions = diagnosis.questions.map((q) => questionRow(q, diagnosis, retrySeconds));
  const blocking = diagnosis.questions.find((q) => q.question === diagnosis.firstBlocking) ?? null;
  const hasUnknown = diagnosis.questions.some((q) => q.verdict === "unknown");
  const warning = diagnosis.questions.find((q) => q.verdict === "warn") ?? null;
  // Never "everything looks right" while something warns: the warning names the step still to do.
  const headline = blocking
    ? localizedText("triage.headlineBlocked", { question: TriageCardText.question(blocking.question) })
    : warning
      ? localizedText("triage.headlineWarn", { question: TriageCardText.question(warning.question) })
      : hasUnknown
        ? localizedText("triage.headlineUnknown")
        : localizedText("triage.headlineAllPass");
  const followUps = [...new Set(diagnosis.questions.flatMap((q) => q.followUps))].map((id) => {
    const answer = choices.answers[id];
    return {
      id,
      text: TriageCardText.followUp(id),
      isAnswered: answer !== undefined,
      isOpen: answer === undefined,
      answeredText:
        answer === undefined
          ? ""
          : localizedText("triage.answered", { value: localizedText(answer ? "triage.yes" : "triage.no") }),
    };
  });
  const subtitle = joinedText(
    [
      localizedText("triage.resultPlatform", { platform: TriageCardText.platform(diagnosis.platform) }),
      ...(diagnosis.authenticatorName
        ? [localizedText("triage.resultAuthenticator", { name: diagnosis.authenticatorName })]
        : []),
      localizedText("triage.resultCheckedAt", { time: diagnosis.checkedDateTime.slice(11, 16) }),
    ],
    " · ",
  );
  return {
    name: "triage-result",
    data: {
      title: localizedText("triage.resultTitle", { name: diagnosis.displayName }),
      subtitle,
      headline,
      // The headline says the status in words; colour only adds to it, and only colours that keep WCAG AA contrast on
      // the card's background (Warning and Good text do not), so a warning or a pass is in the default colour.
      headlineColor: blocking ? "Attention" : "Default",
      questions,
      followUps,
      hasFollowUps: followUps.length > 0,
      securityInfoUrl: MY_SECURITY_INFO_URL,
      choices: triageChoiceData(choices),
    },
  };
}

/**
 * When Graph could not be read at all: the card says so and when to try again; nothing times out silently. An agent
 * is told which permission the app lacks; an end user only that the help desk has to fix it.
 */
export function buildUnavailableCard(
  displayName: string,
  choices: TriageChoices,
  problem: ReadProblem,
  reader: "endUser" | "agent" = "endUser",
): CardMessage<"triage-result"> {
  const seconds = problem.kind === "throttled" ? Math.ceil(problem.retryAfterSeconds) : 30;
  const headline =
    problem.kind === "throttled"
      ? localizedText("triage.graphThrottled", { seconds })
      : problem.kind === "accessDenied"
        ? localizedText("triage.couldNotCheck", {
            question: TriageCardText.question("policyScope"),
            reason: localizedText(reader === "agent" ? "agent.accessDenied" : "triage.accessDenied", {
              permission: problem.missingPermission ?? "?",
            }),
          })
        : localizedText("triage.graphUnavailable", { seconds });
  return {
    name: "triage-result",
    data: {
      title: localizedText("triage.resultTitle", { name: displayName }),
      subtitle: localizedText("triage.resultPlatform", { platform: TriageCardText.platform(choices.platform) }),
      headline,
      headlineColor: "Default",
      questions: [],
      followUps: [],
      hasFollowUps: false,
      securityInfoUrl: MY_SECURITY_INFO_URL,
      choices: triageChoiceData(choices),
    },
  };
}

declare module "../../cards/card-message.js" {
  interface CardDataByName {
    "triage-result": TriageResultData;
  }
}
