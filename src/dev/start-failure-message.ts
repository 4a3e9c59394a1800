import { NotEnoughPersonasError } from "./playground-config.js";
import { PortClashError, PortInUseError } from "./port-check.js";
import { PersonaWithoutUserError, UnknownPersonaError } from "./practice-personas.js";
import { StartArgsError } from "./start-args.js";

/** Mistakes the message alone explains (an option, a port, a persona): a stack trace would only bury it. */
const USER_ERRORS = [
  StartArgsError,
  PortInUseError,
  PortClashError,
  UnknownPersonaError,
  PersonaWithoutUserError,
  NotEnoughPersonasError,
];

/** What `npm start` prints on stderr when start-up fails: one line for a user's mistake, the stack for anything else. */
export function startFailureMessage(error: unknown): string {
  const line = `npm start failed: ${error instanceof Error ? error.message : String(error)}`;
  const isUserError = USER_ERRORS.some((type) => error instanceof type);
  if (!isUserError && error instanceof Error && error.stack) return `${line}\n${error.stack}`;
  return line;
}
