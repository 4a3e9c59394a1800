import type { AuditLog, Clock, TapGraph, TapMessenger, TapRequestStore, TapRoles, TapSettings } from "./tap-ports.js";

/** The points of issuance where a crash leaves something for reconciliation to finish. */
export type IssuanceStep = "beforeIssuingWrite" | "issuingWritten" | "graphCreated";

/** The points of a decision (confirm, decline, approve, deny) where a crash leaves a ledger entry owed. */
export type DecisionStep = "decisionWritten" | "auditAppended";

/** Everything the TAP use cases need, passed as one argument; register.ts builds it from BotDependencies. */
export interface TapDependencies {
  graph: TapGraph;
  store: TapRequestStore;
  audit: AuditLog;
  roles: TapRoles;
  messenger: TapMessenger;
  settings: TapSettings;
  clock: Clock;
  newId: () => string;
  /**
   * Why a TAP is needed, from the server's own triage of the target (the triage capability's summary). Called only
   * after the caller's authorization holds; what a card payload says about it is never used. Absent ⇒ no summary.
   */
  summarizeTriage?: (targetUserId: string) => Promise<string>;
  /**
   * Called at each issuance step, awaited. Absent in production; crash tests inject one that stops the process there
   * so it can be killed at exactly that point.
   */
  atIssuanceStep?: (step: IssuanceStep, requestId: string) => Promise<void>;
  /** Like `atIssuanceStep`, for a decision: between its write, its ledger entry and the note's removal. */
  atDecisionStep?: (step: DecisionStep, requestId: string) => Promise<void>;
}
