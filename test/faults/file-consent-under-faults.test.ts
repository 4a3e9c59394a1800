import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/bot/create-logger.js";
import {
  answerFileConsent,
  FILE_INFO_CARD,
  INVENTORY_EXPORTS_CONTAINER,
} from "../../src/capabilities/inventory/inventory-file-consent.js";
import { loadConfig } from "../../src/config.js";
import { type RunningEmulator, startEmulator } from "../../src/emulator/start-emulator.js";
import { type RunningApp, startApp } from "../../src/index.js";
import { translate } from "../../src/locales/translate.js";
import { readInventoryExport, storeInventoryExport } from "../../src/storage/inventory-exports.js";
import { createStorageAccount } from "../../src/storage/storage-account.js";
import { botConfigOver } from "../support/bot-config.js";
import { type FakeConnector, startFakeConnector } from "../support/bot-connector.js";
import { PRACTICE_TENANT_PATH, post, practicePersona, teamsActivity } from "../support/bot-http.js";
import { type RestartableAzurite, startRestartableAzurite } from "./restartable-azurite.js";

/**
 * The file consent's answer when storage goes away (Azurite stopped): Teams must still get its invoke response — a
 * 200 with a polite sentence or the error card — and the admin must never get the CSV twice.
 */
const CSV = "UserPrincipalName,DisplayName\r\nada@contoso.example,Ada\r\n";

let azurite: RestartableAzurite;
let emulator: RunningEmulator;
let app: RunningApp;
let connector: FakeConnector;
let uploadServer: Server;
let uploadUrl: string;
const uploads: string[] = [];
/** Runs while the upload URL holds the request, before it answers (the test's hook into "during the answer"). */
let duringUpload: () => Promise<void> = async () => undefined;

const admin = () => practicePersona("admin");
const exportsContainer = () =>
  createStorageAccount(loadConfig({ STORAGE_CONNECTION_STRING: azurite.connectionString }).storage).containerClient(
    INVENTORY_EXPORTS_CONTAINER,
  );

async function storedExport(): Promise<string> {
  const exportId = `faults-${randomUUID().slice(0, 8)}.csv`;
  const dir = await mkdtemp(join(tmpdir(), "consent-faults-"));
  await writeFile(join(dir, exportId), CSV);
  await storeInventoryExport(exportsContainer(), join(dir, exportId), exportId, {
    requestedBy: admin().aadObjectId,
    createdAt: new Date(),
  });
  await rm(dir, { recursive: true, force: true });
  return exportId;
}

/** The file consent's dependencies as the bot wires them, with a logger the test reads and `pause` between retries. */
function consentDependencies(pause?: (ms: number) => Promise<void>) {
  const account = createStorageAccount(loadConfig({ STORAGE_CONNECTION_STRING: azurite.connectionString }).storage);
  const errors: Array<Record<string, unknown>> = [];
  return {
    container: account.interactiveContainerClient(INVENTORY_EXPORTS_CONTAINER),
    isAdmin: async () => true,
    now: () => new Date(),
    logger: { error: (fields: object) => void errors.push(fields as Record<string, unknown>) },
    ...(pause ? { pause } : {}),
    errors,
  };
}

/** Waits (bounded) until `done()` holds: the retries run after the answer, in the background. */
async function eventually(done: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Expected ${what}`);
}

/** An Allow as Teams posts it; the invoke response and the messages the bot sent in reply to it. */
async function allow(exportId: string) {
  const activity = teamsActivity(admin(), {
    type: "invoke",
    name: "fileConsent/invoke",
    serviceUrl: connector.url,
    replyToId: `consent-card-${randomUUID()}`,
    value: {
      type: "fileUpload",
      action: "accept",
      context: { exportId },
      uploadInfo: { name: exportId, uploadUrl, uniqueId: randomUUID(), fileType: "csv" },
    },
  });
  const response = await post(app.url, activity);
  const said = connector.calls
    .filter((call) => call.method === "POST" && call.body.replyToId === activity.id)
    .map((call) => call.body);
  return { status: response.status, said: JSON.stringify(said) };
}

beforeAll(async () => {
  [azurite, emulator, connector] = await Promise.all([
    startRestartableAzurite(),
    startEmulator({ port: 0, tenant: PRACTICE_TENANT_PATH, throttleScale: 100 }),
    startFakeConnector(),
  ]);
  uploadServer = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", async () => {
      uploads.push(body);
      await duringUpload();
      res.writeHead(201, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => uploadServer.listen(0, "127.0.0.1", resolve));
  uploadUrl = `http://127.0.0.1:${(uploadServer.address() as AddressInfo).port}/upload-session/faults`;
  app = await startApp(botConfigOver({ emulator, azurite }), { logger: createLogger("silent") });
}, 60_000);
afterAll(async () => {
  await app?.close();
  await new Promise<void>((resolve) => (uploadServer ? uploadServer.close(() => resolve()) : resolve()));
  await Promise.all([emulator?.close(), azurite?.dispose(), connector?.close()]);
});

describe("the file consent's answer with storage stopped", () => {
  it("storage stopped before the answer: Teams gets a 200 and the admin a polite card, and nothing is uploaded", async () => {
    const exportId = await storedExport();
    uploads.length = 0;
    await azurite.stop();
    try {
      const { status, said } = await allow(exportId);
      expect(status).toBe(200);
      expect(uploads).toHaveLength(0);
      // Which sentence depends on which storage read failed first (the turn's own, or the export's): both are polite.
      expect(
        [translate("en", "inventory.fileConsentStorageDown"), translate("en", "common.errorBody")].some((sentence) =>
          said.includes(sentence),
        ),
        said,
      ).toBe(true);
    } finally {
      await azurite.start();
    }
  }, 90_000);

  it("storage stopped while the CSV uploads: the file still reaches the admin once, and an Allow after the restart does not send it again", async () => {
    const exportId = await storedExport();
    uploads.length = 0;
    duringUpload = () => azurite.stop();
    try {
      const { status, said } = await allow(exportId);
      expect(status).toBe(200);
      expect(uploads).toEqual([CSV]);
      expect(said).toContain(FILE_INFO_CARD);
      expect(said).toContain(translate("en", "inventory.fileConsentUploaded"));
    } finally {
      duringUpload = async () => undefined;
      await azurite.start();
    }
    // The claim was recorded; "sent" is once storage is back within the retries (how soon Azurite restarts decides
    // which). Either way a second Allow is told the file is on its way or there, and nothing goes up twice.
    expect(["sending", "sent"]).toContain((await readInventoryExport(exportsContainer(), exportId)).answer);
    const again = await allow(exportId);
    expect(again.status).toBe(200);
    expect(
      [
        translate("en", "inventory.fileConsentAlreadySending"),
        translate("en", "inventory.fileConsentAlreadySent"),
      ].some((sentence) => again.said.includes(sentence)),
      again.said,
    ).toBe(true);
    expect(uploads).toEqual([CSV]);
  }, 90_000);

  it("storage stopped when the export is read: the answer is the polite try-later sentence in English and Czech, not an error", async () => {
    const exportId = await storedExport();
    const deps = consentDependencies();
    const value = { action: "accept", context: { exportId }, uploadInfo: { uploadUrl } };
    uploads.length = 0;
    await azurite.stop();
    try {
      for (const locale of ["en", "cs"]) {
        const outcome = await answerFileConsent(deps, admin().aadObjectId, value, locale);
        expect(outcome).toEqual({ text: translate(locale, "inventory.fileConsentStorageDown") });
      }
      expect(uploads).toHaveLength(0);
    } finally {
      await azurite.start();
    }
  }, 90_000);
});

describe('recording "sent" after a good upload, with storage failing at that moment', () => {
  const acceptValue = (exportId: string) => ({
    action: "accept",
    context: { exportId },
    uploadInfo: { uploadUrl, name: exportId },
  });

  it("storage back during the retries: the export is recorded sent, so a later Allow is told it is in OneDrive and sends nothing", async () => {
    const exportId = await storedExport();
    uploads.length = 0;
    const pauses: number[] = [];
    // Storage stops while the CSV goes up, so the first record fails; it is back by the end of the first pause.
    const deps = consentDependencies(async (ms) => {
      pauses.push(ms);
      if (pauses.length === 1) await azurite.start();
    });
    duringUpload = () => azurite.stop();
    try {
      const outcome = await answerFileConsent(deps, admin().aadObjectId, acceptValue(exportId), "en");
      expect(outcome.text).toBe(translate("en", "inventory.fileConsentUploaded"));
    } finally {
      duringUpload = async () => undefined;
    }
    await eventually(
      async () => (await readInventoryExport(exportsContainer(), exportId).catch(() => null))?.answer === "sent",
      'the export to be recorded "sent" once storage is back',
    );
    expect(pauses[0]).toBeGreaterThan(0);
    expect(deps.errors).toEqual([]);
    for (const locale of ["en", "cs"]) {
      const again = await answerFileConsent(deps, admin().aadObjectId, acceptValue(exportId), locale);
      expect(again.text).toBe(translate(locale, "inventory.fileConsentAlreadySent"));
    }
    expect(uploads).toEqual([CSV]);
  }, 90_000);

  it("storage down through every retry: an error naming the export is logged, and a later Allow still uploads nothing", async () => {
    const exportId = await storedExport();
    uploads.length = 0;
    const deps = consentDependencies(async () => undefined);
    duringUpload = () => azurite.stop();
    try {
      const outcome = await answerFileConsent(deps, admin().aadObjectId, acceptValue(exportId), "en");
      expect(outcome.text).toBe(translate("en", "inventory.fileConsentUploaded"));
      await eventually(() => deps.errors.length > 0, "an error once every retry failed");
    } finally {
      duringUpload = async () => undefined;
      await azurite.start();
    }
    expect(deps.errors).toEqual([
      expect.objectContaining({ event: "inventory.fileSentNotRecorded", exportId, attempts: 4 }),
    ]);
    expect((await readInventoryExport(exportsContainer(), exportId)).answer).toBe("sending");
    const again = await answerFileConsent(deps, admin().aadObjectId, acceptValue(exportId), "en");
    expect(again.text).toBe(translate("en", "inventory.fileConsentAlreadySending"));
    expect(uploads).toEqual([CSV]);
  }, 90_000);
});
