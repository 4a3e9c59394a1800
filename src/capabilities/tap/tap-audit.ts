import type { TapDependencies } from "./tap-dependencies.js";
import { TapRuleError } from "./tap-errors.js";
import type { AuditValue } from "./tap-ports.js";
import type { Actor, TapRequest } from "./tap-request.js";

/** Appends one ledger entry about a request. Never pass a TAP value in `details`. */
export async function auditTap(
  deps: Pick<TapDependencies, "audit">,
  action: string,
  request: TapRequest | null,
  actorId: string | null,
  details: Record<string, AuditValue> = {},
): Promise<void> {
  await deps.audit.append({
    action,
    requestId: request?.id ?? null,
    actorId,
    targetId: request?.target.id ?? null,
    targetUpn: request?.target.userPrincipalName ?? null,
    details: { ...(request ? { status: request.status } : {}), ...details },
  });
}

/**
 * Runs an action on behalf of `actor`; a broken rule is recorded in the ledger as `tap.refused` with its reason
 * before it is thrown to the bot's error boundary.
 */
export async function withRefusalAudit<T>(
  deps: Pick<TapDependencies, "audit">,
  attempt: {
    action: string;
    actor: Actor;
    requestId?: string | null;
    targetId?: string | null;
    targetUpn?: string | null;
  },
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof TapRuleError && error.rule !== "staleRequest") {
      await deps.audit.append({
        action: "tap.refused",
        requestId: attempt.requestId ?? null,
        actorId: attempt.actor.id || null,
        targetId: attempt.targetId ?? null,
        targetUpn: attempt.targetUpn ?? null,
        details: {
          attempted: attempt.action,
          rule: error.rule,
          reason: error.message,
          actorTenantId: attempt.actor.tenantId,
        },
      });
    }
    throw error;
  }
}
