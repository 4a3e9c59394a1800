import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { TableClient } from "@azure/data-tables";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAuditCli } from "../../src/cli/audit.js";
import { loadConfig } from "../../src/config.js";
import { AuditLedger } from "../../src/storage/audit-ledger.js";
import { type RunningAzurite, startAzurite } from "../support/azurite.js";
import { freePort } from "../support/free-port.js";

let azurite: RunningAzurite;
let table: string;
let env: Record<string, string>;

beforeAll(async () => {
  azurite = await startAzurite();
  env = { STORAGE_CONNECTION_STRING: azurite.connectionString };
  table = `Cli${randomUUID().replace(/-/g, "").slice(0, 10)}`;
  const ledger = AuditLedger.fromConnectionString(azurite.connectionString, table);
  for (const action of ["tap.requested", "tap.confirmed", "tap.approved"]) {
    await ledger.append({ action, requestId: "r1", actorId: "a", targetId: "t", targetUpn: "t@x", details: {} });
  }
});
afterAll(async () => azurite?.stop());

const config = () => loadConfig(env);

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe("npm run audit", () => {
  it("verify reports an intact ledger with its head hash and exits 0", async () => {
    const { out, io } = capture();
    expect(await runAuditCli(["verify", "--table", table], io, config)).toBe(0);
    expect(out.join("\n")).toMatch(/intact: 3 entries, head [0-9a-f]{64}/);
  });

  it("export --csv writes a header and one line per entry", async () => {
    const dir = await mkdtemp(join(tmpdir(), "audit-"));
    const file = join(dir, "ledger.csv");
    const { out, io } = capture();
    expect(await runAuditCli(["export", "--csv", file, "--table", table], io, config)).toBe(0);
    const lines = (await readFile(file, "utf8")).trimEnd().split("\r\n");
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain("tap.requested");
    expect(out[0]).toContain("Exported 3");
  });

  it("says in one line that storage does not answer and how to start it, never a bare ECONNREFUSED", async () => {
    const port = await freePort();
    const { err, io } = capture();
    const unreachable = () =>
      loadConfig({
        STORAGE_CONNECTION_STRING: azurite.connectionString.replace(`:${azurite.tablePort}/`, `:${port}/`),
      });
    expect(await runAuditCli(["verify", "--table", table], io, unreachable)).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(
      new RegExp(
        `^Azure Storage \\(tables\\) at http://127\\.0\\.0\\.1:${port}/devstoreaccount1 does not answer: .*ECONNREFUSED.* — start Azurite`,
      ),
    );
  });

  it("prints usage and exits 2 for an unknown command or a missing file", async () => {
    expect(await runAuditCli(["frobnicate"], capture().io, config)).toBe(2);
    expect(await runAuditCli(["export"], capture().io, config)).toBe(2);
  });

  it("verify names the edited entry and exits 1 when run as the npm script's process", async () => {
    const client = TableClient.fromConnectionString(azurite.connectionString, table, { allowInsecureConnection: true });
    await client.updateEntity({ partitionKey: "ledger", rowKey: "000000000002", actorId: "someone-else" }, "Merge");
    const tsx = resolve(__dirname, "../../node_modules/.bin/tsx");
    const run = promisify(execFile)(tsx, ["src/cli/audit.ts", "verify", "--table", table], {
      cwd: resolve(__dirname, "../.."),
      env: { ...process.env, ...env },
    });
    const failure = (await run.catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain("entry 2: edited");
  });
});
