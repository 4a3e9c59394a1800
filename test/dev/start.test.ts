import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { isPortTaken } from "../../src/dev/port-check.js";
import { freeStackPorts } from "../support/stack-ports.js";

const REPO = resolve(__dirname, "../..");
const TSX = join(REPO, "node_modules/.bin/tsx");
const hasPracticeTenant = existsSync(join(REPO, "tenants/contoso-practice.json"));

function portArgs(ports: Awaited<ReturnType<typeof freeStackPorts>>): string[] {
  // Azurite takes three consecutive ports from --azurite-port; free ones are found just before starting.
  return [
    ...["--bot-port", String(ports.bot), "--playground-port", String(ports.playground)],
    ...["--emulator-port", String(ports.emulator), "--azurite-port", String(ports.azuriteBlob)],
  ];
}

/** Three consecutive free ports for Azurite (blob, queue, table). */
async function freeAzuriteBase(): Promise<number> {
  for (let base = 20000 + Math.floor(Math.random() * 20000); ; base += 3) {
    const taken = await Promise.all([base, base + 1, base + 2].map(isPortTaken));
    if (!taken.some(Boolean)) return base;
  }
}

/** Every live descendant of a process (walking parent ids, since each child has its own process group). */
function descendants(root: number): number[] {
  const rows = spawnSync("ps", ["-eo", "pid=,ppid=,stat="], { encoding: "utf8" })
    .stdout.split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((cells) => cells.length === 3 && !cells[2]?.startsWith("Z"))
    .map(([pid, ppid]) => ({ pid: Number(pid), ppid: Number(ppid) }));
  const found: number[] = [];
  const queue = [root];
  while (queue.length) {
    const parent = queue.shift();
    for (const row of rows) {
      if (row.ppid === parent && !found.includes(row.pid)) {
        found.push(row.pid);
        queue.push(row.pid);
      }
    }
  }
  return found;
}

function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

function collectOutput(child: ChildProcess): () => string {
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  return () => output;
}

describe("npm start (src/dev/start.ts)", () => {
  it("names the taken port and the option to change it, and starts nothing", async () => {
    const ports = await freeStackPorts();
    ports.azuriteBlob = await freeAzuriteBase();
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(ports.bot, "127.0.0.1", done));
    try {
      const dataDir = mkdtempSync(join(tmpdir(), "start-port-"));
      const run = spawnSync(TSX, ["src/dev/start.ts", ...portArgs(ports), "--data-dir", dataDir], {
        cwd: REPO,
        encoding: "utf8",
        timeout: 30_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`Port ${ports.bot} (bot) is already in use`);
      expect(run.stderr).toContain("--bot-port");
      expect(existsSync(join(dataDir, "logs"))).toBe(false);
    } finally {
      await new Promise((done) => blocker.close(done));
    }
  });

  it.skipIf(!hasPracticeTenant)(
    "brings the stack up and leaves no process and no port behind after Ctrl-C",
    async () => {
      const ports = await freeStackPorts();
      ports.azuriteBlob = await freeAzuriteBase();
      const dataDir = mkdtempSync(join(tmpdir(), "start-sigint-"));
      // detached: its own process group, so we can send SIGINT to the group as a terminal's Ctrl-C does.
      const launcher = spawn(TSX, ["src/dev/start.ts", ...portArgs(ports), "--data-dir", dataDir, "--as", "agent-1"], {
        cwd: REPO,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      const output = collectOutput(launcher);
      const exited = new Promise<number | null>((done) => launcher.once("exit", (code) => done(code)));
      try {
        await expect.poll(output, { timeout: 60_000, interval: 200 }).toContain("Passkey Helpdesk is running");
        expect(output()).toContain(`http://localhost:${ports.playground}`);
        expect(output()).toMatch(/▶\s+agent-1\s+agent/);
        const started = descendants(launcher.pid as number);
        expect(started.length).toBeGreaterThanOrEqual(4);

        process.kill(-(launcher.pid as number), "SIGINT");
        expect(await exited).toBe(0);
        expect(output()).toContain("Stopped.");
        await expect.poll(() => started.filter(isAlive), { timeout: 10_000 }).toEqual([]);
        for (const port of [ports.bot, ports.playground, ports.emulator, ports.azuriteBlob, ports.azuriteTable]) {
          expect(await isPortTaken(port), `port ${port} is free again`).toBe(false);
        }
      } finally {
        if (launcher.exitCode === null) process.kill(-(launcher.pid as number), "SIGKILL");
      }
    },
    90_000,
  );
});
