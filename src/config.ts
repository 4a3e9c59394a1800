import { z } from "zod";
import type { GraphConnectionOptions } from "./graph/create-graph-gateway.js";
import { describeSupportedLocales, isSupportedLocale, type SupportedLocale } from "./locales/translate.js";
import { isGuid } from "./text/is-guid.js";

/** The practice tenant's fixed identifiers: emulator mode works with no configuration at all. */
export const PracticeTenant = {
  tenantId: "7d3e5a2c-1b4f-4c8e-9a6d-2f0b8c4e6a10",
  graphClientId: "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
  graphClientSecret: "contoso-practice-bot-secret",
  agentsGroupId: "0a11e3b0-0000-4000-8000-000000000001",
  adminsGroupId: "0a11e3b0-0000-4000-8000-000000000002",
  tapApproversGroupId: "0a11e3b0-0000-4000-8000-000000000003",
  teamsAppId: "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b",
  helpdeskChannelId: "19:helpdesk@thread.tacv2",
  graphEmulatorUrl: "http://127.0.0.1:5055",
  storageConnectionString: "UseDevelopmentStorage=true",
} as const;

/** Where Graph is and how the bot proves itself: exactly what createGraphGateway takes. */
export type GraphConfig = GraphConnectionOptions;

/** How the bot proves itself to the Bot Framework; `anonymous` is local-only (Agents Playground, tests). */
export type BotAuthConfig =
  | { kind: "anonymous" }
  | { kind: "password"; appId: string; password: string; tenantId: string }
  | { kind: "managedIdentity"; appId: string; tenantId: string };

export type StorageConfig =
  | { kind: "connectionString"; connectionString: string }
  /** Entra ID (DefaultAzureCredential) against the account's blob and table endpoints. */
  | { kind: "accountUrl"; blobUrl: string; tableUrl: string };

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

export interface AppConfig {
  tenantId: string;
  graph: GraphConfig;
  bot: BotAuthConfig;
  groups: { agentsGroupId: string; adminsGroupId: string; tapApproversGroupId: string };
  helpdeskChannelId: string;
  /** The language of the cards the bot posts in the help-desk channel (the requester's own text stays as written). */
  helpdeskChannelLocale: SupportedLocale;
  teamsAppId: string;
  installAppForProactive: boolean;
  storage: StorageConfig;
  port: number;
  logLevel: LogLevel;
  tapRequestExpiryMinutes: number;
  /**
   * Whether the authenticator catalog also asks the FIDO Metadata Service (MDS3) about AAGUIDs the built-in list does
   * not know. Needs internet access to mds3.fidoalliance.org, so it is off by default in emulator mode, on in live mode.
   */
  fidoMetadataService: boolean;
  /**
   * Answer everyone in this language whatever their Teams client says (FORCE_LOCALE). For local demos: the Agents
   * Playground always sends en-US, so `npm start -- --locale cs` is the only way to see the Czech cards locally.
   */
  forcedLocale?: SupportedLocale;
  /**
   * How many times Graph's throttling limits the bot plans for: 1 (the real buckets) except against an emulator
   * started with a larger `--throttle-scale`, for load tests that are not about the buckets.
   */
  graphThrottleScale: number;
}

/** A configuration value is missing or malformed; the message is one line naming the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable} ${problem}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

const guid = z.string().refine(isGuid, "must be a GUID");
const httpUrl = z
  .string()
  .url("must be a URL")
  .refine((value) => /^https?:\/\//.test(value), "must be an http(s) URL");
/** A language the bot speaks: a folder of src/locales (en, cs, …). */
const locale = z.string().refine(isSupportedLocale, () => ({ message: `must be ${describeSupportedLocales()}` }));
const nonEmpty = z.string().min(1, "must not be empty");
/** The bot posts escalations to this conversation id: a Teams channel id (or one of its threads, `;messageid=…`). */
const teamsChannelId = z
  .string()
  .regex(/^19:[^\s;]+@thread\.[a-z0-9]+(;messageid=\d+)?$/i, "must be a Teams channel id (19:…@thread.tacv2)");
const bool = z
  .string()
  .regex(/^(true|false|1|0|yes|no)$/i, "must be true or false")
  .transform((value) => /^(true|1|yes)$/i.test(value));
const onOff = z
  .string()
  .regex(/^(on|off|true|false|1|0|yes|no)$/i, "must be on or off")
  .transform((value) => /^(on|true|1|yes)$/i.test(value));
/**
 * Plain decimal only: Number() would take "1e3" or "0x50" and the bot would listen somewhere nobody expects. 0 = any
 * free port (tests).
 */
const port = z
  .string()
  .regex(/^(0|[1-9]\d{0,4})$/, "must be a plain decimal port number (1–65535)")
  .transform(Number)
  .refine((value) => value <= 65535, "must be a plain decimal port number (1–65535)");
const minutes = z.coerce
  .number({ invalid_type_error: "must be a number" })
  .int("must be a whole number of minutes")
  .min(1, "must be at least 1")
  .max(24 * 60, "must be at most 1440");
const throttleScale = z.coerce
  .number({ invalid_type_error: "must be a number" })
  .min(1, "must be at least 1 (Graph's real limits)")
  .max(100_000, "must be at most 100000");
const logLevel = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
  errorMap: () => ({ message: "must be one of fatal, error, warn, info, debug, trace, silent" }),
});

/** Reads and validates one variable; empty strings count as unset so `FOO=` in an env file means "default". */
function read<T>(env: Env, name: string, schema: z.ZodType<T, z.ZodTypeDef, unknown>, fallback?: string): T {
  const raw = env[name]?.trim() || fallback;
  if (raw === undefined) throw new ConfigError(name, "is required");
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(name, parsed.error.issues[0]?.message ?? "is malformed");
  return parsed.data;
}

function isSet(env: Env, name: string): boolean {
  return Boolean(env[name]?.trim());
}

/**
 * Two credentials (or storage accounts) for the same thing: using whichever is checked first would silently ignore the
 * other, and the operator would debug the one they think is in use.
 */
function refuseTogether(alternatives: Array<[variable: string, isChosen: boolean]>): void {
  const chosen = alternatives.filter(([, isChosen]) => isChosen).map(([variable]) => variable);
  if (chosen.length > 1)
    throw new ConfigError(
      chosen[0] as string,
      `must not be set together with ${chosen.slice(1).join(" and ")}: choose one, they configure the same thing`,
    );
}

/**
 * Builds the whole configuration from an environment (pure: tests pass their own variables). Emulator mode defaults
 * every tenant-specific value to the practice tenant; live mode requires them.
 */
export function loadConfig(env: Env): AppConfig {
  const mode = read(
    env,
    "GRAPH_MODE",
    z.enum(["emulator", "live"], { errorMap: () => ({ message: "must be emulator or live" }) }),
    "emulator",
  );
  const isEmulator = mode === "emulator";
  const practice = (value: string) => (isEmulator ? value : undefined);

  const tenantId = read(env, "TENANT_ID", guid, practice(PracticeTenant.tenantId));
  const clientId = read(env, "GRAPH_CLIENT_ID", guid, practice(PracticeTenant.graphClientId));
  // Read whenever set, even when another credential or storage option wins: a malformed value must never pass unseen.
  const graphManagedIdentity = isSet(env, "GRAPH_MANAGED_IDENTITY") && read(env, "GRAPH_MANAGED_IDENTITY", bool);
  const storageAccountUrl = isSet(env, "STORAGE_ACCOUNT_URL")
    ? read(
        env,
        "STORAGE_ACCOUNT_URL",
        httpUrl.refine(
          (value) => /\.blob\./.test(value),
          "must be the account's blob endpoint (https://<account>.blob.…)",
        ),
      ).replace(/\/+$/, "")
    : undefined;

  // Only values from the environment count: emulator mode's practice secret is a default, not a choice.
  refuseTogether([
    ["GRAPH_CLIENT_SECRET", isSet(env, "GRAPH_CLIENT_SECRET")],
    ["GRAPH_CLIENT_CERTIFICATE_PATH", isSet(env, "GRAPH_CLIENT_CERTIFICATE_PATH")],
    ["GRAPH_MANAGED_IDENTITY=true", graphManagedIdentity],
  ]);

  let graph: GraphConfig;
  if (isEmulator) {
    graph = {
      mode,
      baseUrl: read(env, "GRAPH_EMULATOR_URL", httpUrl, PracticeTenant.graphEmulatorUrl).replace(/\/+$/, ""),
      tenantId,
      clientId,
      clientSecret: read(env, "GRAPH_CLIENT_SECRET", nonEmpty, PracticeTenant.graphClientSecret),
    };
  } else if (isSet(env, "GRAPH_CLIENT_SECRET")) {
    graph = {
      mode,
      tenantId,
      clientId,
      credential: { kind: "secret", clientSecret: read(env, "GRAPH_CLIENT_SECRET", nonEmpty) },
    };
  } else if (isSet(env, "GRAPH_CLIENT_CERTIFICATE_PATH")) {
    graph = {
      mode,
      tenantId,
      clientId,
      credential: { kind: "certificate", certificatePath: read(env, "GRAPH_CLIENT_CERTIFICATE_PATH", nonEmpty) },
    };
  } else if (graphManagedIdentity) {
    graph = { mode, tenantId, clientId, credential: { kind: "managedIdentity" } };
  } else {
    throw new ConfigError(
      "GRAPH_CLIENT_SECRET",
      "is required in live mode (or set GRAPH_CLIENT_CERTIFICATE_PATH, or GRAPH_MANAGED_IDENTITY=true)",
    );
  }

  let bot: BotAuthConfig = { kind: "anonymous" };
  const wantsManagedIdentity = isSet(env, "BOT_MANAGED_IDENTITY") && read(env, "BOT_MANAGED_IDENTITY", bool);
  refuseTogether([
    ["BOT_PASSWORD", isSet(env, "BOT_PASSWORD")],
    ["BOT_MANAGED_IDENTITY=true", wantsManagedIdentity],
  ]);
  if (isSet(env, "BOT_ID") || isSet(env, "BOT_PASSWORD") || wantsManagedIdentity) {
    const appId = read(env, "BOT_ID", guid);
    if (wantsManagedIdentity) bot = { kind: "managedIdentity", appId, tenantId };
    else if (isSet(env, "BOT_PASSWORD"))
      bot = { kind: "password", appId, password: read(env, "BOT_PASSWORD", nonEmpty), tenantId };
    else throw new ConfigError("BOT_PASSWORD", "is required when BOT_ID is set (or set BOT_MANAGED_IDENTITY=true)");
  }
  // Anonymous means the Bot Framework token of every request goes unchecked: anyone could post activities as anyone.
  if (!isEmulator && bot.kind === "anonymous")
    throw new ConfigError(
      "BOT_ID",
      "is required in live mode (with BOT_PASSWORD or BOT_MANAGED_IDENTITY=true); anonymous mode is for local emulator use only",
    );

  refuseTogether([
    ["STORAGE_CONNECTION_STRING", isSet(env, "STORAGE_CONNECTION_STRING")],
    ["STORAGE_ACCOUNT_URL", storageAccountUrl !== undefined],
  ]);
  let storage: StorageConfig;
  if (isSet(env, "STORAGE_CONNECTION_STRING")) {
    storage = {
      kind: "connectionString",
      connectionString: read(
        env,
        "STORAGE_CONNECTION_STRING",
        nonEmpty.refine(
          (value) => value === "UseDevelopmentStorage=true" || /AccountName=|BlobEndpoint=/.test(value),
          "must be an Azure Storage connection string",
        ),
      ),
    };
  } else if (storageAccountUrl) {
    storage = {
      kind: "accountUrl",
      blobUrl: storageAccountUrl,
      tableUrl: storageAccountUrl.replace(".blob.", ".table."),
    };
  } else if (isEmulator) {
    storage = { kind: "connectionString", connectionString: PracticeTenant.storageConnectionString };
  } else {
    throw new ConfigError("STORAGE_CONNECTION_STRING", "is required in live mode (or set STORAGE_ACCOUNT_URL)");
  }

  return {
    tenantId,
    graph,
    bot,
    groups: {
      agentsGroupId: read(env, "HELPDESK_AGENTS_GROUP_ID", guid, practice(PracticeTenant.agentsGroupId)),
      adminsGroupId: read(env, "HELPDESK_ADMINS_GROUP_ID", guid, practice(PracticeTenant.adminsGroupId)),
      tapApproversGroupId: read(env, "TAP_APPROVERS_GROUP_ID", guid, practice(PracticeTenant.tapApproversGroupId)),
    },
    helpdeskChannelId: read(env, "HELPDESK_CHANNEL_ID", teamsChannelId, practice(PracticeTenant.helpdeskChannelId)),
    helpdeskChannelLocale: read(env, "HELPDESK_CHANNEL_LOCALE", locale, "en"),
    teamsAppId: read(env, "TEAMS_APP_ID", guid, practice(PracticeTenant.teamsAppId)),
    installAppForProactive: read(env, "INSTALL_APP_FOR_PROACTIVE", bool, "false"),
    storage,
    port: read(env, "PORT", port, "3978"),
    logLevel: read(env, "LOG_LEVEL", logLevel, "info"),
    tapRequestExpiryMinutes: read(env, "TAP_REQUEST_EXPIRY_MINUTES", minutes, "30"),
    fidoMetadataService: read(env, "FIDO_METADATA_SERVICE", onOff, isEmulator ? "off" : "on"),
    forcedLocale: isSet(env, "FORCE_LOCALE") ? read(env, "FORCE_LOCALE", locale) : undefined,
    graphThrottleScale: isEmulator ? read(env, "GRAPH_EMULATOR_THROTTLE_SCALE", throttleScale, "1") : 1,
  };
}

/** This process's configuration; the composition roots (the bot, the audit CLI) call it so no other file reads process.env. */
export function loadConfigFromEnvironment(): AppConfig {
  return loadConfig(process.env);
}

/**
 * A copy of the process environment, for the dev launcher to hand on to the processes it starts (PATH, HOME, proxy
 * settings…). It lives here so that this file stays the one place that reads process.env.
 */
export function inheritedEnvironment(): NodeJS.ProcessEnv {
  return { ...process.env };
}
