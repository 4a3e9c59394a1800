/** Parameters of a refusal's sentence (`{ticketId}`, `{name}`…), filled in when the person's text is rendered. */
export type RefusalParams = Record<string, string | number>;

/**
 * A business rule said no (TAP, tickets, roles): not a fault of the bot. Every refusal names its `rule` (a stable key
 * for logs and the audit ledger) and the locale key of the sentence the person sees. Capabilities throw these without
 * depending on src/bot; src/bot/refusal-text.ts is the one place that turns them into what the person is shown.
 */
export class RefusalError extends Error {
  /** The marker src/bot checks (an `instanceof` would break across duplicated module instances in tests). */
  readonly isRefusal = true;

  constructor(
    readonly rule: string,
    message: string,
    readonly messageKey: string,
    readonly messageParams: RefusalParams = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A business rule's refusal (any RefusalError, by its marker): not a fault of the bot. */
export function isRefusal(error: unknown): error is RefusalError {
  const candidate = error as Partial<RefusalError> | null;
  return candidate?.isRefusal === true && typeof candidate.messageKey === "string";
}
