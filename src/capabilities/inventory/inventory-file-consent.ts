import type { ContainerClient } from "@azure/storage-blob";
import { translate } from "../../locales/translate.js";
import {
  ExportLinkUnavailableError,
  InventoryExportNotFoundError,
  readInventoryExport,
  signInventoryExportLink,
} from "../../storage/inventory-export-links.js";
import { FileConsentGoneError, FileConsentNotYoursError, MalformedFileConsentError } from "./inventory-errors.js";

export const FILE_CONSENT_CARD = "application/vnd.microsoft.teams.card.file.consent";
export const FILE_INFO_CARD = "application/vnd.microsoft.teams.card.file.info";
export const INVENTORY_EXPORTS_CONTAINER = "inventory-exports";

/** Teams' upload into the admin's OneDrive refused the file. */
export class FileUploadFailedError extends Error {
  constructor(status: number) {
    super(`The CSV must be accepted by the upload URL Teams gave: it answered ${status}`);
    this.name = "FileUploadFailedError";
  }
}

/**
 * The file consent card Teams shows in personal chat ("Allow" / "Decline"). Only the export's random id travels in
 * the card; who may accept and the file itself are read back from storage.
 */
export function fileConsentAttachment(exportId: string, sizeInBytes: number, locale: string) {
  return {
    contentType: FILE_CONSENT_CARD,
    name: exportId,
    content: {
      description: translate(locale, "inventory.fileConsentDescription"),
      sizeInBytes,
      acceptContext: { exportId },
      declineContext: { exportId },
    },
  };
}

interface UploadInfo {
  name?: string;
  uploadUrl?: string;
  contentUrl?: string;
  uniqueId?: string;
  fileType?: string;
}

/** What the bot answers a consent with: a file info card, or a sentence for the admin. */
export type FileConsentOutcome =
  | {
      kind: "uploaded";
      attachment: { contentType: string; contentUrl?: string; name: string; content: Record<string, unknown> };
      text: string;
    }
  | { kind: "text"; text: string };

export interface FileConsentDependencies {
  container: ContainerClient;
  isAdmin(userId: string): Promise<boolean>;
  now(): Date;
  fetch?: typeof fetch;
  /** Bytes per PUT (a multiple of 320 KiB, as OneDrive's upload sessions ask); 10 MiB unless a test says. */
  uploadChunkBytes?: number;
}

/** OneDrive upload sessions take at most 60 MiB per request: larger CSVs go up in consecutive byte ranges. */
const UPLOAD_CHUNK_BYTES = 32 * 320 * 1024;

async function putInRanges(deps: FileConsentDependencies, uploadUrl: string, content: Buffer) {
  const size = content.length;
  const chunk = deps.uploadChunkBytes ?? UPLOAD_CHUNK_BYTES;
  for (let start = 0; start < size || (start === 0 && size === 0); start += chunk) {
    const end = Math.min(start + chunk, size);
    const response = await (deps.fetch ?? fetch)(uploadUrl, {
      method: "PUT",
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-length": String(end - start),
        "content-range": `bytes ${start}-${Math.max(end - 1, 0)}/${size}`,
      },
      body: new Uint8Array(content.subarray(start, end)),
    });
    if (!response.ok) throw new FileUploadFailedError(response.status);
    if (size === 0) return;
  }
}

/** Teams' upload URLs are https; a loopback http URL is accepted for local runs and tests only. */
const isUploadUrl = (value: string) => {
  try {
    const url = new URL(value);
    return (
      url.protocol === "https:" || (url.protocol === "http:" && /^(127\.0\.0\.1|localhost|\[::1\])$/.test(url.hostname))
    );
  } catch {
    return false;
  }
};

const exportIdOf = (value: Record<string, unknown>) => {
  const context = value.context as Record<string, unknown> | undefined;
  const exportId = context?.exportId;
  if (typeof exportId !== "string" || exportId === "") throw new MalformedFileConsentError("no export id");
  return exportId;
};

/** The stored export, if it is the invoker's own and they are still an administrator (read from Graph now). */
async function ownExport(deps: FileConsentDependencies, invokerId: string | undefined, exportId: string) {
  if (!invokerId || !(await deps.isAdmin(invokerId))) throw new FileConsentNotYoursError();
  const stored = await readInventoryExport(deps.container, exportId);
  if (stored.requestedBy === "" || stored.requestedBy !== invokerId) throw new FileConsentNotYoursError();
  return stored;
}

/** The signed link sentence, or the CLI hint when the account cannot sign (Entra ID sign-in without a key). */
async function linkSentence(deps: FileConsentDependencies, exportId: string, locale: string) {
  try {
    const url = await signInventoryExportLink(deps.container.getBlockBlobClient(exportId), deps.now());
    return translate(locale, "inventory.fileConsentDeclinedLink", { url });
  } catch (error) {
    if (!(error instanceof ExportLinkUnavailableError)) throw error;
    return translate(locale, "inventory.fileConsentDeclined");
  }
}

/**
 * Answers a `fileConsent/invoke`: on accept, the CSV read back from storage is PUT to Teams' upload URL in one range
 * and a file info card names it; on decline, a polite sentence with the signed link when one can be made. Anything
 * else, or anyone but the admin who asked, is refused (a RefusalError the caller words like every refusal): no file.
 */
export async function answerFileConsent(
  deps: FileConsentDependencies,
  invokerId: string | undefined,
  value: unknown,
  locale: string,
): Promise<FileConsentOutcome> {
  try {
    if (!value || typeof value !== "object") throw new MalformedFileConsentError("no value");
    const answer = value as Record<string, unknown>;
    if (answer.action === "decline") {
      const exportId = exportIdOf(answer);
      await ownExport(deps, invokerId, exportId);
      return { kind: "text", text: await linkSentence(deps, exportId, locale) };
    }
    if (answer.action !== "accept") throw new MalformedFileConsentError(`action ${String(answer.action)}`);
    const exportId = exportIdOf(answer);
    const upload = (answer.uploadInfo ?? {}) as UploadInfo;
    if (typeof upload.uploadUrl !== "string" || !isUploadUrl(upload.uploadUrl)) {
      throw new MalformedFileConsentError("no usable upload URL");
    }
    const stored = await ownExport(deps, invokerId, exportId);
    await putInRanges(deps, upload.uploadUrl, stored.content);
    return {
      kind: "uploaded",
      text: translate(locale, "inventory.fileConsentUploaded"),
      attachment: {
        contentType: FILE_INFO_CARD,
        contentUrl: upload.contentUrl,
        name: upload.name ?? exportId,
        content: { uniqueId: upload.uniqueId, fileType: upload.fileType ?? "csv" },
      },
    };
  } catch (error) {
    if (error instanceof InventoryExportNotFoundError) throw new FileConsentGoneError();
    if (error instanceof FileUploadFailedError) {
      return { kind: "text", text: translate(locale, "inventory.fileConsentUploadFailed") };
    }
    throw error;
  }
}
