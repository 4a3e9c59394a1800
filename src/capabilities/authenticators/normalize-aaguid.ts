const AAGUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

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
  return AAGUID_PATTERN.test(candidate) ? candidate : null;
}
