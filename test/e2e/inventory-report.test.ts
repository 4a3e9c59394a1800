import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderInventoryHtml } from "../../src/capabilities/inventory/render-inventory-html.js";
import { browserSkipReason, launchBrowser, type RunningBrowser } from "../support/browser.js";
import { inventoryPracticeTenant, type PracticeInventory } from "../support/practice-inventory.js";

const skip = browserSkipReason();
let practice: PracticeInventory;
let browser: RunningBrowser;

beforeAll(async () => {
  if (skip) return;
  practice = await inventoryPracticeTenant();
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await practice?.stop();
});

describe.skipIf(skip)("the HTML inventory report", () => {
  it("opens in Chromium with no network, draws its three charts and lists the insights", async () => {
    const html = renderInventoryHtml({
      tenantName: "Contoso (practice)",
      generatedDateTime: "2026-11-22T10:00:00.000Z",
      snapshotId: "practice-full",
      insights: practice.insights,
      rings: practice.rings,
    });
    const outside: string[] = [];
    browser.page.on("request", (request) => {
      if (!request.url().startsWith("data:") && request.url() !== "about:blank") outside.push(request.url());
    });
    await browser.page.setContent(html, { waitUntil: "load" });
    await browser.page.waitForSelector("body[data-charts-ready='true']", { timeout: 10_000 });
    const drawn = await browser.page.$$eval("canvas", (canvases) =>
      canvases.map((canvas) => (canvas as HTMLCanvasElement).toDataURL().length),
    );
    expect(drawn).toHaveLength(3);
    for (const size of drawn) expect(size).toBeGreaterThan(2000);
    const text = await browser.page.innerText("body");
    expect(text).toContain("Samir Haddad");
    expect(text).toContain("dana.kovac@");
    expect(text).toContain("Passkey pilot ring");
    expect(outside).toEqual([]);
    await browser.screenshot("inventory-report");
  });
});
