import { encodeAnswers, type TriageChoices } from "./conversation-choices.js";

/** The choices a triage card carries as strings; they go back to the server on every button. */
export interface TriageChoiceData {
  platform: string;
  aaGuid: string;
  answers: string;
  start: string;
  targetUserId: string;
  lang: string;
}

/** Card data carries only choices; these go back to the server on every button. */
export function triageChoiceData(choices: TriageChoices): TriageChoiceData {
  return {
    platform: choices.platform,
    aaGuid: choices.aaGuid ?? "",
    answers: encodeAnswers(choices.answers),
    start: choices.start ?? "",
    targetUserId: choices.targetUserId ?? "",
    lang: choices.lang ?? "",
  };
}
