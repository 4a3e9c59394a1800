import type { AuditLedgerEntry } from "./audit-ledger-entry.js";

const COLUMNS = ["seq", "at", "action", "requestId", "actorId", "targetId", "targetUpn", "details", "prevHash", "hash"];

/** RFC 4180 CSV of the ledger, one entry a line, `details` as JSON; hashes included so the export can be re-verified. */
export function auditLedgerCsv(entries: AuditLedgerEntry[]): string {
  const lines = [COLUMNS.join(",")];
  for (const entry of entries) {
    const row = [
      entry.seq,
      entry.at,
      entry.action,
      entry.requestId,
      entry.actorId,
      entry.targetId,
      entry.targetUpn,
      JSON.stringify(entry.details),
      entry.prevHash,
      entry.hash,
    ];
    lines.push(row.map(csvField).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}

function csvField(value: unknown): string {
  const text = value === null || value === undefined ? "" : String(value);
  // A leading =, +, - or @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
