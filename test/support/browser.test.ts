import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_PATH, chooseBrowser, launchBrowser } from "./browser.js";

describe("which Chromium drives the browser tests", () => {
  it.each([
    { env: {}, hasSystem: true, expected: { kind: "system", executablePath: CHROMIUM_PATH } },
    { env: {}, hasSystem: false, expected: { kind: "bundled" } },
    { env: { E2E_BROWSER: "bundled" }, hasSystem: true, expected: { kind: "bundled" } },
    { env: { E2E_BROWSER: "system" }, hasSystem: false, expected: { kind: "system", executablePath: CHROMIUM_PATH } },
    { env: { E2E_BROWSER: "" }, hasSystem: false, expected: { kind: "bundled" } },
  ])(
    "E2E_BROWSER=$env.E2E_BROWSER with Debian's Chromium $hasSystem → $expected.kind",
    ({ env, hasSystem, expected }) => {
      expect(chooseBrowser(env, hasSystem)).toEqual(expected);
    },
  );

  it("refuses an E2E_BROWSER it does not know, naming the choices", () => {
    expect(() => chooseBrowser({ E2E_BROWSER: "firefox" }, true)).toThrow(/system, bundled or unset/);
  });
});

describe("the Chromium inside @sparticuz/chromium (machines without Debian's)", () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.setHeader("content-type", "text/html; charset=utf-8");
      res.end("<!doctype html><title>fallback</title><p id=greeting>Dobrý den, passkey</p>");
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it("unpacks, loads a local page, reads its text and takes a screenshot, with other hosts blocked", async () => {
    const browser = await launchBrowser({ kind: "bundled" });
    try {
      await browser.page.goto(url);
      expect(await browser.page.textContent("#greeting")).toBe("Dobrý den, passkey");
      const blocked = await browser.page.evaluate(() =>
        fetch("https://example.com/").then(
          () => "reached",
          () => "blocked",
        ),
      );
      expect(blocked).toBe("blocked");
      const png = await browser.page.screenshot();
      expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    } finally {
      await browser.close();
    }
  }, 120_000);
});
