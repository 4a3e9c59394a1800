/**
 * Text commands the bot answers, as listed in the Teams manifest's commandLists (a test proves the manifest, this list
 * and the registered handlers agree). Descriptions are the manifest's English text.
 */
export const BotCommands = {
  help: { title: "help", description: "What Passkey Helpdesk can do for you" },
} as const;

export type BotCommandName = keyof typeof BotCommands;
