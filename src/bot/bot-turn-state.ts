import { TurnState } from "@microsoft/teams-ai/lib/TurnState";

/**
 * Teams AI's state of one turn. It is not stored (ADR 0010): what must outlive a turn lives in a table of its own
 * (requests, tickets, conversation references), so no turn waits on reading or writing a state blob.
 */
export interface BotConversationState {
  [key: string]: unknown;
}

export type BotUserState = Record<string, unknown>;

export class BotTurnState extends TurnState<BotConversationState, BotUserState> {}
