import type { AuditLedger } from "../../storage/audit-ledger.js";
import type { TapDependencies } from "./tap-dependencies.js";

/** How long a revealed TAP stays on screen before the bot replaces the card with the hidden version. */
export const REVEAL_AUTO_HIDE_MS = 60_000;

export interface TapRegistration {
  deps: TapDependencies;
  ledger: AuditLedger;
  /** One pass of the background work (expiry sweeper, reconciliation, auto-revoke watcher); tests call it directly. */
  sweep(): Promise<void>;
  /** Delay before a revealed card is replaced by the hidden one (REVEAL_AUTO_HIDE_MS; tests shorten it). */
  revealAutoHideMs: number;
  stop(): void;
}

const registrations = new WeakMap<object, TapRegistration>();

/** The TAP capability's dependencies and background work, once registered on `app` (tests reach in through this). */
export function tapRegistrationOf(app: object): TapRegistration | undefined {
  return registrations.get(app);
}

/** Records what registerTap built for `app`. */
export function rememberTapRegistration(app: object, registration: TapRegistration): void {
  registrations.set(app, registration);
}
