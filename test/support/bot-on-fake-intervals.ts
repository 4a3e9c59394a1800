import { vi } from "vitest";
import { createLogger } from "../../src/bot/create-logger.js";
import type { AppConfig } from "../../src/config.js";
import { type RunningApp, startApp } from "../../src/index.js";

/**
 * Runs `body` against the whole bot (over HTTP, logging nothing) started with only setInterval and clearInterval faked:
 * the test moves the bot's minute checks and sweeps on with `vi.advanceTimersByTime`, while storage, Graph and the
 * connector still answer over real sockets and real timeouts. Then closes the bot and returns how many intervals are
 * still running, for the test to expect 0: closing the bot must stop everything it started. Real timers come back and
 * the bot is closed even when `body` fails.
 */
export async function runBotOnFakeIntervals(
  config: AppConfig,
  body: (app: RunningApp) => Promise<void>,
): Promise<number> {
  vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
  let app: RunningApp | undefined;
  try {
    app = await startApp(config, { logger: createLogger("silent") });
    await body(app);
    await app.close();
    app = undefined;
    return vi.getTimerCount();
  } finally {
    vi.useRealTimers();
    await app?.close();
  }
}
