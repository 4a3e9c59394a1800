import { readFileSync } from "node:fs";

/**
 * Calls `onGone` once any process that launched this one (`npm start` → sh → tsx → us) has ended. npm does not pass a
 * SIGTERM through `sh -c`, so `kill <npm pid>` would otherwise leave the launcher and its children running. Watches
 * the ancestors in our own process group (those a terminal's Ctrl-C would also reach). Linux only (/proc); elsewhere
 * it watches nothing.
 */
export function watchLaunchers(onGone: () => void, intervalMs = 500): () => void {
  const ownGroup = statOf(process.pid)?.pgid;
  const launchers: number[] = [];
  for (let pid = process.ppid; pid > 1 && launchers.length < 8; ) {
    const stat = statOf(pid);
    if (!stat || stat.pgid !== ownGroup) break;
    launchers.push(pid);
    pid = stat.ppid;
  }
  if (launchers.length === 0) return () => {};
  const timer = setInterval(() => {
    if (launchers.some((pid) => !isRunning(pid))) {
      clearInterval(timer);
      onGone();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

function statOf(pid: number): { ppid: number; pgid: number; state: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may itself contain spaces.
    const [state = "", ppid = "0", pgid = "0"] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state, ppid: Number(ppid), pgid: Number(pgid) };
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  const stat = statOf(pid);
  return stat !== undefined && stat.state !== "Z";
}
