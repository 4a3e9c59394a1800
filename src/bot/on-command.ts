import type { Application } from "@microsoft/teams-ai";
import type { TurnContext } from "botbuilder";
import { type BotCommandName, BotCommands } from "./bot-commands.js";
import type { BotTurnState } from "./bot-turn-state.js";

const registeredCommands = new WeakMap<object, Set<string>>();

/**
 * Registers the handler for a text command of the manifest's commandLists ("help", or "help" followed by words).
 * Matching ignores case and the @mention Teams prepends in channels.
 */
export function onCommand(
  app: Application<BotTurnState>,
  command: BotCommandName,
  handler: (context: TurnContext, state: BotTurnState, argumentText: string) => Promise<void>,
): void {
  const title = BotCommands[command].title;
  const pattern = new RegExp(`^\\s*/?${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:\\s+(.*))?\\s*$`, "is");
  const commands = registeredCommands.get(app) ?? new Set<string>();
  commands.add(title);
  registeredCommands.set(app, commands);
  app.message(pattern, async (context, state) => {
    const argumentText = pattern.exec(context.activity.text ?? "")?.[1]?.trim() ?? "";
    await handler(context, state, argumentText);
  });
}

/** Command titles registered on this Application (the manifest test compares them with commandLists). */
export function registeredCommandTitles(app: Application<BotTurnState>): string[] {
  return [...(registeredCommands.get(app) ?? [])].sort();
}
