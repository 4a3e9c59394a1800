import { ClientSecretCredential, ManagedIdentityCredential } from "@azure/identity";
import { type AppConfig, ConfigError, loadConfigFromEnvironment } from "../config.js";
import type { DoctorCheck } from "../doctor/doctor-check.js";
import { isHealthy } from "../doctor/doctor-check.js";
import { formatDoctorTable } from "../doctor/format-doctor-table.js";
import { probeStorage } from "../doctor/probe-storage.js";
import { runDoctor } from "../doctor/run-doctor.js";
import { createGraphGateway } from "../graph/create-graph-gateway.js";
import { createStorageAccount } from "../storage/storage-account.js";

export interface DoctorCliOutput {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = `Usage: npm run doctor
Checks the configuration (the same variables as the bot), the Graph credentials, each Graph permission, storage
(tables, blobs, queues) and the bot registration, and prints ok / missing / wrong / unreachable with the fix.
Exit code 0 when everything is ok, 1 otherwise.`;

/** The Bot Framework accepts the bot's credentials when they get a token for its audience. */
function botTokenRequester(bot: AppConfig["bot"]): (() => Promise<void>) | undefined {
  const scope = "https://api.botframework.com/.default";
  if (bot.kind === "password") {
    const credential = new ClientSecretCredential(bot.tenantId, bot.appId, bot.password);
    return async () => void (await credential.getToken(scope));
  }
  if (bot.kind === "managedIdentity") {
    const credential = new ManagedIdentityCredential({ clientId: bot.appId });
    return async () => void (await credential.getToken(scope));
  }
  return undefined;
}

/** `npm run doctor`; returns the exit code. Tests pass their own configuration. */
export async function runDoctorCli(
  args: string[],
  io: DoctorCliOutput,
  loadAppConfig: () => AppConfig = loadConfigFromEnvironment,
): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    io.out(USAGE);
    return 0;
  }
  let config: AppConfig;
  try {
    config = loadAppConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const row: DoctorCheck = {
      check: "configuration",
      status: error.message.includes("is required") ? "missing" : "wrong",
      detail: error.message,
      fix: `set ${error.variable} (README "Configuration"); nothing else can be checked until it is`,
    };
    io.out(formatDoctorTable([row]));
    return 1;
  }
  const graph = createGraphGateway({ ...config.graph, requestTimeoutMs: 5000 });
  const account = createStorageAccount(config.storage);
  const checks = await runDoctor({
    config,
    graph,
    checkStorage: () => probeStorage(account),
    requestBotToken: botTokenRequester(config.bot),
  });
  io.out(formatDoctorTable(checks));
  const healthy = isHealthy(checks);
  io.out(healthy ? "\nAll checks passed." : "\nSome checks failed: see the fix under each one.");
  return healthy ? 0 : 1;
}

if (require.main === module) {
  runDoctorCli(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
