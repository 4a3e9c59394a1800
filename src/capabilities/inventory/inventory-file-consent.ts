import type { ContainerClient } from "@azure/storage-blob";
import type { CardMessage } from "../../cards/card-message.js";
import { type LocalizedText, localizedText } from "../../cards/localized-text.js";
import { translate } from "../../locales/translate.js";
import { RefusalError } from "../../refusal/refusal-error.js";
import {
  downloadInventoryExport,
  ExportLinkUnavailableError,
  InventoryExportAnsweredMeanwhileError,
  InventoryExportNotFoundError,
  readInventoryExport,
  recordInventoryExportAnswer,
  type StoredInventoryExport,
  signInventoryExportLink,
} from "../../storage/inventory-exports.js";
import { answeredNothing } from "../../storage/storage-account.js";
import { FileConsentGoneError, FileConsentNotYoursError, MalformedFileConsentError } from "./inventory-errors.js";
import { type RecordSentDependencies, recordInventoryExportSent } from "./record-inventory-export-sent.js";
import { FileUploadFailedError, isUploadUrl, uploadToTeamsFileSession } from "./upload-to-teams-file-session.js";

export const FILE_CONSENT_CARD = "application/vnd.microsoft.teams.card.file.consent";
export const FILE_INFO_CARD = "application/vnd.microsoft.teams.card.file.info";
export const INVENTORY_EXPORTS_CONTAINER = "inventory-exports";

/**
 * An upload claimed this long ago and never finished (its instance died mid-upload) no longer blocks the admin: the
 * next Allow takes it over. Uploads of the largest CSVs take seconds, not minutes.
 */
const STALE_SENDING_MS = 5 * 60_000;

/** The card that takes the consent card's place once the export is answered, so nobody can answer it twice. */
export type FileConsentAnsweredData = { message: LocalizedText };

declare module "../../cards/card-message.js" {
  interface CardDataByName {
    "inventory-file-answered": FileConsentAnsweredData;
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

/**
 * What the bot answers a consent with: a sentence for the admin, a file info card after an upload, and — once the
 * export is answered — the card that replaces the consent card.
 */
export interface FileConsentOutcome {
  text: string;
  fileInfo?: { contentType: string; contentUrl?: string; name: string; content: Record<string, unknown> };
  answeredCard?: CardMessage<"inventory-file-answered">;
}

export interface FileConsentDependencies extends RecordSentDependencies {
  /** The exports container, with short retries: the admin's client waits on this answer. */
  container: ContainerClient;
  isAdmin(userId: string): Promise<boolean>;
  now(): Date;
}

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

const answeredCard = (key: string): CardMessage<"inventory-file-answered"> => ({
  name: "inventory-file-answered",
  data: { message: localizedText(`inventory.${key}`) },
});

/** An upload under way on some instance (claimed recently): a second Allow must not start another. */
const isSending = (stored: StoredInventoryExport, now: Date) =>
  stored.answer === "sending" && now.getTime() - (stored.answeredAt?.getTime() ?? 0) < STALE_SENDING_MS;

/** The answer for an export someone already answered: what happened then, and the consent card replaced again. */
function alreadyAnswered(stored: StoredInventoryExport, now: Date, locale: string): FileConsentOutcome | null {
  if (stored.answer === "sent")
    return { text: translate(locale, "inventory.fileConsentAlreadySent"), answeredCard: answeredCard("fileSentCard") };
  if (stored.answer === "declined")
    return {
      text: translate(locale, "inventory.fileConsentAlreadyDeclined"),
      answeredCard: answeredCard("fileDeclinedCard"),
    };
  if (isSending(stored, now)) return { text: translate(locale, "inventory.fileConsentAlreadySending") };
  return null;
}

/**
 * Records `answer` on the export as read; if another answer got there first, returns what to tell the admin about
 * that one instead (re-read, so it is the answer every instance sees).
 */
async function claim(
  deps: FileConsentDependencies,
  stored: StoredInventoryExport,
  answer: "sending" | "declined",
  locale: string,
): Promise<StoredInventoryExport | FileConsentOutcome> {
  const now = deps.now();
  const earlier = alreadyAnswered(stored, now, locale);
  if (earlier) return earlier;
  try {
    return await recordInventoryExportAnswer(deps.container, stored, answer, now, {
      ...(answer === "declined" ? { linkSignedAt: now } : {}),
    });
  } catch (error) {
    if (!(error instanceof InventoryExportAnsweredMeanwhileError)) throw error;
    const meanwhile = await readInventoryExport(deps.container, stored.exportId);
    return alreadyAnswered(meanwhile, deps.now(), locale) ?? { text: translate(locale, "inventory.fileConsentRetry") };
  }
}

const isOutcome = (value: StoredInventoryExport | FileConsentOutcome): value is FileConsentOutcome => "text" in value;

/** The signed link sentence, or the CLI hint when the account cannot sign (Entra ID sign-in without a key). */
async function declinedSentence(deps: FileConsentDependencies, stored: StoredInventoryExport, locale: string) {
  try {
    const url = await signInventoryExportLink(
      deps.container.getBlockBlobClient(stored.exportId),
      stored.answeredAt ?? deps.now(),
    );
    return translate(locale, "inventory.fileConsentDeclinedLink", { url });
  } catch (error) {
    if (!(error instanceof ExportLinkUnavailableError)) throw error;
    return translate(locale, "inventory.fileConsentDeclined");
  }
}

async function decline(deps: FileConsentDependencies, stored: StoredInventoryExport, locale: string) {
  const declined = await claim(deps, stored, "declined", locale);
  if (isOutcome(declined)) return declined;
  return { text: await declinedSentence(deps, declined, locale), answeredCard: answeredCard("fileDeclinedCard") };
}

/** Claims the export, uploads the stored CSV, records it sent; a failed upload gives the claim back for a retry. */
async function accept(
  deps: FileConsentDependencies,
  stored: StoredInventoryExport,
  upload: UploadInfo & { uploadUrl: string },
  locale: string,
) {
  const claimed = await claim(deps, stored, "sending", locale);
  if (isOutcome(claimed)) return claimed;
  try {
    await uploadToTeamsFileSession(upload.uploadUrl, await downloadInventoryExport(deps.container, stored.exportId));
  } catch (error) {
    // Given back so Allow can be tried again; if storage refuses even that, the claim goes stale in five minutes.
    await recordInventoryExportAnswer(deps.container, claimed, undefined, deps.now()).catch(() => undefined);
    throw error;
  }
  await recordInventoryExportSent(deps, claimed);
  return {
    text: translate(locale, "inventory.fileConsentUploaded"),
    fileInfo: {
      contentType: FILE_INFO_CARD,
      ...(upload.contentUrl ? { contentUrl: upload.contentUrl } : {}),
      name: upload.name ?? stored.exportId,
      content: { uniqueId: upload.uniqueId, fileType: upload.fileType ?? "csv" },
    },
    answeredCard: answeredCard("fileSentCard"),
  };
}

/** Storage did not answer, or answered with its own failure: the admin may simply try again later. */
const isStorageDown = (error: unknown) => {
  const { statusCode, name } = (error ?? {}) as { statusCode?: number; name?: string };
  return answeredNothing(error) || (statusCode ?? 0) >= 500 || name === "AbortError" || name === "TimeoutError";
};

/**
 * Outcomes that are not refusals but still end in a sentence: the upload Teams refused, or storage that did not
 * answer (the admin may simply try again later). A broken rule becomes the refusal the bot words like every other;
 * anything else is thrown.
 */
function sentenceOf(error: unknown, locale: string): string {
  if (error instanceof InventoryExportNotFoundError) throw new FileConsentGoneError();
  if (error instanceof FileUploadFailedError) return translate(locale, "inventory.fileConsentUploadFailed");
  if (isStorageDown(error)) return translate(locale, "inventory.fileConsentStorageDown");
  throw error;
}

/**
 * Answers a `fileConsent/invoke` once per export, whichever instance gets it: on accept, the CSV read back from
 * storage is PUT to Teams' upload URL and a file info card names it; on decline, a polite sentence with a new signed
 * link when one can be made. Either is recorded on the stored export first (ETag-conditional), so a second answer —
 * here or on another instance — is told what happened and uploads nothing. Anyone but the admin who asked, or a
 * malformed answer, is refused (a RefusalError the caller words like every refusal): no file.
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
    if (answer.action === "decline")
      return await decline(deps, await ownExport(deps, invokerId, exportIdOf(answer)), locale);
    if (answer.action !== "accept") throw new MalformedFileConsentError(`action ${String(answer.action)}`);
    const exportId = exportIdOf(answer);
    const upload = (answer.uploadInfo ?? {}) as UploadInfo;
    if (typeof upload.uploadUrl !== "string" || !isUploadUrl(upload.uploadUrl)) {
      throw new MalformedFileConsentError("no usable upload URL");
    }
    const stored = await ownExport(deps, invokerId, exportId);
    return await accept(deps, stored, { ...upload, uploadUrl: upload.uploadUrl }, locale);
  } catch (error) {
    if (error instanceof RefusalError) throw error;
    return { text: sentenceOf(error, locale) };
  }
}
