import { isGuid } from "../../text/is-guid.js";

/**
 * AAGUIDs arrive in any case and sometimes in braces (Entra shows them upper-case, policies may store either); the
 * policy comparison is case-insensitive, so everything is compared in this one form. Returns null for anything that
 * is not an AAGUID.
 */
export function normalizeAaguid(value: string | null | undefined): string | null {
  if (!value) return null;
  const candidate = value
    .trim()
    .replace(/^\{|\}$/g, "")
    .toLowerCase();
  return isGuid(candidate) ? candidate : null;
}
