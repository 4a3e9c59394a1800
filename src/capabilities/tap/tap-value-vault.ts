/**
 * A TAP value wrapped so that it cannot leak by accident: JSON, string conversion and util.inspect (pino, console,
 * error reports) all print "[redacted]". Only `reveal()` gives the text.
 */
export class TapSecret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toJSON(): string {
    return "[redacted]";
  }
  toString(): string {
    return "[redacted]";
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return "[redacted]";
  }
}

/**
 * Holds issued TAP values in this process's memory only, between issuance and the requester's single reveal.
 * Never storage, logs or the ledger: a restart loses them on purpose, and the agent is told to request again.
 */
export class TapValueVault {
  private readonly values = new Map<string, { secret: TapSecret; forgetAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Keeps the value until it is taken or `forgetAt` (the TAP's end) has passed. */
  put(requestId: string, secret: TapSecret, forgetAt: Date): void {
    this.values.set(requestId, { secret, forgetAt: forgetAt.getTime() });
  }

  /** Returns the value once; every later call (and any call after the TAP's end) returns null. */
  take(requestId: string): TapSecret | null {
    this.forgetExpired();
    const held = this.values.get(requestId);
    this.values.delete(requestId);
    return held?.secret ?? null;
  }

  has(requestId: string): boolean {
    this.forgetExpired();
    return this.values.has(requestId);
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [id, held] of this.values) if (held.forgetAt <= now) this.values.delete(id);
  }
}
