import { setTimeout as sleep } from "node:timers/promises";
import { RestError, TableClient } from "@azure/data-tables";
import type { AuditEvent, AuditLog } from "../capabilities/tap/tap-ports.js";
import { type AuditLedgerEntry, auditLedgerEntryHash, GENESIS_HASH } from "./audit-ledger-entry.js";
import { type AuditLedgerHead, type AuditLedgerVerification, verifyAuditLedger } from "./audit-ledger-verify.js";
import { ConcurrentUpdateError } from "./concurrent-update-error.js";
import { ensureOnce } from "./ensure-once.js";
import { createEntityIfAbsent } from "./update-entity-if-match.js";

const PARTITION = "ledger";
/** Sorts after every zero-padded sequence number. */
const HEAD_ROW = "~head";
/** An entity-group transaction holds at most 100 operations: 99 entries and the head. */
const MAX_BATCH = 99;
/** Longest pause between attempts when another instance keeps moving the head. */
const MAX_BACKOFF_MS = 250;

type EntryEntity = {
  partitionKey: string;
  rowKey: string;
  seq: number;
  at: string;
  action: string;
  requestId: string;
  actorId: string;
  targetId: string;
  targetUpn: string;
  details: string;
  prevHash: string;
  hash: string;
};

type HeadEntity = { partitionKey: string; rowKey: string; seq: number; hash: string };

export class AuditLedgerCorruptError extends Error {
  constructor(detail: string) {
    super(`The audit ledger must be an unbroken chain of entries: ${detail}`);
    this.name = new.target.name;
  }
}

interface PendingAppend {
  event: AuditEvent;
  resolve: (entry: AuditLedgerEntry) => void;
  reject: (error: unknown) => void;
}

/**
 * Append-only, hash-chained audit ledger in one Table partition. Appends are group-committed: everything waiting in
 * this instance goes in as entries n+1…n+k (k ≤ 99) and the head moves from n to n+k in one entity-group transaction
 * conditional on the head's ETag. Two instances can never fork the chain (the loser re-reads the head and retries the
 * same batch), a flood costs one Table round trip per 99 entries instead of one contended race per entry, and no entry
 * is ever dropped: a moving head means "retry", never "give up". An append resolves once its entry is stored.
 */
export class AuditLedger implements AuditLog {
  private readonly waiting: PendingAppend[] = [];
  private writing: Promise<void> | null = null;

  private readonly ensureTable = ensureOnce(async () => {
    await this.client.createTable();
    try {
      await createEntityIfAbsent<HeadEntity>(this.client, {
        partitionKey: PARTITION,
        rowKey: HEAD_ROW,
        seq: 0,
        hash: GENESIS_HASH,
      });
    } catch (error) {
      // Another instance seeded the head first.
      if (!(error instanceof ConcurrentUpdateError)) throw error;
    }
  });

  constructor(
    private readonly client: TableClient,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  static fromConnectionString(connectionString: string, tableName = "AuditLedger", clock?: () => Date): AuditLedger {
    return new AuditLedger(
      TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection: true }),
      clock,
    );
  }

  async append(event: AuditEvent): Promise<void> {
    await this.appendEntry(event);
  }

  appendEntry(event: AuditEvent): Promise<AuditLedgerEntry> {
    return new Promise<AuditLedgerEntry>((resolve, reject) => {
      this.waiting.push({ event, resolve, reject });
      if (!this.writing) {
        this.writing = this.drain().finally(() => {
          this.writing = null;
        });
      }
    });
  }

  /** The single writer of this instance: commits what waits, batch after batch, in arrival order. */
  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_BATCH);
      try {
        await this.ensureTable();
        const entries = await this.commit(batch.map((pending) => pending.event));
        for (const [index, pending] of batch.entries()) pending.resolve(entries[index] as AuditLedgerEntry);
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
  }

  /** Appends `events` as consecutive entries, retrying against a moving head until it wins. */
  private async commit(events: AuditEvent[]): Promise<AuditLedgerEntry[]> {
    for (let attempt = 0; ; attempt++) {
      const head = await this.client.getEntity<HeadEntity>(PARTITION, HEAD_ROW);
      const at = this.clock().toISOString();
      const entries: AuditLedgerEntry[] = [];
      let prevHash = head.hash;
      for (const [index, event] of events.entries()) {
        const unhashed = {
          seq: head.seq + index + 1,
          at,
          action: event.action,
          requestId: event.requestId || null,
          actorId: event.actorId || null,
          targetId: event.targetId || null,
          targetUpn: event.targetUpn || null,
          details: event.details,
          prevHash,
        };
        const entry: AuditLedgerEntry = { ...unhashed, hash: auditLedgerEntryHash(unhashed) };
        entries.push(entry);
        prevHash = entry.hash;
      }
      const last = entries.at(-1) as AuditLedgerEntry;
      try {
        await this.client.submitTransaction([
          ...entries.map((entry): ["create", EntryEntity] => ["create", toEntity(entry)]),
          [
            "update",
            { partitionKey: PARTITION, rowKey: HEAD_ROW, seq: last.seq, hash: last.hash },
            "Replace",
            { etag: head.etag },
          ],
        ]);
        return entries;
      } catch (error) {
        if (!(error instanceof RestError) || (error.statusCode !== 412 && error.statusCode !== 409)) throw error;
        // Another instance moved the head: wait a little (randomised, growing, capped) and build the batch again.
        await sleep(Math.floor(Math.random() * Math.min(MAX_BACKOFF_MS, 5 * (attempt + 1))));
      }
    }
  }

  /** Every entry in chain order. */
  async readAll(): Promise<AuditLedgerEntry[]> {
    return this.query(`PartitionKey eq '${PARTITION}' and RowKey lt '${HEAD_ROW}'`);
  }

  /** Entries about one target, matched by UPN (case-insensitively, as Entra treats UPNs) or object id. */
  async readForTarget(upnOrId: string): Promise<AuditLedgerEntry[]> {
    const wanted = upnOrId.toLowerCase();
    return (await this.readAll()).filter(
      (entry) => entry.targetUpn?.toLowerCase() === wanted || entry.targetId?.toLowerCase() === wanted,
    );
  }

  /** Entries about one request, in chain order. */
  async entriesFor(requestId: string): Promise<AuditLedgerEntry[]> {
    return this.query(
      `PartitionKey eq '${PARTITION}' and RowKey lt '${HEAD_ROW}' and requestId eq '${requestId.replace(/'/g, "''")}'`,
    );
  }

  async head(): Promise<AuditLedgerHead | null> {
    await this.ensureTable();
    try {
      const head = await this.client.getEntity<HeadEntity>(PARTITION, HEAD_ROW);
      return { seq: head.seq, hash: head.hash };
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return null;
      throw error;
    }
  }

  async verify(): Promise<AuditLedgerVerification> {
    return verifyAuditLedger(await this.readAll(), await this.head());
  }

  private async query(filter: string): Promise<AuditLedgerEntry[]> {
    await this.ensureTable();
    const entries: AuditLedgerEntry[] = [];
    for await (const entity of this.client.listEntities<EntryEntity>({ queryOptions: { filter } })) {
      entries.push(fromEntity(entity));
    }
    return entries;
  }
}

function toEntity(entry: AuditLedgerEntry): EntryEntity {
  return {
    partitionKey: PARTITION,
    rowKey: String(entry.seq).padStart(12, "0"),
    seq: entry.seq,
    at: entry.at,
    action: entry.action,
    // Tables drop null properties; "" round-trips back to null below.
    requestId: entry.requestId ?? "",
    actorId: entry.actorId ?? "",
    targetId: entry.targetId ?? "",
    targetUpn: entry.targetUpn ?? "",
    details: JSON.stringify(entry.details),
    prevHash: entry.prevHash,
    hash: entry.hash,
  };
}

function fromEntity(entity: EntryEntity): AuditLedgerEntry {
  if (typeof entity.seq !== "number" || typeof entity.hash !== "string") {
    throw new AuditLedgerCorruptError(`row ${entity.rowKey} is not a ledger entry`);
  }
  return {
    seq: entity.seq,
    at: entity.at,
    action: entity.action,
    requestId: entity.requestId || null,
    actorId: entity.actorId || null,
    targetId: entity.targetId || null,
    targetUpn: entity.targetUpn || null,
    details: safeParse(entity.details),
    prevHash: entity.prevHash,
    hash: entity.hash,
  };
}

function safeParse(text: string): AuditLedgerEntry["details"] {
  try {
    return JSON.parse(text) as AuditLedgerEntry["details"];
  } catch {
    return { unparseable: text };
  }
}
