import { sameId } from "./check-tap-preconditions.js";
import { withRefusalAudit } from "./tap-audit.js";
import type { TapDependencies } from "./tap-dependencies.js";
import { NotAdminError, WrongTenantError } from "./tap-errors.js";
import type { AuditEvent } from "./tap-ports.js";
import type { Actor } from "./tap-request.js";

export interface AuditReader {
  readForTarget(upnOrId: string): Promise<Array<AuditEvent & { seq: number; at: string }>>;
}

/** `audit <UPN>` — admins only: the ledger entries about one user, newest last. */
export async function showTapAudit(
  deps: Pick<TapDependencies, "roles" | "settings" | "audit">,
  reader: AuditReader,
  actor: Actor,
  upn: string,
): Promise<Array<AuditEvent & { seq: number; at: string }>> {
  return withRefusalAudit(deps, { action: "audit.read", actor, targetUpn: upn }, async () => {
    if (!sameId(actor.tenantId, deps.settings.tenantId)) throw new WrongTenantError();
    if (!(await deps.roles.resolveCallerRoles(actor.id)).isAdmin) throw new NotAdminError();
    return reader.readForTarget(upn.trim());
  });
}
