import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.js";
import { miniTenantPath } from "./emulator-harness.js";

const repoRoot = resolve(__dirname, "../..");
const tsx = resolve(repoRoot, "node_modules/.bin/tsx");

function runCli(args: string[]) {
  const child = spawn(tsx, ["src/emulator/cli.ts", ...args], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  const firstLine = new Promise<string>((done) => {
    const poll = setInterval(() => {
      if (stdout.includes("\n") || child.exitCode !== null) {
        clearInterval(poll);
        done(stdout.split("\n")[0] ?? "");
      }
    }, 20);
  });
  return { child, exited, firstLine, output: () => ({ stdout, stderr }) };
}

describe("emulator CLI", () => {
  it("prints the listening line, serves the tenant, and exits 0 on SIGTERM", async () => {
    const port = await freePort();
    const cli = runCli(["--port", String(port), "--tenant", miniTenantPath]);
    expect(await cli.firstLine).toBe(`Graph emulator listening on http://127.0.0.1:${port}`);
    const health = await fetch(`http://127.0.0.1:${port}/_emulator/health`);
    expect(await health.json()).toMatchObject({ status: "ok", tenantId: "7d3e5a2c-1b4f-4c8e-9a6d-2f0b8c4e6a10" });
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
  });

  it("refuses an invalid tenant file with a message naming the bad path, exit code 1", async () => {
    const cli = runCli(["--port", "0", "--tenant", resolve(repoRoot, "package.json")]);
    expect(await cli.exited).toBe(1);
    expect(cli.output().stderr).toContain("formatVersion");
  });
});
