import { TurnState } from "@microsoft/teams-ai";

/** Conversation-scoped state kept in Blob storage; capabilities add their own keys under a namespace of theirs. */
export interface BotConversationState {
  /** Set once the welcome card went out, so Teams' paired install events do not welcome twice. */
  welcomed?: boolean;
  [key: string]: unknown;
}

export type BotUserState = Record<string, unknown>;

export class BotTurnState extends TurnState<BotConversationState, BotUserState> {}
