import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ContainerClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { INVENTORY_EXPORTS_CONTAINER } from "../../../src/capabilities/inventory/inventory-file-consent.js";
import { startInventoryExportSweeper } from "../../../src/capabilities/inventory/start-inventory-export-sweeper.js";
import { loadConfig } from "../../../src/config.js";
import { startEmulator } from "../../../src/emulator/start-emulator.js";
import { BACKGROUND_LEASES_CONTAINER, createBackgroundLease } from "../../../src/jobs/background-lease.js";
import {
  type InventoryExportAnswer,
  readInventoryExport,
  recordInventoryExportAnswer,
  storeInventoryExport,
} from "../../../src/storage/inventory-exports.js";
import { createStorageAccount, type StorageAccount } from "../../../src/storage/storage-account.js";
import { type RunningAzurite, startAzurite } from "../../support/azurite.js";
import { botConfigOver } from "../../support/bot-config.js";
import { PRACTICE_TENANT_PATH } from "../../support/bot-http.js";
import { runBotOnFakeIntervals } from "../../support/bot-on-fake-intervals.js";

const NOW = new Date("2026-12-04T12:00:00Z");
const minutesBefore = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
const silent = { warn: () => undefined };

let azurite: RunningAzurite;
let account: StorageAccount;
let dir: string;

beforeAll(async () => {
  azurite = await startAzurite();
  account = createStorageAccount(loadConfig({ STORAGE_CONNECTION_STRING: azurite.connectionString }).storage);
  dir = await mkdtemp(join(tmpdir(), "export-sweep-"));
  await writeFile(join(dir, "inventory.csv"), "UserPrincipalName\r\nada@contoso.example\r\n");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await azurite?.stop();
});

/** A fresh exports container per test, so no test sees another's exports. */
function exportsContainer(): ContainerClient {
  return account.containerClient(`${INVENTORY_EXPORTS_CONTAINER}-${Math.random().toString(16).slice(2, 10)}`);
}

/** An export made `createdMinutesAgo`, answered `answer` `answeredMinutesAgo` (a decline signs a new link then). */
async function exportMade(
  container: ContainerClient,
  exportId: string,
  createdMinutesAgo: number,
  answer?: { kind: InventoryExportAnswer; minutesAgo: number },
): Promise<void> {
  await storeInventoryExport(container, join(dir, "inventory.csv"), exportId, {
    requestedBy: "admin",
    createdAt: minutesBefore(createdMinutesAgo),
  });
  if (!answer) return;
  const at = minutesBefore(answer.minutesAgo);
  const read = await readInventoryExport(container, exportId);
  await recordInventoryExportAnswer(
    container,
    read,
    answer.kind,
    at,
    answer.kind === "declined" ? { linkSignedAt: at } : {},
  );
}

async function remaining(container: ContainerClient): Promise<string[]> {
  const names: string[] = [];
  for await (const item of container.listBlobsFlat()) names.push(item.name);
  return names.sort();
}

function sweeperFor(container: ContainerClient, leaseBlob: string) {
  const lease = createBackgroundLease(account.containerClient(BACKGROUND_LEASES_CONTAINER), leaseBlob, 15);
  return startInventoryExportSweeper({ exports: container, lease, now: () => NOW, logger: silent }, 3_600_000);
}

describe("exports are deleted once nobody can use them (the sweep Azurite needs, as it runs no lifecycle policy)", () => {
  it("keeps what a link or an open consent card can still reach, and deletes the rest", async () => {
    const container = exportsContainer();
    // Links work 15 minutes from when they were signed; an unanswered consent card stays answerable for a day.
    await exportMade(container, "unanswered-2h.csv", 120);
    await exportMade(container, "unanswered-25h.csv", 25 * 60);
    await exportMade(container, "sent-summary-link-live.csv", 10, { kind: "sent", minutesAgo: 9 });
    await exportMade(container, "sent-summary-link-expired.csv", 20, { kind: "sent", minutesAgo: 19 });
    await exportMade(container, "declined-new-link-live.csv", 120, { kind: "declined", minutesAgo: 10 });
    await exportMade(container, "declined-new-link-expired.csv", 120, { kind: "declined", minutesAgo: 20 });
    await exportMade(container, "sending-1h.csv", 60, { kind: "sending", minutesAgo: 59 });
    await exportMade(container, "sending-never-finished-25h.csv", 25 * 60, { kind: "sending", minutesAgo: 25 * 60 });
    const sweeper = sweeperFor(container, "export-sweep-a");
    try {
      expect((await sweeper.sweep())?.sort()).toEqual([
        "declined-new-link-expired.csv",
        "sending-never-finished-25h.csv",
        "sent-summary-link-expired.csv",
        "unanswered-25h.csv",
      ]);
      expect(await remaining(container)).toEqual([
        "declined-new-link-live.csv",
        "sending-1h.csv",
        "sent-summary-link-live.csv",
        "unanswered-2h.csv",
      ]);
      expect(await sweeper.sweep()).toEqual([]);
    } finally {
      sweeper.stop();
    }
  });

  it("sweeps on one instance at a time: while another holds the lease, a pass deletes nothing", async () => {
    const container = exportsContainer();
    await exportMade(container, "unanswered-25h.csv", 25 * 60);
    const other = await createBackgroundLease(
      account.containerClient(BACKGROUND_LEASES_CONTAINER),
      "export-sweep-b",
      15,
    ).tryAcquire();
    expect(other).not.toBeNull();
    const sweeper = sweeperFor(container, "export-sweep-b");
    try {
      expect(await sweeper.sweep()).toBeNull();
      expect(await remaining(container)).toEqual(["unanswered-25h.csv"]);
      await other?.release();
      expect(await sweeper.sweep()).toEqual(["unanswered-25h.csv"]);
    } finally {
      sweeper.stop();
    }
  });

  it("a pass with no exports container yet deletes nothing and does not fail", async () => {
    const sweeper = sweeperFor(exportsContainer(), "export-sweep-c");
    try {
      expect(await sweeper.sweep()).toEqual([]);
    } finally {
      sweeper.stop();
    }
  });
});

describe("the bot runs the sweep itself", () => {
  it("starting the bot starts the export sweep: five minutes on a forgotten export is gone and a fresh one kept; closing the bot stops it", async () => {
    const emulator = await startEmulator({ port: 0, tenant: PRACTICE_TENANT_PATH });
    const config = botConfigOver({ emulator, azurite });
    try {
      const intervalsLeft = await runBotOnFakeIntervals(config, async () => {
        const container = account.containerClient(INVENTORY_EXPORTS_CONTAINER);
        const made = (exportId: string, hoursAgo: number) =>
          storeInventoryExport(container, join(dir, "inventory.csv"), exportId, {
            requestedBy: "admin",
            createdAt: new Date(Date.now() - hoursAgo * 3_600_000),
          });
        const forgotten = `forgotten-${Math.random().toString(16).slice(2, 10)}.csv`;
        const fresh = `fresh-${Math.random().toString(16).slice(2, 10)}.csv`;
        await made(forgotten, 25);
        await made(fresh, 0);
        expect(await remaining(container)).toEqual(expect.arrayContaining([forgotten, fresh]));

        vi.advanceTimersByTime(5 * 60_000);
        for (let tries = 0; tries < 100 && (await remaining(container)).includes(forgotten); tries++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const left = await remaining(container);
        expect(left).not.toContain(forgotten);
        expect(left).toContain(fresh);
      });
      // Every interval the bot started (this sweep's among them) is cleared: nothing keeps sweeping after shutdown.
      expect(intervalsLeft).toBe(0);
    } finally {
      await emulator.close();
    }
  }, 60_000);
});
