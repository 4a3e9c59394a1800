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
