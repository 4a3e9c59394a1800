import { writeFile } from "node:fs/promises";
import { type AppConfig, loadConfigFromEnvironment } from "../config.js";
import { probeStorage } from "../doctor/probe-storage.js";
import { AuditLedger } from "../storage/audit-ledger.js";
import { auditLedgerCsv } from "../storage/audit-ledger-csv.js";
import { createStorageAccount } from "../storage/storage-account.js";

const USAGE = `Usage:
  npm run audit -- verify                 check the hash chain (edited, reordered or deleted entries)
  npm run audit -- export --csv FILE      write every entry as CSV
Options: --table NAME (default AuditLedger). Storage comes from STORAGE_CONNECTION_STRING / STORAGE_ACCOUNT_URL.`;

export interface AuditCliOutput {
  out(line: string): void;
  err(line: string): void;
}

/**
 * `npm run audit -- verify|export --csv FILE`; returns the process exit code (0 intact/written, 1 tampered, 2 usage).
 * The configuration is loaded only once the command is known to be valid (tests pass their own).
 */
export async function runAuditCli(
  args: string[],
  io: AuditCliOutput,
  loadAppConfig: () => Pick<AppConfig, "storage"> = loadConfigFromEnvironment,
): Promise<number> {
  const [command, ...rest] = args;
  const option = (name: string) => {
    const at = rest.indexOf(name);
    return at >= 0 ? rest[at + 1] : undefined;
  };
  if (command !== "verify" && command !== "export") {
    io.err(USAGE);
    return 2;
  }
  const config = loadAppConfig();
  const account = createStorageAccount(config.storage);
  // One line naming the endpoint and how to start it, instead of the SDK retrying and then a bare ECONNREFUSED.
  const [tables] = await probeStorage(account, ["tables"]);
  if (tables && tables.status !== "ok") {
    io.err(`${tables.detail}${tables.fix ? ` — ${tables.fix}` : ""}`);
    return 2;
  }
  const ledger = new AuditLedger(account.tableClient(option("--table") ?? "AuditLedger"));

  if (command === "verify") {
    const result = await ledger.verify();
    if (result.isIntact) {
      io.out(`Audit ledger intact: ${result.entries} entries, head ${result.headHash}`);
      return 0;
    }
    io.err(`Audit ledger TAMPERED: ${result.problems.length} problem(s) in ${result.entries} entries`);
    for (const problem of result.problems) io.err(`  entry ${problem.seq}: ${problem.kind} — ${problem.detail}`);
    return 1;
  }

  const file = option("--csv");
  if (!file) {
    io.err(USAGE);
    return 2;
  }
  const entries = await ledger.readAll();
  await writeFile(file, auditLedgerCsv(entries), "utf8");
  io.out(`Exported ${entries.length} audit entries to ${file}`);
  return 0;
}

if (require.main === module) {
  // A command-line composition root, like src/index.ts: the configuration comes from loadConfigFromEnvironment.
  runAuditCli(process.argv.slice(2), {
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
