import { TurnState } from "@microsoft/teams-ai/lib/TurnState";

/** Conversation-scoped state kept in Blob storage; capabilities add their own keys under a namespace of theirs. */
export interface BotConversationState {
  [key: string]: unknown;
}

export type BotUserState = Record<string, unknown>;

export class BotTurnState extends TurnState<BotConversationState, BotUserState> {}
