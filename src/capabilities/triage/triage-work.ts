import type { CardMessage } from "../../cards/card-message.js";
import { resolveLocale } from "../../locales/translate.js";
import { NotAnAgentError } from "../tickets/ticket-errors.js";
import { checkOwnRegistration, type TriageConversationDependencies, triageForAgent } from "./conversation.js";
import type { TriageChoices } from "./conversation-choices.js";

/** Who asks, as Teams identifies them: the object id ("" when the channel sent none), name and time zone. */
export interface TriageCaller {
  id: string;
  name: string;
  /** The caller's IANA time zone, for the times on an agent's evidence card. */
  timeZone?: string;
}

/** The caller as the activity names them: object id (maybe ""), display name and IANA time zone. */
export function triageCaller(from: { id: string; name?: string | null }, timeZone?: string): TriageCaller {
  return { id: from.id, name: from.name ?? "", timeZone };
}

/** The caller's object id; without one nobody can be told apart, so agent-only work is refused. */
export function callerIdOf(caller: TriageCaller): string {
  if (!caller.id) throw new NotAnAgentError("unknown");
  return caller.id;
}

/**
 * The work of a triage turn, as the delivery runs it: the end user's own check (the result card carries the language
 * it is written in, so its buttons answer in it) or an agent's evidence about someone else.
 */
export const TriageWork = {
  ownCheck:
    (
      conversation: TriageConversationDependencies,
      caller: TriageCaller,
      choices: TriageChoices,
      options: { fresh: boolean; locale: string; symptomText?: string },
    ) =>
    async (): Promise<CardMessage> =>
      (
        await checkOwnRegistration(
          conversation,
          callerIdOf(caller),
          caller.name,
          { ...choices, lang: resolveLocale(options.locale) },
          options.fresh,
          options.symptomText ?? "",
        )
      ).card,
  agentCheck:
    (
      conversation: TriageConversationDependencies,
      caller: TriageCaller,
      targetUserId: string,
      choices: TriageChoices,
    ) =>
    (): Promise<CardMessage> =>
      triageForAgent(conversation, callerIdOf(caller), targetUserId, choices, true, caller.timeZone),
};
