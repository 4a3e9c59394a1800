import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { inheritedEnvironment, PracticeTenant } from "../config.js";
import type { SupportedLocale } from "../locales/translate.js";
import { type ManagedProcess, startManagedProcess } from "./managed-process.js";
import { otherPlaygroundUsers, playgroundConfig, playgroundUserId, toPlaygroundYaml } from "./playground-config.js";
import { assertPortsFree, type PortClaim } from "./port-check.js";
import { findPersona, type PracticePersona, practicePersonas } from "./practice-personas.js";
import { DEFAULT_PERSONA, DEFAULT_PORTS, type StackPorts } from "./stack-defaults.js";
import { isAnswering, isListening, waitUntil } from "./wait-until-ready.js";

export { DEFAULT_PERSONA, DEFAULT_PORTS, type StackPorts };

export const REPO_ROOT = resolve(__dirname, "../..");
export const DEFAULT_TENANT_PATH = join(REPO_ROOT, "tenants/contoso-practice.json");
export interface StartStackOptions {
  /** Persona key the Playground page acts as. */
  as?: string;
  ports?: Partial<StackPorts>;
  tenantPath?: string;
  /** Where Azurite data, logs and the generated Playground config live. Default `<repo>/.data`. */
  dataDir?: string;
  /** The bot answers in this language (FORCE_LOCALE); the Playground itself always sends en-US. */
  locale?: SupportedLocale;
  /** `persistent` keeps Azurite data under dataDir across restarts (npm start); tests use `in-memory`. */
  azurite?: "persistent" | "in-memory";
  /** Copy the bot's output here (the launcher passes stdout). */
  echoBot?: NodeJS.WritableStream;
  /** Progress lines ("Azurite ready on …"). */
  onProgress?: (line: string) => void;
  readyTimeoutMs?: number;
  /** Called when a child process ends while the stack is meant to be running. */
  onUnexpectedExit?: (name: string, logFile: string) => void;
}

export interface RunningStack {
  /** Open this in a browser: the Playground acting as `persona`. */
  playgroundUrl: string;
  /** The bot's messaging endpoint. */
  botEndpoint: string;
  emulatorUrl: string;
  storageConnectionString: string;
  tenantId: string;
  /** The Playground's bot id and name (`recipient` of activities; what a mention names). */
  botId: string;
  botName: string;
  /** The Playground user id the page acts as. */
  currentUserId: string;
  /** The Playground's conversations: the personal chat, a group chat with all six people, the help-desk channel. */
  conversations: { personalChat: string; groupChat: string; channel: string };
  persona: PracticePersona;
  /** Every persona of the tenant file. */
  personas: PracticePersona[];
  /** The five other Playground users, as configured. */
  others: PracticePersona[];
  ports: StackPorts;
  logDir: string;
  /** Stops everything in reverse start order; safe to call more than once. */
  stop(): Promise<void>;
}

const AZURITE_ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const BOT_NAME = "Passkey Helpdesk";

/**
 * Starts Azurite, the Graph emulator (in process) with the practice tenant, the bot and the Microsoft 365 Agents
 * Playground acting as one persona. Checks every port first; on any failure stops what already started.
 */
export async function startStack(options: StartStackOptions = {}): Promise<RunningStack> {
  const ports: StackPorts = { ...DEFAULT_PORTS, ...options.ports };
  const dataDir = resolve(options.dataDir ?? join(REPO_ROOT, ".data"));
  const logDir = join(dataDir, "logs");
  const tenantPath = resolve(options.tenantPath ?? DEFAULT_TENANT_PATH);
  const timeoutMs = options.readyTimeoutMs ?? 30_000;
  const progress = options.onProgress ?? (() => {});

  await assertPortsFree(portClaims(ports));
  const personas = practicePersonas(tenantPath);
  const persona = findPersona(personas, options.as ?? DEFAULT_PERSONA);
  mkdirSync(logDir, { recursive: true });

  const stoppers: Array<{ name: string; stop: () => Promise<void> }> = [];
  let isStopped = false;
  const stop = async () => {
    if (isStopped) return;
    isStopped = true;
    for (const part of stoppers.reverse()) {
      await part.stop().catch(() => {});
    }
  };

  try {
    const azurite = startAzurite(ports, dataDir, logDir, options.azurite ?? "persistent");
    stoppers.push(azurite);
    // Loaded on demand: a port clash or a wrong persona is reported without loading the emulator at all.
    const { startEmulator } = await import("../emulator/start-emulator.js");
    const emulatorStarting = startEmulator({ port: ports.emulator, tenant: tenantPath, keepTimesCurrent: true });
    const azuriteReady = Promise.all([
      waitUntil(() => isListening(ports.azuriteBlob), { what: "Azurite (blob)", process: azurite, timeoutMs }),
      waitUntil(() => isListening(ports.azuriteTable), { what: "Azurite (table)", process: azurite, timeoutMs }),
    ]);
    const emulator = await emulatorStarting;
    stoppers.push({ name: "graph-emulator", stop: () => emulator.close() });
    progress(`Graph emulator ready on ${emulator.baseUrl} (tenant ${emulator.tenantId})`);
    await azuriteReady;
    progress(`Azurite ready on blob ${ports.azuriteBlob}, table ${ports.azuriteTable}`);

    const storageConnectionString =
      `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${AZURITE_ACCOUNT_KEY};` +
      `BlobEndpoint=http://127.0.0.1:${ports.azuriteBlob}/devstoreaccount1;` +
      `QueueEndpoint=http://127.0.0.1:${ports.azuriteQueue}/devstoreaccount1;` +
      `TableEndpoint=http://127.0.0.1:${ports.azuriteTable}/devstoreaccount1;`;

    const bot = startManagedProcess({
      name: "bot",
      command: join(REPO_ROOT, "node_modules/.bin/tsx"),
      args: [join(REPO_ROOT, "src/index.ts")],
      cwd: REPO_ROOT,
      env: botEnvironment({
        emulatorUrl: emulator.baseUrl,
        tenantId: emulator.tenantId,
        storageConnectionString,
        port: ports.bot,
        locale: options.locale,
      }),
      logFile: join(logDir, "bot.log"),
      echo: options.echoBot,
    });
    stoppers.push(bot);

    const botId = `28:${PracticeTenant.teamsAppId}`;
    const config = playgroundConfig({
      tenantId: emulator.tenantId,
      currentUser: persona,
      personas,
      bot: { id: botId, name: BOT_NAME },
      launchId: Date.now().toString(36),
      team: {
        id: "19:helpdesk-team@thread.tacv2",
        name: "Help desk",
        aadGroupId: PracticeTenant.agentsGroupId,
        channel: { id: PracticeTenant.helpdeskChannelId, name: "Help desk" },
      },
    });
    const configPath = join(dataDir, "playground", `m365agentsplayground.${persona.key}.yml`);
    mkdirSync(join(dataDir, "playground"), { recursive: true });
    writeFileSync(
      configPath,
      `# Generated by src/dev/start-stack.ts from ${tenantPath}; acting as ${persona.key}.\n${toPlaygroundYaml(config.yaml)}`,
    );
    const playground = startPlayground(ports, configPath, logDir);
    stoppers.push(playground);

    await Promise.all([
      waitUntil(() => isListening(ports.bot), { what: "The bot", process: bot, timeoutMs }),
      waitUntil(() => isAnswering(`http://127.0.0.1:${ports.playground}/`), {
        what: "The Agents Playground",
        process: playground,
        timeoutMs,
      }),
    ]);
    progress(`Bot ready on http://127.0.0.1:${ports.bot}/api/messages`);
    // A bad config makes the Playground print "Listening" and then exit: give it a moment to do so.
    await new Promise((done) => setTimeout(done, 300));
    if (!playground.isRunning()) {
      throw new Error(
        `The Agents Playground exited after starting (often a config the schema rejects); see ${join(logDir, "playground-internal.log")} and ${configPath}`,
      );
    }

    for (const child of [azurite, bot, playground]) {
      void child.exited.then(() => {
        if (!isStopped) options.onUnexpectedExit?.(child.name, child.logFile);
      });
    }

    return {
      playgroundUrl: `http://localhost:${ports.playground}`,
      botEndpoint: `http://127.0.0.1:${ports.bot}/api/messages`,
      emulatorUrl: emulator.baseUrl,
      storageConnectionString,
      tenantId: emulator.tenantId,
      botId,
      botName: BOT_NAME,
      currentUserId: playgroundUserId(persona),
      conversations: config.conversations,
      persona,
      personas,
      others: otherPlaygroundUsers(persona, personas),
      ports,
      logDir,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The bot's environment: the variables src/config.ts reads, pointed at this stack. */
export function botEnvironment(stack: {
  emulatorUrl: string;
  tenantId: string;
  storageConnectionString: string;
  port: number;
  locale?: SupportedLocale;
}): NodeJS.ProcessEnv {
  const { GRAPH_MODE: _mode, ...inherited } = inheritedEnvironment();
  return {
    ...inherited,
    GRAPH_MODE: "emulator",
    GRAPH_EMULATOR_URL: stack.emulatorUrl,
    TENANT_ID: stack.tenantId,
    GRAPH_CLIENT_ID: PracticeTenant.graphClientId,
    GRAPH_CLIENT_SECRET: PracticeTenant.graphClientSecret,
    HELPDESK_AGENTS_GROUP_ID: PracticeTenant.agentsGroupId,
    HELPDESK_ADMINS_GROUP_ID: PracticeTenant.adminsGroupId,
    TAP_APPROVERS_GROUP_ID: PracticeTenant.tapApproversGroupId,
    HELPDESK_CHANNEL_ID: PracticeTenant.helpdeskChannelId,
    TEAMS_APP_ID: PracticeTenant.teamsAppId,
    STORAGE_CONNECTION_STRING: stack.storageConnectionString,
    // The stack's emulator and Azurite only: a live credential or storage account in the shell means nothing here.
    GRAPH_CLIENT_CERTIFICATE_PATH: "",
    GRAPH_MANAGED_IDENTITY: "",
    STORAGE_ACCOUNT_URL: "",
    PORT: String(stack.port),
    // Bot Framework credentials would make the bot demand tokens the Playground does not send.
    BOT_ID: "",
    BOT_PASSWORD: "",
    BOT_MANAGED_IDENTITY: "",
    FORCE_LOCALE: stack.locale ?? "",
  };
}

function portClaims(ports: StackPorts): PortClaim[] {
  return [
    { port: ports.bot, purpose: "bot", option: "--bot-port" },
    { port: ports.playground, purpose: "Agents Playground", option: "--playground-port" },
    { port: ports.emulator, purpose: "Graph emulator", option: "--emulator-port" },
    { port: ports.azuriteBlob, purpose: "Azurite blob", option: "--azurite-port" },
    { port: ports.azuriteQueue, purpose: "Azurite queue", option: "--azurite-port" },
    { port: ports.azuriteTable, purpose: "Azurite table", option: "--azurite-port" },
  ];
}

function startAzurite(
  ports: StackPorts,
  dataDir: string,
  logDir: string,
  persistence: "persistent" | "in-memory",
): ManagedProcess {
  const location = join(dataDir, "azurite");
  if (persistence === "persistent") mkdirSync(location, { recursive: true });
  return startManagedProcess({
    name: "azurite",
    command: join(REPO_ROOT, "node_modules/.bin/azurite"),
    args: [
      "--silent",
      "--disableTelemetry",
      "--skipApiVersionCheck",
      ...(persistence === "persistent" ? ["--location", location] : ["--inMemoryPersistence"]),
      ...["--blobHost", "127.0.0.1", "--blobPort", String(ports.azuriteBlob)],
      ...["--queueHost", "127.0.0.1", "--queuePort", String(ports.azuriteQueue)],
      ...["--tableHost", "127.0.0.1", "--tablePort", String(ports.azuriteTable)],
    ],
    cwd: dataDir,
    logFile: join(logDir, "azurite.log"),
  });
}

function startPlayground(ports: StackPorts, configPath: string, logDir: string): ManagedProcess {
  return startManagedProcess({
    name: "playground",
    command: join(REPO_ROOT, "node_modules/.bin/agentsplayground"),
    args: ["-e", `http://127.0.0.1:${ports.bot}/api/messages`, "-c", "msteams", "--dt", "-p", String(ports.playground)],
    cwd: REPO_ROOT,
    env: {
      ...inheritedEnvironment(),
      TEAMSAPPTESTER_BROWSER: "none",
      APPLICATION_INSIGHTS_NO_STATSBEAT: "1",
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
      M365_AGENTS_PLAYGROUND_LOGFILE: join(logDir, "playground-internal.log"),
    },
    logFile: join(logDir, "playground.log"),
  });
}
