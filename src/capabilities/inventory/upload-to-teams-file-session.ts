/** Teams' upload into the admin's OneDrive refused the file. */
export class FileUploadFailedError extends Error {
  constructor(status: number) {
    super(`The CSV must be accepted by the upload URL Teams gave: it answered ${status}`);
    this.name = "FileUploadFailedError";
  }
}

/**
 * OneDrive upload sessions take at most 60 MiB per request, in multiples of 320 KiB: larger CSVs go up in
 * consecutive 10 MiB ranges.
 */
const UPLOAD_CHUNK_BYTES = 32 * 320 * 1024;

/** Teams' upload URLs are https; a loopback http URL is accepted for local runs and tests only. */
export function isUploadUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      url.protocol === "https:" || (url.protocol === "http:" && /^(127\.0\.0\.1|localhost|\[::1\])$/.test(url.hostname))
    );
  } catch {
    return false;
  }
}

/**
 * PUTs `content` to the upload session Teams opened in the admin's OneDrive (the consent answer's `uploadUrl`), in
 * consecutive `Content-Range`s; FileUploadFailedError on the first range it refuses.
 */
export async function uploadToTeamsFileSession(uploadUrl: string, content: Buffer): Promise<void> {
  const size = content.length;
  for (let start = 0; start < size || (start === 0 && size === 0); start += UPLOAD_CHUNK_BYTES) {
    const end = Math.min(start + UPLOAD_CHUNK_BYTES, size);
    const response = await fetch(uploadUrl, {
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
