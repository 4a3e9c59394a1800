import type { TapDependencies } from "./tap-dependencies.js";
import { StaleRequestError } from "./tap-errors.js";
import type { AuditValue, Versioned } from "./tap-ports.js";
import type { PendingAudit, TapRequest } from "./tap-request.js";
import { type TapEvent, tapStateMachine } from "./tap-state-machine.js";

/** What the ledger must say about a decision, built from the request as the decision leaves it. */
export interface DecisionAudit {
  action: string;
  actorId: string | null;
  details?: Record<string, AuditValue>;
}

/**
 * Applies a decision and records it in the ledger so that no crash can lose the entry: the new state and a note of the
 * entry owed (`pendingAudits`) are one conditional write, then the entry is appended, then the note removed. Appending
 * first instead would let a lost race (another click or instance decided first) leave an approval in the ledger that
 * never happened; this order leaves at worst a note, which `settlePendingAudits` turns into the entry.
 */
export async function auditedTransition(
  deps: TapDependencies,
  stored: Versioned<TapRequest>,
  event: TapEvent,
  audit: (next: TapRequest) => DecisionAudit,
): Promise<Versioned<TapRequest>> {
  const now = deps.clock().toISOString();
  const next = tapStateMachine(stored.value, event, now);
  const { action, actorId, details = {} } = audit(next);
  const id = deps.newId();
  const pending: PendingAudit = {
    id,
    at: now,
    event: {
      action,
      requestId: next.id,
      actorId,
      targetId: next.target.id,
      targetUpn: next.target.userPrincipalName,
      details: { status: next.status, ...details, auditId: id },
    },
  };
  const written = await deps.store.update(
    { ...next, pendingAudits: [...(next.pendingAudits ?? []), pending] },
    stored.etag,
  );
  await deps.atDecisionStep?.("decisionWritten", next.id);
  await deps.audit.append(pending.event);
  await deps.atDecisionStep?.("auditAppended", next.id);
  return clearPendingAudits(deps, written, [id]);
}

/**
 * Run by the reconciler: appends every owed entry older than `graceMs` (longer than an append could still be on its
 * way from the instance that decided) that the ledger does not hold yet, then removes the notes. Idempotent: an entry
 * is recognised by its `auditId`, so a note whose entry did land before the crash is only removed.
 */
export async function settlePendingAudits(deps: TapDependencies, graceMs: number): Promise<TapRequest[]> {
  const now = deps.clock().getTime();
  const settled: TapRequest[] = [];
  for (const stored of await deps.store.listAwaitingAudit()) {
    const due = (stored.value.pendingAudits ?? []).filter((pending) => now - Date.parse(pending.at) >= graceMs);
    if (due.length === 0) continue;
    const held = new Set(
      (await deps.audit.entriesFor(stored.value.id)).map((entry) => entry.details.auditId).filter(Boolean),
    );
    for (const pending of due) {
      if (held.has(pending.id)) continue;
      await deps.audit.append({
        ...pending.event,
        details: { ...pending.event.details, recoveredAt: new Date(now).toISOString() },
      });
    }
    settled.push(
      (
        await clearPendingAudits(
          deps,
          stored,
          due.map((pending) => pending.id),
        )
      ).value,
    );
  }
  return settled;
}

/**
 * Removes the notes whose entries the ledger now holds. Losing this race is harmless: whoever moved the request on
 * carried the notes with it, and the next reconciliation finds their entries and removes them.
 */
async function clearPendingAudits(
  deps: TapDependencies,
  stored: Versioned<TapRequest>,
  ids: string[],
): Promise<Versioned<TapRequest>> {
  const remaining = (stored.value.pendingAudits ?? []).filter((pending) => !ids.includes(pending.id));
  const { pendingAudits: _done, ...rest } = stored.value;
  const cleared: TapRequest = remaining.length > 0 ? { ...rest, pendingAudits: remaining } : rest;
  try {
    return await deps.store.update(cleared, stored.etag);
  } catch (error) {
    if (!(error instanceof StaleRequestError)) throw error;
    return { value: cleared, etag: stored.etag };
  }
}
