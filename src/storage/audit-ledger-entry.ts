import { createHash } from "node:crypto";
import type { AuditEvent, AuditValue } from "../capabilities/tap/tap-ports.js";

/** The hash the first entry chains to. */
export const GENESIS_HASH = "0".repeat(64);

/** One ledger entry: the event plus its place in the chain. `hash` covers every other field, `prevHash` included. */
export interface AuditLedgerEntry extends AuditEvent {
  seq: number;
  at: string;
  prevHash: string;
  hash: string;
}

/** SHA-256 over a canonical (sorted-key) JSON of everything but `hash`, so any edit of any field changes it. */
export function auditLedgerEntryHash(entry: Omit<AuditLedgerEntry, "hash">): string {
  const canonical = canonicalJson({
    seq: entry.seq,
    at: entry.at,
    action: entry.action,
    requestId: entry.requestId,
    actorId: entry.actorId,
    targetId: entry.targetId,
    targetUpn: entry.targetUpn,
    details: entry.details,
    prevHash: entry.prevHash,
  });
  return createHash("sha256").update(canonical, "utf8").digest("hex");
}

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`)
    .join(",")}}`;
}

export type { AuditValue };
