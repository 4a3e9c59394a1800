import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { dirname } from "node:path";
import { inheritedEnvironment } from "../config.js";

export interface ManagedProcessOptions {
  /** Short name used in messages and as the log file's name. */
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Everything the process writes goes here. */
  logFile: string;
  /** Also copy its output to this stream, each line prefixed with `[name]`. */
  echo?: NodeJS.WritableStream;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves with the exit code (or signal) when the process ends, for whatever reason. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isRunning(): boolean;
  /** SIGTERM to the whole process group, SIGKILL after `graceMs`; resolves once the leader has exited. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<ChildProcess>();
let isExitHookInstalled = false;

/**
 * Starts a child in its own process group (detached), so that stopping it also stops whatever it spawned (tsx runs
 * node under itself) and a terminal's Ctrl-C reaches only the launcher, which then stops children in order.
 * Whatever is still alive when this process exits — by any path — is killed.
 */
export function startManagedProcess(options: ManagedProcessOptions): ManagedProcess {
  installExitHook();
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: "a" });
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ?? inheritedEnvironment(),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid === undefined) throw new Error(`${options.name} could not be started (${options.command})`);
  const pid = child.pid;
  live.add(child);
  pipeOutput(child, log, options.name, options.echo);

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => {
      live.delete(child);
      // Sweep the group: a leader that exits may leave a grandchild behind.
      signalGroup(pid, "SIGKILL");
      log.end();
      resolve({ code, signal });
    });
    child.once("error", () => {
      live.delete(child);
      log.end();
      resolve({ code: null, signal: null });
    });
  });

  return {
    name: options.name,
    pid,
    logFile: options.logFile,
    exited,
    isRunning: () => child.exitCode === null && child.signalCode === null,
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalGroup(pid, "SIGTERM");
      const timer = setTimeout(() => signalGroup(pid, "SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function pipeOutput(child: ChildProcess, log: WriteStream, name: string, echo?: NodeJS.WritableStream): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    let pending = "";
    stream.on("data", (chunk: Buffer) => {
      log.write(chunk);
      if (!echo) return;
      pending += chunk.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) echo.write(`[${name}] ${line}\n`);
    });
  }
}

function installExitHook(): void {
  if (isExitHookInstalled) return;
  isExitHookInstalled = true;
  process.once("exit", () => {
    for (const child of live) if (child.pid !== undefined) signalGroup(child.pid, "SIGKILL");
  });
}
