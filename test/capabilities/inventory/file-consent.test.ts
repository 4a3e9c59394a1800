import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../src/bot/create-logger.js";
import {
  FILE_CONSENT_CARD,
  FILE_INFO_CARD,
  INVENTORY_EXPORTS_CONTAINER,
} from "../../../src/capabilities/inventory/inventory-file-consent.js";
import { loadConfig } from "../../../src/config.js";
import { type RunningApp, startApp } from "../../../src/index.js";
import { translate } from "../../../src/locales/translate.js";
import {
  readInventoryExport,
  recordInventoryExportAnswer,
  storeInventoryExport,
} from "../../../src/storage/inventory-exports.js";
import { createStorageAccount } from "../../../src/storage/storage-account.js";
import { botConfigOver } from "../../support/bot-config.js";
import { type FakeConnector, startFakeConnector } from "../../support/bot-connector.js";
import { cardOf, cardTexts, post, practicePersona, teamsActivity } from "../../support/bot-http.js";
import { usePracticeServices } from "../../support/practice-services.js";

const CSV = "UserPrincipalName,DisplayName,AAGUID\r\nada@contoso.example,Ada,90a3ccdf-635c-4729-a248-9b709135078f\r\n";

/** What the OneDrive upload URL Teams hands out received: the test's stand-in for that external service. */
interface Upload {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** The file consent attachment as the bot sends it. */
interface ConsentCard {
  contentType: string;
  content: {
    acceptContext: { exportId: string };
    declineContext: unknown;
    sizeInBytes: number;
    description: string;
  };
}

const practice = usePracticeServices();
let app: RunningApp;
let connector: FakeConnector;
let uploadServer: Server;
let uploadUrl: string;
const uploads: Upload[] = [];

const admin = () => practicePersona("admin");

/** The exports container, as the bot's storage account reaches it. */
const exportsContainer = () =>
  createStorageAccount(
    loadConfig({ STORAGE_CONNECTION_STRING: practice.azurite.connectionString }).storage,
  ).containerClient(INVENTORY_EXPORTS_CONTAINER);

/** Stores a CSV export for `requestedBy`, the way the inventory run does, and returns its id. */
async function storedExport(
  requestedBy: string,
  name = `practice-${Math.random().toString(16).slice(2)}.csv`,
  content = CSV,
) {
  const dir = await mkdtemp(join(tmpdir(), "file-consent-"));
  const file = join(dir, name);
  await writeFile(file, content);
  const account = createStorageAccount(
    loadConfig({ STORAGE_CONNECTION_STRING: practice.azurite.connectionString }).storage,
  );
  await storeInventoryExport(account.containerClient(INVENTORY_EXPORTS_CONTAINER), file, name, {
    requestedBy,
    createdAt: new Date(),
  });
  await rm(dir, { recursive: true, force: true });
  return name;
}

/**
 * POSTs a `fileConsent/invoke` as Teams does (replying to the consent card's activity), and returns the invoke
 * response and what the bot then said as new messages.
 */
async function consent(
  caller: { aadObjectId: string },
  value: unknown,
  locale = "en-US",
  options: { url?: string; consentCardId?: string } = {},
) {
  const consentCardId = options.consentCardId ?? `consent-card-${randomUUID()}`;
  const activity = teamsActivity(caller, {
    type: "invoke",
    name: "fileConsent/invoke",
    locale,
    serviceUrl: connector.url,
    replyToId: consentCardId,
    value,
  });
  const response = await post(options.url ?? app.url, activity);
  // The bot's messages in this turn reply to this invoke (another answer may be running at the same time).
  const said = connector.calls
    .filter((call) => call.method === "POST" && call.body.replyToId === activity.id)
    .map((call) => call.body);
  return { status: response.status, body: response.body as { status?: number } | null, said, consentCardId };
}

/** The texts of the card that replaced the consent card `consentCardId` (waits for it: it is replaced after the turn). */
async function replacementOf(consentCardId: string): Promise<string[]> {
  for (let tries = 0; tries < 100; tries++) {
    const update = connector.calls.find((call) => call.method === "PUT" && call.activityId === consentCardId);
    if (update) return cardTexts(cardOf(update.body));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`The consent card ${consentCardId} must be replaced once answered`);
}

/** Whether the consent card was replaced (checked after the answer's turn and a moment for the replacement). */
async function isReplaced(consentCardId: string): Promise<boolean> {
  await new Promise((resolve) => setTimeout(resolve, 500));
  return connector.calls.some((call) => call.method === "PUT" && call.activityId === consentCardId);
}

const accept = (exportId: string, url = uploadUrl) => ({
  type: "fileUpload",
  action: "accept",
  context: { exportId },
  uploadInfo: {
    contentUrl: "https://contoso-my.sharepoint.com/personal/admin/Documents/Applications/Passkey%20Helpdesk/x.csv",
    name: exportId,
    uploadUrl: url,
    uniqueId: "1150d938-8870-4044-9f2c-5bbdeba70c9d",
    fileType: "csv",
  },
});

beforeAll(async () => {
  connector = await startFakeConnector();
  uploadServer = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      uploads.push({ method: req.method ?? "", headers: req.headers, body });
      // An upload session that refuses the bytes, as OneDrive does when the session expired.
      res.writeHead(req.url?.includes("/refusing-session/") ? 410 : 201, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: "uploaded" }));
    });
  });
  await new Promise<void>((resolve) => uploadServer.listen(0, "127.0.0.1", resolve));
  uploadUrl = `http://127.0.0.1:${(uploadServer.address() as AddressInfo).port}/upload-session/abc`;
  app = await startApp(
    botConfigOver(practice, {
      // The bot's own Graph budget ×100 too, as the emulator's: at Graph's real 5 reports requests per 10 s the queued
      // inventory alone took half a minute.
      GRAPH_EMULATOR_THROTTLE_SCALE: "100",
    }),
    { logger: createLogger("silent") },
  );
}, 60_000);
afterAll(async () => {
  await app?.close();
  await new Promise<void>((resolve) => (uploadServer ? uploadServer.close(() => resolve()) : resolve()));
  await connector?.close();
});

describe("the inventory CSV as a file in Teams (file consent in personal chat)", () => {
  it("accepted by the admin who asked: the stored CSV is PUT in one range, then a file info card names it", async () => {
    const exportId = await storedExport(admin().aadObjectId);
    uploads.length = 0;
    const { status, body, said } = await consent(admin(), accept(exportId));
    expect(status).toBe(200);
    expect(body?.status ?? 200).toBe(200);
    expect(uploads).toHaveLength(1);
    const [upload] = uploads;
    expect(upload?.method).toBe("PUT");
    expect(upload?.body).toBe(CSV);
    const size = Buffer.byteLength(CSV);
    expect(upload?.headers["content-range"]).toBe(`bytes 0-${size - 1}/${size}`);
    expect(upload?.headers["content-length"]).toBe(String(size));
    const fileInfo = said
      .flatMap((activity) => activity.attachments ?? [])
      .find((a) => a.contentType === FILE_INFO_CARD);
    expect(fileInfo).toMatchObject({
      contentType: FILE_INFO_CARD,
      name: exportId,
      contentUrl: expect.stringContaining("sharepoint.com"),
      content: { uniqueId: "1150d938-8870-4044-9f2c-5bbdeba70c9d", fileType: "csv" },
    });
    expect(JSON.stringify(said)).toContain(translate("en", "inventory.fileConsentUploaded"));
  });

  it("a CSV over 10 MiB goes up in consecutive byte ranges that together are the stored file", async () => {
    const row = "someone@contoso.example,Someone,90a3ccdf-635c-4729-a248-9b709135078f\r\n";
    const big = `${CSV}${row.repeat(Math.ceil((21 * 1024 * 1024) / row.length))}`;
    const exportId = await storedExport(admin().aadObjectId, undefined, big);
    uploads.length = 0;
    const { said } = await consent(admin(), accept(exportId));
    const size = Buffer.byteLength(big);
    const chunk = 10 * 1024 * 1024;
    expect(uploads.map((upload) => upload.headers["content-range"])).toEqual([
      `bytes 0-${chunk - 1}/${size}`,
      `bytes ${chunk}-${2 * chunk - 1}/${size}`,
      `bytes ${2 * chunk}-${size - 1}/${size}`,
    ]);
    expect(uploads.map((upload) => upload.body).join("")).toBe(big);
    expect(JSON.stringify(said)).toContain(FILE_INFO_CARD);
  }, 60_000);

  it("the file comes from storage, never from the card: a CSV in the answer's payload is ignored", async () => {
    const exportId = await storedExport(admin().aadObjectId);
    uploads.length = 0;
    const forged = { ...accept(exportId), context: { exportId, csv: '=HYPERLINK("evil")' } };
    await consent(admin(), forged);
    expect(uploads[0]?.body).toBe(CSV);
  });

  it.each([
    ["another administrator", "admin", "other"],
    ["an agent", "agent-1", "admin"],
    ["an end user", "all-good", "admin"],
  ])("refuses %s accepting an export made for someone else, and uploads nothing", async (_who, invoker, owner) => {
    const ownerId = owner === "other" ? practicePersona("agent-2").aadObjectId : practicePersona(owner).aadObjectId;
    const exportId = await storedExport(ownerId);
    uploads.length = 0;
    const { status, said } = await consent(practicePersona(invoker), accept(exportId));
    expect(status).toBe(200);
    expect(uploads).toHaveLength(0);
    expect(JSON.stringify(said)).toContain(translate("en", "inventory.fileConsentNotYours"));
    expect(JSON.stringify(said)).not.toContain(FILE_INFO_CARD);
  });

  it("a declined consent is answered politely, with the short-lived signed link, in English and Czech", async () => {
    uploads.length = 0;
    for (const [locale, lang, word] of [
      ["en-US", "en", "No problem"],
      ["cs-CZ", "cs", "V pořádku"],
    ] as const) {
      const exportId = await storedExport(admin().aadObjectId);
      const declined = await consent(admin(), { action: "decline", context: { exportId } }, locale);
      expect(declined.status).toBe(200);
      const text = JSON.stringify(declined.said);
      expect(text).toContain(word);
      expect(text).toContain(`/${INVENTORY_EXPORTS_CONTAINER}/${exportId}?`);
      expect(text).toContain("sp=r");
      expect(translate(lang, "inventory.fileConsentDeclinedLink", { url: "x" })).toContain("15");
      // The consent card is replaced in the admin's language.
      expect(await replacementOf(declined.consentCardId)).toEqual([
        translate(lang, "inventory.fileAnsweredTitle"),
        translate(lang, "inventory.fileDeclinedCard"),
      ]);
    }
    expect(uploads).toHaveLength(0);
  });

  it("refuses the person an export was made for once they are no longer an administrator (read from the directory now)", async () => {
    // agent-1 is not in Helpdesk Admins: an export naming them is what an admin removed since the run would leave.
    const exportId = await storedExport(practicePersona("agent-1").aadObjectId);
    uploads.length = 0;
    for (const value of [accept(exportId), { action: "decline", context: { exportId } }]) {
      const { status, said } = await consent(practicePersona("agent-1"), value);
      expect(status).toBe(200);
      expect(JSON.stringify(said)).toContain(translate("en", "inventory.fileConsentNotYours"));
      expect(JSON.stringify(said)).not.toContain(exportId);
    }
    expect(uploads).toHaveLength(0);
    expect((await readInventoryExport(exportsContainer(), exportId)).answer).toBeUndefined();
  });

  it("someone else declining an admin's export gets no link to it", async () => {
    const exportId = await storedExport(admin().aadObjectId);
    for (const key of ["agent-1", "manager"]) {
      const { said } = await consent(practicePersona(key), { action: "decline", context: { exportId } });
      const text = JSON.stringify(said);
      expect(text).toContain(translate("en", "inventory.fileConsentNotYours"));
      expect(text).not.toContain(exportId);
    }
  });

  it.each([
    ["no value", undefined],
    ["an unknown action", { action: "maybe", context: { exportId: "x.csv" } }],
    ["no export id", { action: "accept", context: {}, uploadInfo: { uploadUrl: "https://example.invalid/u" } }],
    ["no upload URL", { action: "accept", context: { exportId: "x.csv" }, uploadInfo: {} }],
    [
      "a non-https upload URL",
      { action: "accept", context: { exportId: "x.csv" }, uploadInfo: { uploadUrl: "http://10.0.0.5/u" } },
    ],
  ])("a malformed answer (%s) gets a polite error and uploads nothing", async (_case, value) => {
    uploads.length = 0;
    const { status, said } = await consent(admin(), value);
    expect(status).toBe(200);
    expect(uploads).toHaveLength(0);
    expect(JSON.stringify(said)).toContain(translate("en", "inventory.fileConsentMalformed"));
  });

  it("an export that is not in storage (made up, or cleaned up) is answered as gone", async () => {
    uploads.length = 0;
    const { said } = await consent(admin(), accept("practice-never-made.csv"));
    expect(uploads).toHaveLength(0);
    expect(JSON.stringify(said)).toContain(translate("en", "inventory.fileConsentGone"));
  });

  it("`inventory` posts the summary card with the signed link, then the file consent card carrying only an export id", async () => {
    const before = connector.calls.length;
    const response = await post(
      app.url,
      teamsActivity(admin(), { type: "message", text: "inventory", serviceUrl: connector.url }),
    );
    expect(response.status).toBe(200);
    const offer = async () => {
      for (let tries = 0; tries < 600; tries++) {
        const found = connector.calls
          .slice(before)
          .flatMap((call) => (call.body.attachments ?? []) as ConsentCard[])
          .find((attachment) => attachment.contentType === FILE_CONSENT_CARD);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error("The inventory run must offer its CSV as a file consent card");
    };
    const card = await offer();
    expect(Object.keys(card.content.acceptContext)).toEqual(["exportId"]);
    expect(card.content.declineContext).toEqual(card.content.acceptContext);
    expect(card.content.sizeInBytes).toBeGreaterThan(100);
    expect(card.content.description).toBe(translate("en", "inventory.fileConsentDescription"));
    const summary = JSON.stringify(connector.calls.slice(before).map((call) => call.body));
    expect(summary).toContain(translate("en", "inventory.summaryTitle"));
    expect(summary).toContain(`/${INVENTORY_EXPORTS_CONTAINER}/`);
    // Accepting it sends the very CSV the run stored, a header and one row per person.
    uploads.length = 0;
    await consent(admin(), accept(card.content.acceptContext.exportId));
    expect(uploads[0]?.body.split("\r\n")[0]).toContain("UserPrincipalName");
    expect(Buffer.byteLength(uploads[0]?.body ?? "")).toBe(card.content.sizeInBytes);
  }, 150_000);
});

describe("each export is answered once, whatever clicks again and wherever", () => {
  it("once allowed, the consent card is replaced and a second Allow is told the CSV was sent, with no second upload", async () => {
    const exportId = await storedExport(admin().aadObjectId);
    uploads.length = 0;
    const first = await consent(admin(), accept(exportId));
    expect(uploads).toHaveLength(1);
    expect(await replacementOf(first.consentCardId)).toContain(translate("en", "inventory.fileSentCard"));
    for (const [locale, lang] of [
      ["en-US", "en"],
      ["cs-CZ", "cs"],
    ] as const) {
      const again = await consent(admin(), accept(exportId), locale, { consentCardId: first.consentCardId });
      expect(again.status).toBe(200);
      expect(JSON.stringify(again.said)).toContain(translate(lang, "inventory.fileConsentAlreadySent"));
      expect(JSON.stringify(again.said)).not.toContain(FILE_INFO_CARD);
    }
    expect(uploads).toHaveLength(1);
    expect((await readInventoryExport(exportsContainer(), exportId)).answer).toBe("sent");
  });

  it("once declined, the card says so, and a later Allow or Decline is told it was declined and uploads nothing", async () => {
    const exportId = await storedExport(admin().aadObjectId);
    uploads.length = 0;
    const declined = await consent(admin(), { action: "decline", context: { exportId } });
    expect(await replacementOf(declined.consentCardId)).toContain(translate("en", "inventory.fileDeclinedCard"));
    for (const value of [accept(exportId), { action: "decline", context: { exportId } }]) {
      const again = await consent(admin(), value, "cs-CZ");
      expect(again.status).toBe(200);
      const text = JSON.stringify(again.said);
      expect(text).toContain(translate("cs", "inventory.fileConsentAlreadyDeclined"));
      expect(text).not.toContain(`/${INVENTORY_EXPORTS_CONTAINER}/${exportId}?`);
    }
    expect(uploads).toHaveLength(0);
  });

  it("someone else answering an export already answered is refused as before, and is not told what its owner did", async () => {
    const exportId = await storedExport(admin().aadObjectId);
    await consent(admin(), accept(exportId));
    uploads.length = 0;
    for (const key of ["agent-1", "all-good"]) {
      const { said } = await consent(practicePersona(key), accept(exportId));
      const text = JSON.stringify(said);
      expect(text).toContain(translate("en", "inventory.fileConsentNotYours"));
      expect(text).not.toContain(translate("en", "inventory.fileConsentAlreadySent"));
    }
    expect(uploads).toHaveLength(0);
  });

  it("two Allows at the same moment on two bot instances upload the CSV once", async () => {
    const second = await startApp(botConfigOver(practice), { logger: createLogger("silent") });
    try {
      const exportId = await storedExport(admin().aadObjectId);
      uploads.length = 0;
      const answers = await Promise.all([
        consent(admin(), accept(exportId)),
        consent(admin(), accept(exportId), "en-US", { url: second.url }),
      ]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
      expect(uploads).toHaveLength(1);
      const texts = answers.map((answer) => JSON.stringify(answer.said));
      expect(texts.filter((text) => text.includes(FILE_INFO_CARD))).toHaveLength(1);
      const other = texts.find((text) => !text.includes(FILE_INFO_CARD)) ?? "";
      expect(
        [
          translate("en", "inventory.fileConsentAlreadySent"),
          translate("en", "inventory.fileConsentAlreadySending"),
        ].some((sentence) => other.includes(sentence)),
        other,
      ).toBe(true);
    } finally {
      await second.close();
    }
  });

  it("an upload OneDrive refuses keeps the card answerable, and the next Allow sends the file", async () => {
    const exportId = await storedExport(admin().aadObjectId);
    uploads.length = 0;
    const refused = await consent(
      admin(),
      accept(exportId, uploadUrl.replace("/upload-session/", "/refusing-session/")),
    );
    expect(JSON.stringify(refused.said)).toContain(translate("en", "inventory.fileConsentUploadFailed"));
    expect(await isReplaced(refused.consentCardId)).toBe(false);
    const retried = await consent(admin(), accept(exportId), "en-US", { consentCardId: refused.consentCardId });
    expect(JSON.stringify(retried.said)).toContain(FILE_INFO_CARD);
    expect(uploads.map((upload) => upload.body)).toEqual([CSV, CSV]);
  });

  it.each([
    ["an hour ago (its instance died mid-upload): the next Allow takes it over", 60, 1],
    ["a minute ago (an upload under way): the next Allow is told so and uploads nothing", 1, 0],
  ])("an upload claimed %s", async (_case, minutesAgo, expectedUploads) => {
    const exportId = await storedExport(admin().aadObjectId);
    const stored = await readInventoryExport(exportsContainer(), exportId);
    await recordInventoryExportAnswer(
      exportsContainer(),
      stored,
      "sending",
      new Date(Date.now() - minutesAgo * 60_000),
    );
    uploads.length = 0;
    const { said } = await consent(admin(), accept(exportId));
    expect(uploads).toHaveLength(expectedUploads);
    expect(JSON.stringify(said)).toContain(
      expectedUploads ? FILE_INFO_CARD : translate("en", "inventory.fileConsentAlreadySending"),
    );
  });
});
