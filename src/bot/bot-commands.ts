/**
 * Text commands the bot answers, as listed in the Teams manifest's commandLists (a test proves the manifest and this
 * list agree, and that the real Application answers each one with a handler rather than the fallback help).
 * Descriptions are the manifest's English text.
 */
export const BotCommands = {
  help: { title: "help", description: "What Passkey Helpdesk can do for you" },
  tap: { title: "tap", description: "Help-desk agents: request a Temporary Access Pass for a user (tap <UPN>)" },
  audit: { title: "audit", description: "Admins: the Temporary Access Pass audit trail of a user (audit <UPN>)" },
  approvals: { title: "approvals", description: "Approvers: Temporary Access Pass requests waiting for your decision" },
  doctor: { title: "doctor", description: "Admins: check the bot's setup (Graph permissions, storage, registration)" },
  inventory: { title: "inventory", description: "Admins: the passkey inventory and the patterns to watch" },
  rings: { title: "rings", description: "Admins: rollout ring readiness (the four questions for every member)" },
  whatif: { title: "whatif", description: "Admins: who breaks if a passkey profile changes (whatif --profile …)" },
} as const;

export type BotCommandName = keyof typeof BotCommands;
