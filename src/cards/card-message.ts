/** Every template under cards/ (`cards/<name>.card.json`); a test keeps this list equal to the folder. */
export const CARD_NAMES = [
  "doctor",
  "error",
  "help-admin",
  "help-agent",
  "help-user",
  "inventory-file-answered",
  "inventory-needed",
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
 * The data each card binds, by card name. A capability declares the cards it builds by merging into this interface
 * (`declare module "…/cards/card-message.js" { interface CardDataByName { "triage-result": TriageResultData } }`) next
 * to its builders, so src/cards depends on no capability. Every card name has an entry (test/cards/card-message.test.ts
 * fails to compile otherwise), and a card without one cannot be built: its data type is `never`. Declare data as
 * `type` aliases, not interfaces: a type alias is assignable to the open record of an untyped CardMessage.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in each capability's card data file
export interface CardDataByName {}

/** The card names no capability has declared data for: empty while every card is declared. */
export type UndeclaredCardName = Exclude<CardName, keyof CardDataByName>;

/** The data type of card `Name`, as declared in CardDataByName (`never` for an undeclared card: nothing compiles). */
export type CardDataOf<Name extends CardName> = Name extends keyof CardDataByName ? CardDataByName[Name] : never;

/**
 * The one card message of every capability: which template, and the data it binds, typed per card. Text in `data` is
 * plain (names, typed text) or LocalizedText (src/cards/localized-text.ts), resolved when src/bot renders the card.
 * `CardMessage` alone is any card, its data an open record (what src/bot renders and tests read).
 */
export type CardMessage<Name extends CardName = CardName> = CardName extends Name
  ? { name: CardName; data: Record<string, unknown> }
  : { [N in Name]: { name: N; data: CardDataOf<N> } }[Name];
