import type { InventoryProgress } from "../capabilities/inventory/inventory-progress.js";

/**
 * One line on stderr: people done / total, the phase, throttle waits, ETA. On a terminal it redraws in place; piped
 * (CI, a log file) it prints a line at most every few seconds.
 */
export function createProgressBar(stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now) {
  const startedAt = now();
  let lastPrinted = 0;
  const isTty = stream.isTTY === true;
  return {
    update(progress: InventoryProgress, waitSeconds = 0): void {
      const elapsed = (now() - startedAt) / 1000;
      const total = progress.usersTotal;
      const ratio = total ? Math.min(1, progress.usersDone / total) : null;
      const width = 24;
      const bar = ratio === null ? "" : `[${"#".repeat(Math.round(ratio * width)).padEnd(width, "-")}] `;
      const eta = ratio && ratio > 0 && ratio < 1 ? ` · ETA ${formatSeconds((elapsed / ratio) * (1 - ratio))}` : "";
      const line = `${bar}${progress.usersDone}${total ? `/${total}` : ""} people · ${progress.phase} · ${progress.reportsRequests} reports requests · ${progress.throttled} throttled${waitSeconds > 0 ? ` · waiting ${waitSeconds.toFixed(1)} s for the reports bucket` : ""}${eta}`;
      if (isTty) stream.write(`\r${line.padEnd(110)}`);
      else if (now() - lastPrinted > 5000 || progress.phase === "done") {
        stream.write(`${line}\n`);
        lastPrinted = now();
      }
    },
    done(): void {
      if (isTty) stream.write("\n");
    },
  };
}

function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
