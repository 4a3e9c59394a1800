import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";
export const SCREENSHOT_DIR = resolve(__dirname, "../../test-results/e2e");

/**
 * Browser tests run wherever Debian's Chromium is installed, and always in CI (where a missing browser is a failure,
 * not a skip). Outside CI without Chromium they skip with this reason.
 */
export function browserSkipReason(): string | undefined {
  if (existsSync(CHROMIUM_PATH) || process.env.CI) return undefined;
  return `browser tests skipped: ${CHROMIUM_PATH} is absent (apt-get install -y chromium); CI runs them`;
}

export interface RunningBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Saves test-results/e2e/<name>.png of `of` (default: the first page) and returns its path. */
  screenshot(name: string, of?: Page): Promise<string>;
  /** Another tab in the same browser, e.g. for a second person's Playground (each on its own origin). */
  openPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Flags that keep Chromium off the network: no name lookups but localhost, no background traffic. */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  // Each person's Playground is a tab of its own; a background tab's timers would otherwise run once a second.
  "--disable-background-timer-throttling",
  "--disable-backgrounding-occluded-windows",
  "--disable-renderer-backgrounding",
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
];

/** Headless Debian Chromium with a fresh profile; requests to any host but localhost/127.0.0.1 are aborted. */
export async function launchBrowser(): Promise<RunningBrowser> {
  const profile = mkdtempSync(join(tmpdir(), "passkey-helpdesk-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  await context.route("**/*", (route) => {
    const { protocol, hostname } = new URL(route.request().url());
    const isLocal = hostname === "localhost" || hostname === "127.0.0.1";
    if (isLocal || protocol === "data:" || protocol === "blob:") return route.continue();
    return route.abort("blockedbyclient");
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const browser = context.browser() as Browser;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    browser,
    context,
    page,
    async screenshot(name, of = page) {
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      await of.screenshot({ path, fullPage: true });
      return path;
    },
    openPage: () => context.newPage(),
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
