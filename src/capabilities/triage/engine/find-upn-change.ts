import type { DirectoryAuditRecord, Fido2Method, GraphRead, UserAuthSnapshot } from "../../../graph/model.js";
import { normalizeAaguid } from "../../authenticators/normalize-aaguid.js";

const FIDO2_TYPE = "#microsoft.graph.fido2AuthenticationMethod";
/** Core Directory logs a rename as "Update user" with the old and new value under this modified property. */
const UPDATE_USER = "update user";
const UPN_PROPERTY = "userprincipalname";

export interface UpnChange {
  activityDateTime: string;
  oldUpn: string | null;
  newUpn: string | null;
  initiatedBy: string | null;
}

export interface UpnChangeAfterRegistration {
  /** The latest sign-in name change that happened after at least one of the passkeys below was added. */
  change: UpnChange;
  /** Passkeys added before that change: Microsoft's known issue says each must be deleted and added again. */
  passkeys: Array<{ displayName: string | null; aaGuid: string | null; createdDateTime: string }>;
}

/** Audit values are JSON-encoded (`["alice@contoso.com"]`); a plain string is taken as it is. */
function auditValue(raw: string | null | undefined): string | null {
  if (!raw) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    const value = Array.isArray(parsed) ? parsed[0] : parsed;
    return typeof value === "string" && value.trim() ? value.trim() : null;
  } catch {
    return raw.trim() || null;
  }
}

function upnChangesOf(audits: DirectoryAuditRecord[], userId: string): UpnChange[] {
  const changes: UpnChange[] = [];
  for (const audit of audits) {
    if (audit.activityDisplayName.trim().toLowerCase() !== UPDATE_USER || audit.result === "failure") continue;
    for (const target of audit.targetResources) {
      if ((target.id ?? "").toLowerCase() !== userId.toLowerCase()) continue;
      const property = (target.modifiedProperties ?? []).find(
        (p) => (p.displayName ?? "").trim().toLowerCase() === UPN_PROPERTY,
      );
      if (!property) continue;
      const oldUpn = auditValue(property.oldValue);
      const newUpn = auditValue(property.newValue);
      if (oldUpn && newUpn && oldUpn.toLowerCase() === newUpn.toLowerCase()) continue;
      changes.push({
        activityDateTime: audit.activityDateTime,
        oldUpn,
        newUpn,
        initiatedBy: audit.initiatedBy?.user?.userPrincipalName ?? audit.initiatedBy?.app?.displayName ?? null,
      });
    }
  }
  return changes;
}

/**
 * Microsoft's known issue (passkey-domain.md, "Known issues"): after a UPN change a passkey added before it cannot be
 * updated to the new name; the person must delete it in Security info and add it again. Read from the directory audit
 * log ("Update user" events modifying userPrincipalName), which only an agent's triage reads. null when the audits were
 * not read or show no such change after any passkey's creation.
 */
export function findUpnChange(
  snapshot: Pick<UserAuthSnapshot, "user" | "methods"> & { registrationAudits: GraphRead<DirectoryAuditRecord[]> },
): UpnChangeAfterRegistration | null {
  if (!snapshot.registrationAudits.ok || !snapshot.methods.ok) return null;
  const changes = upnChangesOf(snapshot.registrationAudits.value, snapshot.user.id).sort((a, b) =>
    b.activityDateTime.localeCompare(a.activityDateTime),
  );
  const latest = changes[0];
  if (!latest) return null;
  const changedAt = Date.parse(latest.activityDateTime);
  const passkeys = snapshot.methods.value
    .filter((m): m is Fido2Method => m["@odata.type"] === FIDO2_TYPE)
    .filter((m) => !!m.createdDateTime && Date.parse(m.createdDateTime) < changedAt)
    .map((m) => ({
      displayName: m.displayName,
      aaGuid: normalizeAaguid(m.aaGuid),
      createdDateTime: m.createdDateTime as string,
    }));
  return passkeys.length > 0 ? { change: latest, passkeys } : null;
}
