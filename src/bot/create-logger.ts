import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger } from "pino";

/** Keys whose values must never reach a log line: TAP values, tokens, secrets, credentials. */
export const RedactedKeys = [
  "temporaryAccessPass",
  "access_token",
  "accessToken",
  "refresh_token",
  "id_token",
  "authorization",
  "Authorization",
  "secret",
  "secrets",
  "client_secret",
  "clientSecret",
  "password",
  "connectionString",
] as const;

/** pino's redaction matches fixed paths (one level per `*`), so each key is listed at every depth we log. */
export const RedactedPaths = RedactedKeys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]);

/** Structured JSON logs, one line per event; callers add `correlationId` through `logger.child`. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "passkey-helpdesk" },
      redact: { paths: RedactedPaths, censor: "[Redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? pino.destination({ sync: false }),
  );
}
