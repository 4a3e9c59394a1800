import { expireTapRequests } from "./expire-tap-requests.js";
import { reconcileTapRequests } from "./reconcile-tap-requests.js";
import type { TapDependencies } from "./tap-dependencies.js";
import { watchIssuedTaps } from "./watch-issued-taps.js";

const SWEEP_INTERVAL_MS = 60_000;

export interface TapSweeper {
  /** One pass of the background work (reconciliation, expiry, auto-revoke watcher); tests call it directly. */
  sweep(): Promise<void>;
  stop(): void;
}

/**
 * The TAP capability's background work, once a minute: finishes issuances a crash interrupted, expires requests
 * nobody decided, and revokes passes that were used. A pass never overlaps the one before it; a failed pass is logged
 * and the next one tries again.
 */
export function startTapSweeper(
  deps: TapDependencies,
  logger: { warn(fields: object, message: string): void },
  intervalMs = SWEEP_INTERVAL_MS,
): TapSweeper {
  const sweep = async () => {
    await reconcileTapRequests(deps);
    await expireTapRequests(deps);
    await watchIssuedTaps(deps);
  };
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweep()
      .catch((error: unknown) => logger.warn({ err: error, event: "tap.sweepFailed" }, "TAP background sweep failed"))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return { sweep, stop: () => clearInterval(timer) };
}
