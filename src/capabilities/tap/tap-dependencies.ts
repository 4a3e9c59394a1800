import type { AuditLog, Clock, TapGraph, TapMessenger, TapRequestStore, TapRoles, TapSettings } from "./tap-ports.js";
import type { TapValueVault } from "./tap-value-vault.js";

/** Everything the TAP use cases need, passed as one argument; register.ts builds it from BotDependencies. */
export interface TapDependencies {
  graph: TapGraph;
  store: TapRequestStore;
  audit: AuditLog;
  roles: TapRoles;
  messenger: TapMessenger;
  vault: TapValueVault;
  settings: TapSettings;
  clock: Clock;
  newId: () => string;
}
