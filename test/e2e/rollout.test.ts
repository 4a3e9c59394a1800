import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningStack } from "../../src/dev/start-stack.js";
import { translate } from "../../src/locales/translate.js";
import { browserSkipReason, launchBrowser, type RunningBrowser } from "../support/browser.js";
import { PlaygroundPage } from "../support/playground-page.js";
import { startTestStack } from "../support/stack.js";

const skipReason = browserSkipReason();
const en = (key: string, params?: Record<string, string | number>) => translate("en", key, params);

/**
 * The administrator's rollout view in the Agents Playground: `inventory` is answered at once and its summary card
 * arrives when the queued run is done (Graph's real reports bucket, 5 requests per 10 s), then `rings` posts the
 * ring readiness card with its funnel chart (Teams on iOS, which draws no charts, shows the FactSet fallback).
 */
describe.skipIf(Boolean(skipReason))("admin's inventory and rings cards in the Agents Playground (Chromium)", () => {
  let stack: RunningStack;
  let browser: RunningBrowser;
  let admin: PlaygroundPage;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startTestStack({ as: "admin" }), launchBrowser()]);
    admin = new PlaygroundPage(browser.page);
    await admin.open(stack.playgroundUrl);
    await admin.cardWith(en("common.welcomeTitle")).first().waitFor({ state: "visible", timeout: 20_000 });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it("inventory answers at once, then posts the summary with the insights", async () => {
    await admin.send("inventory");
    await browser.page.getByText(en("inventory.working")).first().waitFor({ state: "visible", timeout: 20_000 });
    const card = admin.cardWith(en("inventory.summaryTitle")).last();
    await card.waitFor({ state: "visible", timeout: 150_000 });
    const text = await admin.cardText(card);
    expect(text).toContain(en("inventory.insightNoPhishingResistant"));
    expect(text).toContain(en("inventory.insightTaps"));
    // The CSV leaves the chat as a short-lived read-only link (Blob SAS), and it downloads the inventory.
    const href = await card.locator("a, button", { hasText: en("inventory.downloadCsv") }).count();
    expect(href).toBeGreaterThan(0);
    await browser.screenshot("admin-inventory-card");
    // Then the CSV is offered as a file (Teams' file consent card). The Playground (0.2.x) draws no such card and
    // says so; here the summary card's link above is the way to the file.
    await browser.page
      .getByText("File Consent Card is not supported yet")
      .first()
      .waitFor({ state: "visible", timeout: 30_000 });
  }, 180_000);

  it("rings posts each ring's funnel, blockers with their fix and the next step", async () => {
    await admin.send("rings");
    const card = admin.cardWith(en("inventory.ringsTitle")).last();
    await card.waitFor({ state: "visible", timeout: 120_000 });
    const text = await admin.cardText(card);
    expect(text).toContain("Passkey pilot ring");
    expect(text).toContain(en("inventory.funnelMembers"));
    expect(text).toContain(en("inventory.nextStep_fixBlockers"));
    await card.scrollIntoViewIfNeeded();
    await browser.screenshot("admin-rings-card");
  }, 150_000);
});
