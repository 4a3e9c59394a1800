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
const MAX_APPEND_ATTEMPTS = 50;

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

/**
 * Append-only, hash-chained audit ledger in one Table partition. Each append inserts entry n+1 and moves the head
 * pointer from n to n+1 in one entity-group transaction conditional on the head's ETag, so two instances can never
 * fork the chain: the loser re-reads the head and tries again.
 */
export class AuditLedger implements AuditLog {
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

  async appendEntry(event: AuditEvent): Promise<AuditLedgerEntry> {
    await this.ensureTable();
    for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
      const head = await this.client.getEntity<HeadEntity>(PARTITION, HEAD_ROW);
      const unhashed = {
        seq: head.seq + 1,
        at: this.clock().toISOString(),
        action: event.action,
        requestId: event.requestId || null,
        actorId: event.actorId || null,
        targetId: event.targetId || null,
        targetUpn: event.targetUpn || null,
        details: event.details,
        prevHash: head.hash,
      };
      const entry: AuditLedgerEntry = { ...unhashed, hash: auditLedgerEntryHash(unhashed) };
      try {
        await this.client.submitTransaction([
          ["create", toEntity(entry)],
          [
            "update",
            { partitionKey: PARTITION, rowKey: HEAD_ROW, seq: entry.seq, hash: entry.hash },
            "Replace",
            { etag: head.etag },
          ],
        ]);
        return entry;
      } catch (error) {
        if (!(error instanceof RestError) || (error.statusCode !== 412 && error.statusCode !== 409)) throw error;
        await sleep(Math.floor(Math.random() * 10 * (attempt + 1)));
      }
    }
    throw new Error(`The audit ledger head kept moving: no append after ${MAX_APPEND_ATTEMPTS} attempts`);
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
