import { BlobSASPermissions, type ContainerClient } from "@azure/storage-blob";

/** The storage account cannot sign a link (Entra ID sign-in without a user delegation key): no link is offered. */
export class ExportLinkUnavailableError extends Error {
  constructor(reason: string) {
    super(`An inventory export link must be signed by the storage account: ${reason}`);
    this.name = "ExportLinkUnavailableError";
  }
}

/**
 * Puts an inventory CSV in Blob storage and returns a read-only link that expires after `minutes`: the file leaves
 * the chat as a link only the admin it was posted to has, and stops working soon after.
 */
export async function createInventoryExportLink(
  container: ContainerClient,
  file: string,
  blobName: string,
  now: Date,
  minutes = 15,
): Promise<string> {
  await container.createIfNotExists();
  const blob = container.getBlockBlobClient(blobName);
  await blob.uploadFile(file, { blobHTTPHeaders: { blobContentType: "text/csv; charset=utf-8" } });
  try {
    return await blob.generateSasUrl({
      permissions: BlobSASPermissions.parse("r"),
      startsOn: new Date(now.getTime() - 60_000),
      expiresOn: new Date(now.getTime() + minutes * 60_000),
      contentDisposition: `attachment; filename="${blobName.replace(/[^\w.-]/g, "_")}"`,
    });
  } catch (error) {
    throw new ExportLinkUnavailableError((error as Error).message);
  }
}
