import { isGuid } from "../text/is-guid.js";

/**
 * The one place where values from people or other systems become part of a Graph URL or `$filter`
 * (graph.md §2.6). A `$filter` string literal doubles its single quotes; object ids are validated as GUIDs
 * before they are interpolated; path segments are percent-encoded (`#EXT#` in guest UPNs, `/`, `%`, `&`).
 * The whole query option value is percent-encoded once more by `queryString`.
 */

/** A value that is neither a GUID nor a user principal name cannot name a directory object. */
export class InvalidGraphIdentifierError extends Error {
  constructor(what: string) {
    super(`${what} must be a GUID or a user principal name`);
    this.name = "InvalidGraphIdentifierError";
  }
}

// Deliberately loose (guest UPNs carry '#EXT#' and '_'), but exactly one '@' and no whitespace or control characters.
const upnPattern = /^[^\s@]+@[^\s@]+$/;
const isoDateTimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})$/;

export { isGuid };

/** `'O''Brien'` — an OData string literal for `$filter`. */
export function odataLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A GUID as a quoted `$filter` literal; anything else is refused before it can reach a query. */
export function odataGuidLiteral(value: string, what = "object id"): string {
  return odataLiteral(requireGuid(value, what));
}

/** An unquoted DateTimeOffset for `$filter` (`createdDateTime ge 2026-11-22T10:00:00Z`), validated. */
export function odataDateTime(value: string): string {
  if (!isoDateTimePattern.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InvalidGraphIdentifierError(`date-time '${value}' must be ISO 8601 with an offset and`);
  }
  return new Date(value).toISOString();
}

export function requireGuid(value: string, what = "object id"): string {
  if (!isGuid(value)) throw new InvalidGraphIdentifierError(what);
  return value.toLowerCase();
}

/** An object id or UPN as one encoded path segment (`/users/{this}`). */
export function userPathSegment(idOrUpn: string): string {
  if (!isGuid(idOrUpn) && (!upnPattern.test(idOrUpn) || hasControlCharacter(idOrUpn)))
    throw new InvalidGraphIdentifierError("user");
  return encodePathSegment(idOrUpn);
}

function hasControlCharacter(value: string): boolean {
  return [...value].some((ch) => (ch.codePointAt(0) ?? 0) < 0x20);
}

/** encodeURIComponent leaves `'` alone; Graph treats `'` in a key segment specially, so encode it too. */
export function encodePathSegment(value: string): string {
  return encodeURIComponent(value).replaceAll("'", "%27");
}

/** `?$select=a,b&$filter=…` with every value percent-encoded exactly once. */
export function queryString(options: Record<string, string | number | boolean | undefined>): string {
  const parts = Object.entries(options)
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value)).replaceAll("'", "%27")}`);
  return parts.length === 0 ? "" : `?${parts.join("&")}`;
}
