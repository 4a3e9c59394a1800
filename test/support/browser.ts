import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";
export const SCREENSHOT_DIR = resolve(__dirname, "../../test-results/e2e");

/** Which Chromium drives the browser tests: Debian's when installed, else the one inside `@sparticuz/chromium`. */
export type BrowserChoice = { kind: "system"; executablePath: string } | { kind: "bundled" };

/**
 * `E2E_BROWSER=bundled` forces the npm package's Chromium even where Debian's is installed (to prove the fresh-machine
 * path), `E2E_BROWSER=system` insists on Debian's; unset, Debian's comes first because it is the one the screenshots
 * were made with and needs no unpacking.
 */
export function chooseBrowser(
  env: Record<string, string | undefined> = process.env,
  hasSystemChromium = existsSync(CHROMIUM_PATH),
): BrowserChoice {
  const wanted = env.E2E_BROWSER?.trim().toLowerCase() || "auto";
  if (wanted === "bundled") return { kind: "bundled" };
  if (wanted === "system" || (wanted === "auto" && hasSystemChromium)) {
    return { kind: "system", executablePath: CHROMIUM_PATH };
  }
  if (wanted !== "auto") throw new Error(`E2E_BROWSER must be system, bundled or unset, got "${env.E2E_BROWSER}"`);
  return { kind: "bundled" };
}

/**
 * Browser tests always run: a machine without Debian's Chromium uses the one shipped in the `@sparticuz/chromium` npm
 * package, so `npm ci && npm test` needs no apt step. Kept as a function so the suites' skip wiring stays one line.
 */
export function browserSkipReason(): string | undefined {
  return undefined;
}

/** Past this age a lock left by a killed test run is taken over (unpacking takes a few seconds). */
const UNPACK_LOCK_STALE_MS = 120_000;

/**
 * The bundled Chromium's path. The package unpacks it into the temp folder on first use and trusts any file already
 * there, so parallel test files must not unpack at once: a directory lock makes the first one unpack and the rest wait.
 */
async function bundledChromiumPath(): Promise<string> {
  const { default: bundled } = await import("@sparticuz/chromium");
  const lock = join(tmpdir(), "passkey-helpdesk-chromium-unpack.lock");
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > UNPACK_LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      else await new Promise((done) => setTimeout(done, 200));
    }
  }
  try {
    return await bundled.executablePath();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
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

/** What the bundled headless shell needs beyond our flags: no zygote process, software GL. */
const BUNDLED_CHROMIUM_ARGS = ["--no-zygote", "--use-gl=angle", "--use-angle=swiftshader", "--disable-dev-shm-usage"];

/** Headless Chromium with a fresh profile; requests to any host but localhost/127.0.0.1 are aborted. */
export async function launchBrowser(choice: BrowserChoice = chooseBrowser()): Promise<RunningBrowser> {
  const profile = mkdtempSync(join(tmpdir(), "passkey-helpdesk-chromium-"));
  const executablePath = choice.kind === "system" ? choice.executablePath : await bundledChromiumPath();
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: choice.kind === "system" ? CHROMIUM_ARGS : [...CHROMIUM_ARGS, ...BUNDLED_CHROMIUM_ARGS],
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
