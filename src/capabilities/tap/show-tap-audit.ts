import type { CardMessage } from "../../cards/card-message.js";
import { type LocalizedText, localizedText } from "../../cards/localized-text.js";
import { sameId } from "./check-tap-preconditions.js";
import { withRefusalAudit } from "./tap-audit.js";
import { literal } from "./tap-card-data.js";
import type { TapDependencies } from "./tap-dependencies.js";
import { NotAdminError, WrongTenantError } from "./tap-errors.js";
import type { AuditEvent } from "./tap-ports.js";
import type { Actor } from "./tap-request.js";

export interface AuditReader {
  readForTarget(upnOrId: string): Promise<Array<AuditEvent & { seq: number; at: string }>>;
}

/** The data of cards/tap-audit.card.json: one row per ledger entry, in the reader's language and time zone. */
export type TapAuditData = {
  title: LocalizedText;
  subtitle: LocalizedText;
  entries: Array<{
    when: string;
    action: string;
    who: string | LocalizedText;
    details: Array<{ name: string; value: string }>;
  }>;
};

declare module "../../cards/card-message.js" {
  interface CardDataByName {
    "tap-audit": TapAuditData;
  }
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

/** A ledger entry as the admin reads it: who by name, when in their own time zone, every detail as a line. */
export async function auditCard(
  deps: Pick<TapDependencies, "graph">,
  entries: Array<AuditEvent & { seq: number; at: string }>,
  subject: string,
  view: { locale: string; timeZone: string },
): Promise<CardMessage<"tap-audit">> {
  const names = new Map<string, string>();
  const nameOf = async (id: string | null): Promise<string | LocalizedText> => {
    if (!id) return localizedText("tap.auditBot");
    if (!names.has(id)) {
      const user = await deps.graph.getUser(id).catch(() => null);
      names.set(id, literal(user ? `${user.displayName ?? user.userPrincipalName} (${user.userPrincipalName})` : id));
    }
    return names.get(id) as string;
  };
  const timeZone = validTimeZone(view.timeZone);
  const when = new Intl.DateTimeFormat(view.locale, { dateStyle: "medium", timeStyle: "medium", timeZone });
  return {
    name: "tap-audit",
    data: {
      title: localizedText("tap.auditTitle", { upn: literal(subject) }),
      subtitle: localizedText("tap.auditSubtitle", { count: entries.length, timeZone }),
      entries: await Promise.all(
        entries.map(async (entry) => ({
          when: when.format(new Date(entry.at)),
          action: entry.action,
          who: await nameOf(entry.actorId),
          details: Object.entries(entry.details)
            // auditId only links an entry to the note that owed it (audited-transition.ts): nothing for a reader.
            .filter(([name, value]) => value !== null && value !== "" && name !== "auditId")
            .map(([name, value]) => ({ name, value: literal(String(value)) })),
        })),
      ),
    },
  };
}

/** The Teams client's IANA time zone when it is one this runtime knows; UTC otherwise. */
function validTimeZone(candidate: string): string {
  try {
    new Intl.DateTimeFormat("en", { timeZone: candidate });
    return candidate;
  } catch {
    return "UTC";
  }
}
