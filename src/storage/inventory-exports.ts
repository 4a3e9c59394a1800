import { BlobSASPermissions, type BlockBlobClient, type ContainerClient } from "@azure/storage-blob";
import { isStatus } from "./update-entity-if-match.js";

/** How long a signed link to an export works (the summary card's, and the one a decline offers again). */
export const EXPORT_LINK_MINUTES = 15;

/**
 * How long an unanswered file consent stays answerable. The production account's lifecycle policy (infra/azure.bicep)
 * deletes exports a day after creation whatever their state, so this must not be longer.
 */
export const UNANSWERED_EXPORT_HOURS = 24;

/** The storage account cannot sign a link (Entra ID sign-in without a user delegation key): no link is offered. */
export class ExportLinkUnavailableError extends Error {
  constructor(reason: string) {
    super(`An inventory export link must be signed by the storage account: ${reason}`);
    this.name = "ExportLinkUnavailableError";
  }
}

/** A stored export is gone (never made, or cleaned up): the admin asks for a new inventory. */
export class InventoryExportNotFoundError extends Error {
  constructor(exportId: string) {
    super(`An inventory export must exist in storage to be sent: ${exportId} does not`);
    this.name = "InventoryExportNotFoundError";
  }
}

/** Someone answered the same export between our read and our write (the blob's ETag changed). */
export class InventoryExportAnsweredMeanwhileError extends Error {
  constructor(exportId: string) {
    super(
      `An inventory export's answer must be recorded from its latest version: ${exportId} changed since it was read`,
    );
    this.name = "InventoryExportAnsweredMeanwhileError";
  }
}

/**
 * The admin's answer to the file consent, recorded on the export so every instance sees it: `sending` while one
 * instance uploads (claimed by an ETag-conditional write), then `sent`; or `declined`.
 */
export type InventoryExportAnswer = "sending" | "sent" | "declined";

/** One stored inventory CSV's facts (not its bytes): who it was made for, how it was answered, its version. */
export interface StoredInventoryExport {
  exportId: string;
  requestedBy: string;
  createdAt: Date;
  /** When the last link signed for it stops working. */
  linkExpiresAt: Date;
  answer?: InventoryExportAnswer;
  answeredAt?: Date;
  /** The blob's ETag when read: recording an answer succeeds only if nobody changed it since. */
  etag: string;
}

const EXPORT_ID = /^[\w.-]{1,200}$/;
const ANSWERS: readonly string[] = ["sending", "sent", "declined"] satisfies InventoryExportAnswer[];

const linkExpiryAfter = (signedAt: Date) => new Date(signedAt.getTime() + EXPORT_LINK_MINUTES * 60_000);

/** Blob metadata (lower-case keys, string values) for an export's facts. */
function metadataOf(facts: Omit<StoredInventoryExport, "exportId" | "etag">): Record<string, string> {
  return {
    requestedby: facts.requestedBy,
    createdat: facts.createdAt.toISOString(),
    linkexpiresat: facts.linkExpiresAt.toISOString(),
    ...(facts.answer ? { answer: facts.answer } : {}),
    ...(facts.answeredAt ? { answeredat: facts.answeredAt.toISOString() } : {}),
  };
}

function factsOf(exportId: string, metadata: Record<string, string> = {}, etag = ""): StoredInventoryExport {
  const createdAt = new Date(metadata.createdat ?? 0);
  const answer = ANSWERS.includes(metadata.answer ?? "") ? (metadata.answer as InventoryExportAnswer) : undefined;
  return {
    exportId,
    requestedBy: metadata.requestedby ?? "",
    createdAt,
    linkExpiresAt: metadata.linkexpiresat ? new Date(metadata.linkexpiresat) : linkExpiryAfter(createdAt),
    ...(answer ? { answer } : {}),
    ...(metadata.answeredat ? { answeredAt: new Date(metadata.answeredat) } : {}),
    etag,
  };
}

/**
 * Stores an inventory CSV as a blob whose metadata names the admin who asked: the chat's file consent and the signed
 * link both read the file and its owner back from here, never from what a card carries. `createdAt` is also when the
 * summary card's link is signed.
 */
export async function storeInventoryExport(
  container: ContainerClient,
  file: string,
  exportId: string,
  owner: { requestedBy: string; createdAt: Date },
): Promise<BlockBlobClient> {
  await container.createIfNotExists();
  const blob = container.getBlockBlobClient(exportId);
  await blob.uploadFile(file, {
    blobHTTPHeaders: { blobContentType: "text/csv; charset=utf-8" },
    metadata: metadataOf({ ...owner, linkExpiresAt: linkExpiryAfter(owner.createdAt) }),
  });
  return blob;
}

const notFoundAs = (exportId: string) => (error: unknown) => {
  if (isStatus(error, 404)) throw new InventoryExportNotFoundError(exportId);
  throw error;
};

/** Reads a stored export's facts; InventoryExportNotFoundError when the id is not one of ours. */
export async function readInventoryExport(
  container: ContainerClient,
  exportId: string,
): Promise<StoredInventoryExport> {
  if (!EXPORT_ID.test(exportId)) throw new InventoryExportNotFoundError(exportId.slice(0, 80));
  const properties = await container.getBlockBlobClient(exportId).getProperties().catch(notFoundAs(exportId));
  return factsOf(exportId, properties.metadata, properties.etag);
}

/** The CSV's bytes, as stored (never what a card carries). */
export async function downloadInventoryExport(container: ContainerClient, exportId: string): Promise<Buffer> {
  return container.getBlockBlobClient(exportId).downloadToBuffer().catch(notFoundAs(exportId));
}

/**
 * Records an answer (or clears a claim, with `answer` undefined) on the version of the export that was read: a 412
 * means another answer got there first (InventoryExportAnsweredMeanwhileError), a 404 that the export is gone. A
 * decline signs a new link, so `linkSignedAt` moves the link's expiry. Returns the export as now stored.
 */
export async function recordInventoryExportAnswer(
  container: ContainerClient,
  read: StoredInventoryExport,
  answer: InventoryExportAnswer | undefined,
  at: Date,
  options: { linkSignedAt?: Date } = {},
): Promise<StoredInventoryExport> {
  const { answer: _previous, answeredAt: _previousAt, ...facts } = read;
  const next: StoredInventoryExport = {
    ...facts,
    ...(answer ? { answer, answeredAt: at } : {}),
    ...(options.linkSignedAt ? { linkExpiresAt: linkExpiryAfter(options.linkSignedAt) } : {}),
  };
  try {
    const written = await container
      .getBlockBlobClient(read.exportId)
      .setMetadata(metadataOf(next), { conditions: { ifMatch: read.etag } });
    return { ...next, etag: written.etag ?? "" };
  } catch (error) {
    if (isStatus(error, 412)) throw new InventoryExportAnsweredMeanwhileError(read.exportId);
    return notFoundAs(read.exportId)(error);
  }
}

/**
 * Until when an export can still serve anyone: an answered one until its last link expires (the file is in OneDrive,
 * or was declined); an unanswered one (or one whose upload never finished) while its consent card is answerable.
 */
export function inventoryExportUsefulUntil(stored: StoredInventoryExport): Date {
  if (stored.answer === "sent" || stored.answer === "declined") return stored.linkExpiresAt;
  const answerable = new Date(stored.createdAt.getTime() + UNANSWERED_EXPORT_HOURS * 3_600_000);
  return answerable > stored.linkExpiresAt ? answerable : stored.linkExpiresAt;
}

/**
 * Deletes every export no longer useful at `now`. Each delete is conditional on the version listed, so an answer
 * recorded meanwhile keeps the export until the next pass. Returns the ids deleted.
 */
export async function deleteUselessInventoryExports(container: ContainerClient, now: Date): Promise<string[]> {
  if (!(await container.exists())) return [];
  const deleted: string[] = [];
  for await (const item of container.listBlobsFlat({ includeMetadata: true })) {
    const stored = factsOf(item.name, item.metadata, item.properties.etag);
    if (inventoryExportUsefulUntil(stored) > now) continue;
    try {
      await container.getBlockBlobClient(item.name).delete({ conditions: { ifMatch: stored.etag } });
      deleted.push(item.name);
    } catch (error) {
      // Answered meanwhile (412) or deleted by another pass or the lifecycle policy (404): nothing to do now.
      if (!isStatus(error, 412) && !isStatus(error, 404)) throw error;
    }
  }
  return deleted;
}

/** A read-only link to a stored export that expires after EXPORT_LINK_MINUTES (ExportLinkUnavailableError without a key). */
export async function signInventoryExportLink(blob: BlockBlobClient, now: Date): Promise<string> {
  try {
    return await blob.generateSasUrl({
      permissions: BlobSASPermissions.parse("r"),
      startsOn: new Date(now.getTime() - 60_000),
      expiresOn: linkExpiryAfter(now),
      contentDisposition: `attachment; filename="${blob.name.replace(/[^\w.-]/g, "_")}"`,
    });
  } catch (error) {
    throw new ExportLinkUnavailableError((error as Error).message);
  }
}
