/** The text of a GUID (8-4-4-4-12 hex digits, either case), for patterns that must find one inside longer text. */
export const GUID_SOURCE = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
const GUID = new RegExp(`^${GUID_SOURCE}$`);

/**
 * Whether a whole value is a GUID: object ids, app ids, tenant ids and AAGUIDs all share this shape. Callers that need
 * the lower-case form (AAGUIDs as the tenant file stores them) compare with `toLowerCase()` themselves.
 */
export function isGuid(value: string): boolean {
  return GUID.test(value);
}
