import { BlobSASPermissions, type BlockBlobClient, type ContainerClient } from "@azure/storage-blob";

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

/** One stored inventory CSV and the admin it was made for, read back from Blob storage. */
export interface StoredInventoryExport {
  exportId: string;
  requestedBy: string;
  createdAt: Date;
  content: Buffer;
}

const EXPORT_ID = /^[\w.-]{1,200}$/;

/**
 * Stores an inventory CSV as a blob whose metadata names the admin who asked: the chat's file consent and the signed
 * link both read the file and its owner back from here, never from what a card carries.
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
    metadata: { requestedby: owner.requestedBy, createdat: owner.createdAt.toISOString() },
  });
  return blob;
}

/** Reads a stored export and its owner; InventoryExportNotFoundError when the id is not one of ours. */
export async function readInventoryExport(
  container: ContainerClient,
  exportId: string,
): Promise<StoredInventoryExport> {
  if (!EXPORT_ID.test(exportId)) throw new InventoryExportNotFoundError(exportId.slice(0, 80));
  const blob = container.getBlockBlobClient(exportId);
  try {
    const properties = await blob.getProperties();
    const content = await blob.downloadToBuffer();
    return {
      exportId,
      requestedBy: properties.metadata?.requestedby ?? "",
      createdAt: new Date(properties.metadata?.createdat ?? 0),
      content,
    };
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) throw new InventoryExportNotFoundError(exportId);
    throw error;
  }
}

/** A read-only link to a stored export that expires after `minutes` (ExportLinkUnavailableError without a key). */
export async function signInventoryExportLink(blob: BlockBlobClient, now: Date, minutes = 15): Promise<string> {
  try {
    return await blob.generateSasUrl({
      permissions: BlobSASPermissions.parse("r"),
      startsOn: new Date(now.getTime() - 60_000),
      expiresOn: new Date(now.getTime() + minutes * 60_000),
      contentDisposition: `attachment; filename="${blob.name.replace(/[^\w.-]/g, "_")}"`,
    });
  } catch (error) {
    throw new ExportLinkUnavailableError((error as Error).message);
  }
}
