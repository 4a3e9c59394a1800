import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { startManagedProcess } from "../../src/dev/managed-process.js";

const workDir = mkdtempSync(join(tmpdir(), "managed-process-"));

/** Running, not a zombie: in a container PID 1 may never reap orphans, so a killed orphan can linger as `Z`. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Pids of the processes in a process group (Linux `ps`). */
function groupMembers(pgid: number): number[] {
  const out = spawnSync("ps", ["-eo", "pid=,pgid="], { encoding: "utf8" }).stdout;
  return out
    .split("\n")
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([, group]) => group === pgid)
    .map(([pid]) => pid as number);
}

describe("startManagedProcess", () => {
  it("stops the process together with whatever it spawned, and logs its output", async () => {
    const child = startManagedProcess({
      name: "sleeper",
      command: "sh",
      args: ["-c", "echo started; sleep 60 & sleep 60; wait"],
      logFile: join(workDir, "sleeper.log"),
    });
    await expect.poll(() => groupMembers(child.pid).length).toBeGreaterThanOrEqual(3);
    const members = groupMembers(child.pid);
    await child.stop();
    await expect.poll(() => members.filter(isAlive)).toEqual([]);
    expect(child.isRunning()).toBe(false);
    await expect.poll(() => readFileSync(child.logFile, "utf8")).toContain("started");
  });

  it("kills a child that ignores SIGTERM once the grace period is over", async () => {
    const child = startManagedProcess({
      name: "stubborn",
      command: "sh",
      args: ["-c", "trap '' TERM; echo ready; while true; do sleep 0.1; done"],
      logFile: join(workDir, "stubborn.log"),
    });
    await expect.poll(() => readFileSync(child.logFile, "utf8")).toContain("ready");
    await child.stop(300);
    expect(await child.exited).toMatchObject({ signal: "SIGKILL" });
  });

  it("leaves no child behind when the process that started it exits without stopping it", async () => {
    const script = join(workDir, "parent.ts");
    const source = `
      import { startManagedProcess } from ${JSON.stringify(resolve(__dirname, "../../src/dev/managed-process.ts"))};
      const child = startManagedProcess({ name: "orphan", command: "sleep", args: ["60"], logFile: ${JSON.stringify(join(workDir, "orphan.log"))} });
      console.log(child.pid);
      setTimeout(() => { throw new Error("crash on purpose"); }, 200);
    `;
    writeFileSync(script, source);
    const run = spawnSync(resolve(__dirname, "../../node_modules/.bin/tsx"), [script], { encoding: "utf8" });
    const pid = Number(run.stdout.trim().split("\n")[0]);
    expect(pid).toBeGreaterThan(0);
    expect(run.status).not.toBe(0);
    await expect.poll(() => isAlive(pid)).toBe(false);
  });
});
