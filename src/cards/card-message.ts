/** Every template under cards/ (`cards/<name>.card.json`); a test keeps this list equal to the folder. */
export const CARD_NAMES = [
  "doctor",
  "error",
  "help-admin",
  "help-agent",
  "help-user",
  "inventory-summary",
  "please-wait",
  "refusal",
  "rings-summary",
  "tap-approval",
  "tap-audit",
  "tap-confirm",
  "tap-issued",
  "tap-notice",
  "tap-request-form",
  "tap-revealed",
  "tap-status",
  "ticket-helpdesk",
  "triage-answer",
  "triage-checking",
  "triage-device",
  "triage-evidence",
  "triage-key-model",
  "triage-platform",
  "triage-result",
  "triage-user-picker",
  "welcome",
  "whatif-result",
] as const;

/** The name of a card template: a typed key of the cards/ set, so a misspelt card fails to compile. */
export type CardName = (typeof CARD_NAMES)[number];

/**
 * The one card message of every capability: which template, and the data it binds. Text in `data` is plain (names,
 * typed text) or LocalizedText (src/cards/localized-text.ts), resolved when src/bot renders the card.
 */
export interface CardMessage<Name extends CardName = CardName, Data extends object = Record<string, unknown>> {
  name: Name;
  data: Data;
}
