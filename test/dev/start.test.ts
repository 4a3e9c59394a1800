import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { isPortTaken, PortInUseError } from "../../src/dev/port-check.js";
import { UnknownPersonaError } from "../../src/dev/practice-personas.js";
import { startFailureMessage } from "../../src/dev/start-failure-message.js";
import { startStack } from "../../src/dev/start-stack.js";
import { freeStackPorts } from "../support/stack-ports.js";

const REPO = resolve(__dirname, "../..");
const TSX = join(REPO, "node_modules/.bin/tsx");

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
  // The messages, what the launcher prints for them and "starts nothing" are checked in-process; one spawned run below
  // proves that the launcher prints exactly that and exits 1.
  it("names the taken port and the option to change it, and starts nothing", async () => {
    const ports = await freeStackPorts();
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(ports.bot, "127.0.0.1", done));
    try {
      const dataDir = mkdtempSync(join(tmpdir(), "start-port-"));
      const failure = await startStack({ ports, dataDir, azurite: "in-memory" }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(PortInUseError);
      const printed = startFailureMessage(failure);
      expect(printed).toContain(`Port ${ports.bot} (bot) is already in use`);
      expect(printed).toContain("--bot-port");
      expect(printed, "the message alone, no stack trace").toBe(`npm start failed: ${(failure as Error).message}`);
      expect(existsSync(join(dataDir, "logs"))).toBe(false);
    } finally {
      await new Promise((done) => blocker.close(done));
    }
  });

  it("lists the persona keys for an unknown persona, without a stack trace, and starts nothing", async () => {
    const ports = await freeStackPorts();
    const dataDir = mkdtempSync(join(tmpdir(), "start-persona-"));
    const failure = await startStack({ ports, dataDir, as: "nobody", azurite: "in-memory" }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(UnknownPersonaError);
    const printed = startFailureMessage(failure);
    expect(printed).toContain('Persona "nobody" is not in the practice tenant');
    expect(printed).toContain("agent-1");
    expect(printed, "the message alone, no stack trace").toBe(`npm start failed: ${(failure as Error).message}`);
    expect(existsSync(join(dataDir, "logs"))).toBe(false);
  });

  it("prints such a mistake as that one line and exits 1 when run as a process", async () => {
    const ports = await freeStackPorts();
    ports.azuriteBlob = await freeAzuriteBase();
    const dataDir = mkdtempSync(join(tmpdir(), "start-persona-"));
    const run = spawnSync(TSX, ["src/dev/start.ts", ...portArgs(ports), "--data-dir", dataDir, "--as", "nobody"], {
      cwd: REPO,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('npm start failed: Persona "nobody" is not in the practice tenant');
    expect(run.stderr).toContain("agent-1");
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stderr.trim().split("\n"), "one line").toHaveLength(1);
    expect(existsSync(join(dataDir, "logs"))).toBe(false);
  }, 90_000);

  async function startLauncher(command: string[], as: string) {
    const ports = await freeStackPorts();
    ports.azuriteBlob = await freeAzuriteBase();
    const dataDir = mkdtempSync(join(tmpdir(), "start-stop-"));
    // detached: its own process group, as `npm start` in a terminal is the foreground group.
    const launcher = spawn(
      command[0] as string,
      [...command.slice(1), ...portArgs(ports), "--data-dir", dataDir, "--as", as],
      {
        cwd: REPO,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const output = collectOutput(launcher);
    const exited = new Promise<number | null>((done) => launcher.once("exit", (code) => done(code)));
    await expect.poll(output, { timeout: 60_000, interval: 200 }).toMatch(/Passkey Helpdesk is running|failed/);
    return { launcher, output, exited, ports };
  }

  async function expectNothingLeft(started: number[], ports: Awaited<ReturnType<typeof freeStackPorts>>) {
    await expect.poll(() => started.filter(isAlive), { timeout: 15_000 }).toEqual([]);
    for (const port of [ports.bot, ports.playground, ports.emulator, ports.azuriteBlob, ports.azuriteTable]) {
      expect(await isPortTaken(port), `port ${port} is free again`).toBe(false);
    }
  }

  it("brings the stack up as the chosen persona and leaves no process and no port behind after Ctrl-C", async () => {
    const { launcher, output, exited, ports } = await startLauncher([TSX, "src/dev/start.ts"], "agent-1");
    try {
      expect(output()).toContain(`http://localhost:${ports.playground}`);
      expect(output()).toMatch(/▶\s+agent-1\s+agent/);
      const started = descendants(launcher.pid as number);
      expect(started.length).toBeGreaterThanOrEqual(4);

      process.kill(-(launcher.pid as number), "SIGINT");
      expect(await exited).toBe(0);
      expect(output()).toContain("Stopped.");
      await expectNothingLeft(started, ports);
    } finally {
      if (launcher.exitCode === null) process.kill(-(launcher.pid as number), "SIGKILL");
    }
  }, 90_000);

  it("stops everything when only the npm process is sent SIGTERM", async () => {
    const { launcher, output, ports } = await startLauncher(["npm", "start", "--silent", "--"], "manager");
    const started = descendants(launcher.pid as number);
    try {
      expect(output()).toMatch(/▶\s+manager\s+manager/);
      process.kill(launcher.pid as number, "SIGTERM");
      await expectNothingLeft(started, ports);
    } finally {
      for (const pid of started.filter(isAlive)) process.kill(pid, "SIGKILL");
    }
  }, 90_000);
});
