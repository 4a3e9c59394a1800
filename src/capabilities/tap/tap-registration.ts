import type { AuditLedger } from "../../storage/audit-ledger.js";
import { startTapSweeper } from "./start-tap-sweeper.js";
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

/**
 * Starts the TAP capability's background work on `app` (the sweeper) and records it: `stop` ends the sweeper and
 * whatever else the caller started for the capability (`stopAlso`, e.g. the auto-hide card replacer).
 */
export function startTapRegistration(
  app: object,
  parts: {
    deps: TapDependencies;
    ledger: AuditLedger;
    logger: Parameters<typeof startTapSweeper>[1];
    stopAlso: () => void;
  },
): TapRegistration {
  const sweeper = startTapSweeper(parts.deps, parts.logger);
  const registration: TapRegistration = {
    deps: parts.deps,
    ledger: parts.ledger,
    sweep: sweeper.sweep,
    revealAutoHideMs: REVEAL_AUTO_HIDE_MS,
    stop: () => {
      sweeper.stop();
      parts.stopAlso();
    },
  };
  rememberTapRegistration(app, registration);
  return registration;
}
