import { parseArgs } from "node:util";
import { describeSupportedLocales, isSupportedLocale, type SupportedLocale } from "../locales/translate.js";
import { DEFAULT_PERSONA, DEFAULT_PORTS, type StackPorts } from "./stack-defaults.js";

export interface StartArgs {
  as: string;
  /** Everyone else who gets a Playground of their own (`--people agent-1,manager`: agent-1 is `as`, manager extra). */
  extraPeople: string[];
  ports: StackPorts;
  tenantPath?: string;
  dataDir?: string;
  /** The bot answers in this language whatever the Playground sends (it always sends en-US). */
  locale?: SupportedLocale;
  isHelp: boolean;
}

/** A command-line option has a value the launcher cannot use. */
export class StartArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartArgsError";
  }
}

export const START_USAGE = `Usage: npm start -- [options]

  --as <persona>            who the Playground page acts as (default ${DEFAULT_PERSONA}); see docs/personas.md
  --people <p1,p2,…>        one Playground per person on the one bot (the first is --as; the others on the next
                            ports after --playground-port), e.g. --people agent-1,manager,no-mfa-method
  --tenant <file>           tenant file for the Graph emulator (default tenants/contoso-practice.json)
  --data-dir <dir>          Azurite data, logs and the generated Playground config (default .data)
  --locale <en|cs>          the bot answers in this language (the Playground always sends en-US)
  --bot-port <port>         bot (default ${DEFAULT_PORTS.bot})
  --playground-port <port>  Microsoft 365 Agents Playground (default ${DEFAULT_PORTS.playground})
  --emulator-port <port>    Graph emulator (default ${DEFAULT_PORTS.emulator})
  --azurite-port <port>     Azurite blob port; queue and table use the next two (default ${DEFAULT_PORTS.azuriteBlob})
  -h, --help                this text`;

/** Parses `npm start -- …` arguments. */
export function parseStartArgs(argv: readonly string[]): StartArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new StartArgsError(`${(error as Error).message}\n\n${START_USAGE}`);
  }
  const { values } = parsed;
  const azuriteBlob = portOption(values["azurite-port"], "--azurite-port", DEFAULT_PORTS.azuriteBlob);
  const people = (values.people ?? "")
    .split(",")
    .map((person) => person.trim())
    .filter(Boolean);
  if (values.people !== undefined && people.length === 0) {
    throw new StartArgsError(`--people needs a comma-separated list of personas\n\n${START_USAGE}`);
  }
  if (values.as && people.length > 0 && people[0] !== values.as) {
    throw new StartArgsError(`--as and --people disagree: the first of --people is the main page (${people[0]})`);
  }
  return {
    as: values.as ?? people[0] ?? DEFAULT_PERSONA,
    extraPeople: [...new Set(people.slice(1))],
    tenantPath: values.tenant,
    dataDir: values["data-dir"],
    locale: localeOption(values.locale),
    isHelp: values.help ?? false,
    ports: {
      bot: portOption(values["bot-port"], "--bot-port", DEFAULT_PORTS.bot),
      playground: portOption(values["playground-port"], "--playground-port", DEFAULT_PORTS.playground),
      emulator: portOption(values["emulator-port"], "--emulator-port", DEFAULT_PORTS.emulator),
      azuriteBlob,
      azuriteQueue: azuriteBlob + 1,
      azuriteTable: azuriteBlob + 2,
    },
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      as: { type: "string" },
      people: { type: "string" },
      tenant: { type: "string" },
      "data-dir": { type: "string" },
      locale: { type: "string" },
      "bot-port": { type: "string" },
      "playground-port": { type: "string" },
      "emulator-port": { type: "string" },
      "azurite-port": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

function portOption(value: string | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65533) {
    throw new StartArgsError(`${option} must be a port number between 1 and 65533, got "${value}"`);
  }
  return port;
}

function localeOption(value: string | undefined): SupportedLocale | undefined {
  if (value === undefined) return undefined;
  if (!isSupportedLocale(value)) {
    throw new StartArgsError(`--locale must be ${describeSupportedLocales()}, got "${value}"`);
  }
  return value;
}
