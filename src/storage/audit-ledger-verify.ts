import { type AuditLedgerEntry, auditLedgerEntryHash, GENESIS_HASH } from "./audit-ledger-entry.js";

export interface AuditLedgerHead {
  seq: number;
  hash: string;
}

export interface AuditLedgerProblem {
  seq: number;
  kind: "edited" | "reordered" | "missing" | "headMismatch";
  detail: string;
}

export interface AuditLedgerVerification {
  isIntact: boolean;
  entries: number;
  headHash: string;
  problems: AuditLedgerProblem[];
}

/**
 * Walks the chain in storage order: each entry's hash must match its content (else edited), its seq must follow
 * the previous one (else reordered or missing), its prevHash must be the previous entry's hash, and the head
 * pointer must name the last entry (else entries were cut off the end).
 */
export function verifyAuditLedger(entries: AuditLedgerEntry[], head: AuditLedgerHead | null): AuditLedgerVerification {
  const problems: AuditLedgerProblem[] = [];
  let previousHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const entry of entries) {
    const { hash, ...rest } = entry;
    if (auditLedgerEntryHash(rest) !== hash) {
      problems.push({ seq: entry.seq, kind: "edited", detail: "the entry's content does not match its hash" });
    }
    if (entry.seq !== expectedSeq) {
      problems.push({
        seq: entry.seq,
        kind: entry.seq > expectedSeq ? "missing" : "reordered",
        detail: `expected entry ${expectedSeq} here, found ${entry.seq}`,
      });
    } else if (entry.prevHash !== previousHash) {
      problems.push({ seq: entry.seq, kind: "reordered", detail: "prevHash does not match the previous entry's hash" });
    }
    previousHash = hash;
    expectedSeq = entry.seq + 1;
  }
  const last = entries.at(-1);
  const lastSeq = last?.seq ?? 0;
  const lastHash = last?.hash ?? GENESIS_HASH;
  if (head && (head.seq !== lastSeq || head.hash !== lastHash)) {
    problems.push({
      seq: head.seq,
      kind: head.seq > lastSeq ? "missing" : "headMismatch",
      detail: `the head names entry ${head.seq}, the chain ends at ${lastSeq}`,
    });
  }
  return { isIntact: problems.length === 0, entries: entries.length, headHash: head?.hash ?? lastHash, problems };
}
