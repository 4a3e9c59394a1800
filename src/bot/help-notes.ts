import type { Application } from "@microsoft/teams-ai";
import type { TurnContext } from "botbuilder";
import type { BotTurnState } from "./bot-turn-state.js";
import type { Logger } from "./create-logger.js";
import { turnScope } from "./turn-scope.js";

/** A line a capability adds to the welcome and help cards for this caller (e.g. "2 approvals wait for you"). */
export type HelpNote = (context: TurnContext) => Promise<string | null>;

const notesByApp = new WeakMap<object, HelpNote[]>();

/** Capabilities register notes in their register function; the welcome and help cards show them. */
export function addHelpNote(app: Application<BotTurnState>, note: HelpNote): void {
  notesByApp.set(app, [...(notesByApp.get(app) ?? []), note]);
}

/**
 * Every note for this caller, joined; a note that fails is logged and left out (the welcome must never fail because of
 * one).
 */
export async function helpNotesFor(
  app: Application<BotTurnState>,
  context: TurnContext,
  logger: Logger,
): Promise<string> {
  const leftOut = (error: unknown) => {
    turnScope(context, logger).logger.warn({ event: "help.noteFailed", err: error }, "help note left out");
    return null;
  };
  const notes = await Promise.all((notesByApp.get(app) ?? []).map((note) => note(context).catch(leftOut)));
  return notes.filter((note): note is string => Boolean(note)).join("\n\n");
}
