import type { DoctorCheck } from "./doctor-check.js";

/** The doctor's answer as a plain-text table, one row per check and its fix beneath, for a terminal. */
export function formatDoctorTable(checks: readonly DoctorCheck[]): string {
  const width = Math.max(...checks.map((check) => check.check.length), "check".length);
  const statusWidth = Math.max(...checks.map((check) => check.status.length), "status".length);
  const lines = [`${"check".padEnd(width)}  ${"status".padEnd(statusWidth)}  detail`];
  lines.push(`${"-".repeat(width)}  ${"-".repeat(statusWidth)}  ${"-".repeat(40)}`);
  for (const { check, status, detail, fix } of checks) {
    lines.push(`${check.padEnd(width)}  ${status.padEnd(statusWidth)}  ${detail}`);
    if (fix) lines.push(`${" ".repeat(width + statusWidth + 4)}fix: ${fix}`);
  }
  return lines.join("\n");
}
