import type { CardMessage } from "../../cards/card-message.js";
import { joinedText, localizedText } from "../../cards/localized-text.js";
import { resolveText } from "../../cards/resolve-text.js";
import { NotFoundError } from "../../graph/graph-errors.js";
import type { SchedulerStatus } from "../../graph/graph-gateway.js";
import type { DirectoryUser } from "../../graph/model.js";
import { problemOf } from "../../graph/problem-of.js";
import { NotAnAgentError } from "../tickets/ticket-errors.js";
import type { CommonQuestionAnswer } from "./answer-common-question.js";
import { buildResultCard, buildUnavailableCard } from "./build-result-card.js";
import type { TriageChoices } from "./conversation-choices.js";
import type { QuestionId } from "./engine/diagnosis.js";
import { MY_SECURITY_INFO_URL } from "./engine/diagnosis-text.js";
import type { RunTriageRequest, TriageOutcome } from "./run-triage.js";
import {
  buildAnswerCard,
  buildCheckingCard,
  buildDeviceCard,
  buildKeyModelCard,
  buildPlatformCard,
  buildUserPickerCard,
} from "./triage-card-data.js";
import { buildEvidenceCard } from "./triage-card-evidence.js";
import { TriageCardText } from "./triage-card-text.js";

/** The small set of things the triage conversation needs; register.ts wires the real ones, tests pass fakes. */
export interface TriageConversationDependencies {
  runTriage(request: RunTriageRequest): Promise<TriageOutcome>;
  schedulerStatus(): SchedulerStatus;
  getUser(idOrUpn: string): Promise<DirectoryUser>;
  findUsers(text: string, top?: number): Promise<DirectoryUser[]>;
  /** Decided from Graph group membership, never from card data. */
  isAgent(userId: string): Promise<boolean>;
  /** The engine's symptom classifier: which question a pasted error message points at. */
  classifySymptom(text: string): QuestionId | null;
  authenticatorName(aaGuid: string): string | null;
  authenticatorsForPicker(): ReadonlyArray<{ aaGuid: string; name: string }>;
  /** Security-key models, deduplicated and grouped by vendor. */
  securityKeyModels(): ReadonlyArray<{ vendor: string; name: string; aaGuid: string }>;
  /** Refusals of agent commands are logged (who tried what), never silently dropped. */
  logRefusal(callerId: string, action: string): void;
}

/** Something to say in chat: a card or a line of text (already translated). */
export type Reply = { kind: "card"; card: CardMessage } | { kind: "text"; text: string };

/** The platform card, optionally preset to start at the question a pasted error pointed to. */
export function startTriage(
  deps: TriageConversationDependencies,
  start: QuestionId | null = null,
  lang = "",
): CardMessage {
  return buildPlatformCard(deps.authenticatorsForPicker(), start, lang);
}

/** "Security key" without a model: the model picker, never a dead end ("I don't know my model" is on it). */
export function askKeyModel(deps: TriageConversationDependencies, start: QuestionId | null, lang = ""): CardMessage {
  return buildKeyModelCard(deps.securityKeyModels(), start, lang);
}

/** "I'm not sure" which device: a choice in plain words, then the check. */
export function askDevice(start: QuestionId | null, lang = ""): CardMessage {
  return buildDeviceCard(start, lang);
}

/** The "Checking your account…" card, with the queue position when Graph's reports budget is spent. */
export function acknowledgement(deps: TriageConversationDependencies): CardMessage<"triage-checking"> {
  return buildCheckingCard(deps.schedulerStatus());
}

/**
 * The end user's own check. The subject is always the caller (the activity's sender); `choices.targetUserId` is
 * ignored here. Graph being throttled or down yields a card that says so and when to try again.
 */
export async function checkOwnRegistration(
  deps: TriageConversationDependencies,
  callerId: string,
  callerName: string,
  choices: TriageChoices,
  fresh: boolean,
  symptomText = "",
): Promise<{ card: CardMessage; outcome: TriageOutcome | null }> {
  const own: TriageChoices = { ...choices, targetUserId: null };
  try {
    const outcome = await deps.runTriage({ ...triageRequest(callerId, own, fresh), symptomText });
    const start = outcome.diagnosis.suggestedStart;
    if (start && !own.start) own.start = start;
    return { card: buildResultCard(outcome.diagnosis, own, outcome.user), outcome };
  } catch (error) {
    const problem = problemOf(error);
    if (!problem) throw error;
    return { card: buildUnavailableCard(callerName, own, problem), outcome: null };
  }
}

/** The platform card's submit: choices plus the optional error text, which presets where the engine starts. */
export function withClassifiedStart(
  deps: TriageConversationDependencies,
  choices: TriageChoices,
  errorText: string,
): TriageChoices {
  if (!errorText || choices.start) return choices;
  return { ...choices, start: deps.classifySymptom(errorText) };
}

export type AgentTarget =
  | { kind: "user"; user: DirectoryUser }
  | { kind: "choose"; card: CardMessage }
  | { kind: "none"; text: string };

/** `triage <UPN or name>`: a UPN is read directly; a name is searched, and several matches give a picker card. */
export async function resolveAgentTarget(
  deps: TriageConversationDependencies,
  locale: string,
  callerId: string,
  query: string,
): Promise<AgentTarget> {
  await requireAgent(deps, callerId, "triage.user");
  const text = query.trim().slice(0, 120);
  if (!text) return { kind: "none", text: resolveText(localizedText("triage.triageUsage"), locale) };
  if (text.includes("@")) {
    try {
      return { kind: "user", user: await deps.getUser(text) };
    } catch (error) {
      if (error instanceof NotFoundError)
        return { kind: "none", text: resolveText(localizedText("triage.noUserFound", { text }), locale) };
      throw error;
    }
  }
  const found = await deps.findUsers(text, 10);
  if (found.length === 0)
    return { kind: "none", text: resolveText(localizedText("triage.noUserFound", { text }), locale) };
  if (found.length === 1 && found[0]) return { kind: "user", user: found[0] };
  return { kind: "choose", card: buildUserPickerCard(text, found) };
}

/** The agent's full evidence card for another user; refused politely (and logged) for anyone not an agent. */
export async function triageForAgent(
  deps: TriageConversationDependencies,
  callerId: string,
  targetUserId: string,
  choices: TriageChoices,
  fresh: boolean,
  /** The agent's time zone (IANA), for the times on the evidence card. */
  timeZone?: string,
): Promise<CardMessage> {
  await requireAgent(deps, callerId, "triage.user");
  const target: TriageChoices = { ...choices, targetUserId };
  try {
    const outcome = await deps.runTriage({ ...triageRequest(targetUserId, target, fresh), forAgent: true });
    return buildEvidenceCard(outcome, target, deps.authenticatorName, timeZone);
  } catch (error) {
    const problem = problemOf(error);
    if (!problem) throw error;
    return buildUnavailableCard(targetUserId, target, problem, "agent");
  }
}

/** The engine request for `userId` from the choices the card carries. */
function triageRequest(userId: string, choices: TriageChoices, fresh: boolean): RunTriageRequest {
  return {
    userId,
    platform: choices.platform,
    aaGuid: choices.aaGuid,
    answers: choices.answers,
    suggestedStart: choices.start,
    fresh,
  };
}

export async function requireAgent(
  deps: Pick<TriageConversationDependencies, "isAgent" | "logRefusal">,
  callerId: string,
  action: string,
): Promise<void> {
  if (await deps.isAgent(callerId)) return;
  deps.logRefusal(callerId, action);
  throw new NotAnAgentError(callerId);
}

/** A common question's answer; every answer ends where the person can act: the Security info page, as a button. */
export function commonAnswerCard(answer: CommonQuestionAnswer): CardMessage {
  return buildAnswerCard(joinedText(answer.answer.map(TriageCardText.diagnosis), "\n\n"), [
    { title: localizedText("triage.openSecurityInfo"), url: MY_SECURITY_INFO_URL },
  ]);
}

/** "Found it: …" line for text surfaces (the classified start of a pasted error). */
export function startFromErrorText(locale: string, start: QuestionId): string {
  return resolveText(localizedText("triage.startFromError", { question: TriageCardText.question(start) }), locale);
}
