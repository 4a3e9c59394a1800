import { randomUUID } from "node:crypto";
import { TableClient } from "@azure/data-tables";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEvent } from "../../src/capabilities/tap/tap-ports.js";
import { AuditLedger } from "../../src/storage/audit-ledger.js";
import { auditLedgerCsv } from "../../src/storage/audit-ledger-csv.js";
import { type RunningAzurite, startAzurite } from "../support/azurite.js";

let azurite: RunningAzurite;

beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => azurite?.stop());

function anEvent(n: number): AuditEvent {
  return {
    action: "tap.requested",
    requestId: `request-${n}`,
    actorId: "agent-id",
    targetId: "target-id",
    targetUpn: "no-mfa-method@contosopractice.onmicrosoft.com",
    details: { reason: `reason ${n}`, lifetimeInMinutes: 60, isUsableOnce: true },
  };
}

async function freshLedger(entries: number): Promise<{ ledger: AuditLedger; table: TableClient; name: string }> {
  const name = `Audit${randomUUID().replace(/-/g, "").slice(0, 10)}`;
  const ledger = AuditLedger.fromConnectionString(azurite.connectionString, name);
  for (let n = 1; n <= entries; n++) await ledger.append(anEvent(n));
  const table = TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true });
  return { ledger, table, name };
}

const row = (seq: number) => String(seq).padStart(12, "0");

describe("AuditLedger", () => {
  it("chains every entry to the previous one and verifies intact", async () => {
    const { ledger } = await freshLedger(4);
    const entries = await ledger.readAll();
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    for (let i = 1; i < entries.length; i++) expect(entries[i]?.prevHash).toBe(entries[i - 1]?.hash);
    const result = await ledger.verify();
    expect(result).toMatchObject({ isIntact: true, entries: 4, problems: [] });
    expect(result.headHash).toBe(entries[3]?.hash);
  });

  it("detects an edited entry", async () => {
    const { ledger, table } = await freshLedger(3);
    await table.updateEntity({ partitionKey: "ledger", rowKey: row(2), action: "tap.denied" }, "Merge");
    const result = await ledger.verify();
    expect(result.isIntact).toBe(false);
    expect(result.problems).toContainEqual(expect.objectContaining({ seq: 2, kind: "edited" }));
  });

  it("detects two entries swapped", async () => {
    const { ledger, table } = await freshLedger(4);
    const second = await table.getEntity<Record<string, unknown>>("ledger", row(2));
    const third = await table.getEntity<Record<string, unknown>>("ledger", row(3));
    const strip = ({ etag: _e, timestamp: _t, "odata.metadata": _m, ...rest }: Record<string, unknown>) => rest;
    await table.upsertEntity({ ...strip(third), partitionKey: "ledger", rowKey: row(2) }, "Replace");
    await table.upsertEntity({ ...strip(second), partitionKey: "ledger", rowKey: row(3) }, "Replace");
    const result = await ledger.verify();
    expect(result.isIntact).toBe(false);
    expect(result.problems.some((p) => p.kind === "reordered")).toBe(true);
  });

  it("detects a deleted entry in the middle and one cut off the end", async () => {
    const middle = await freshLedger(4);
    await middle.table.deleteEntity("ledger", row(2));
    expect((await middle.ledger.verify()).problems).toContainEqual(expect.objectContaining({ kind: "missing" }));

    const tail = await freshLedger(4);
    await tail.table.deleteEntity("ledger", row(4));
    const result = await tail.ledger.verify();
    expect(result.isIntact).toBe(false);
    expect(result.problems).toContainEqual(expect.objectContaining({ kind: "missing", seq: 4 }));
  });

  it("keeps one unbroken chain when two instances append at the same time", async () => {
    const { name } = await freshLedger(0);
    const first = AuditLedger.fromConnectionString(azurite.connectionString, name);
    const second = AuditLedger.fromConnectionString(azurite.connectionString, name);
    await Promise.all(Array.from({ length: 12 }, (_, n) => (n % 2 === 0 ? first : second).append(anEvent(n + 1))));
    const result = await first.verify();
    expect(result).toMatchObject({ isIntact: true, entries: 12 });
    expect(new Set((await first.readAll()).map((e) => e.requestId)).size).toBe(12);
  });

  it("finds the entries about one target by UPN regardless of case", async () => {
    const { ledger } = await freshLedger(2);
    await ledger.append({ ...anEvent(3), targetId: "other", targetUpn: "all-good@contosopractice.onmicrosoft.com" });
    const found = await ledger.readForTarget("ALL-GOOD@contosopractice.onmicrosoft.com");
    expect(found.map((e) => e.seq)).toEqual([3]);
  });

  it("exports CSV with a header, quoted details and a neutralised formula prefix", async () => {
    const { ledger } = await freshLedger(1);
    await ledger.append({ ...anEvent(2), details: { reason: '=HYPERLINK("x"), "quoted"' } });
    const csv = auditLedgerCsv(await ledger.readAll());
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("seq,at,action,requestId,actorId,targetId,targetUpn,details,prevHash,hash");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain('"{""reason"":""=HYPERLINK(\\""x\\""), \\""quoted\\""""}"');
  });
});
