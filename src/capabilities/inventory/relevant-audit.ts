import type { DirectoryAuditRecord } from "../../graph/model.js";

/**
 * The directory audit activities the inventory keeps (graph.md §7.2): passkeys added or deleted (the add carries the
 * AAGUID), admins registering methods for others, registrations started, creation options fetched, TAPs; and accounts
 * deleted or restored (Core Directory), so the incremental run takes a deleted person out and puts a restored one back.
 */
const ACTIVITY_PATTERNS: readonly RegExp[] = [
  /^Add Passkey/i,
  /^Add FIDO2 security key/i,
  /^Delete (FIDO2 security key|Passkey)/i,
  /^Admin (registered|updated|deleted) security info$/i,
  /^User (started|registered|deleted|canceled) security info/i,
  /^User registered all required security info$/i,
  /^Get passkey creation options$/i,
  /^Add Windows Hello for Business credential$/i,
  /^(Delete|Hard delete|Restore) user$/i,
];

export function isRelevantAudit(audit: DirectoryAuditRecord): boolean {
  return ACTIVITY_PATTERNS.some((pattern) => pattern.test(audit.activityDisplayName));
}

/** The users an audit event is about: its targets of type User (an admin's own id is the initiator, not a target). */
export function auditTargetUserIds(audit: DirectoryAuditRecord): string[] {
  return (audit.targetResources ?? [])
    .filter((target) => target.id && (target.type ?? "User").toLowerCase() === "user")
    .map((target) => (target.id as string).toLowerCase());
}

export function auditAaguid(audit: DirectoryAuditRecord): string | null {
  const detail = (audit.additionalDetails ?? []).find((entry) => (entry.key ?? "").toLowerCase() === "aaguid");
  return detail?.value ? detail.value.toLowerCase() : null;
}
