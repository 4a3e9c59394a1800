import type { Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { playgroundUserId } from "../../src/dev/playground-config.js";
import type { RunningStack } from "../../src/dev/start-stack.js";
import en from "../../src/locales/en/common.json";
import { browserSkipReason, launchBrowser, type RunningBrowser } from "../support/browser.js";
import { PlaygroundApi } from "../support/playground-api.js";
import { PlaygroundPage } from "../support/playground-page.js";
import { startTestStack } from "../support/stack.js";

const skipReason = browserSkipReason();
if (skipReason) console.warn(skipReason);

/** Action.Execute requests the page sent, so the API can replay one as another user. */
interface RecordedInvoke {
  conversation: { id: string };
  replyToId: string;
  value: { action: { verb: string; data?: Record<string, unknown> } };
}

describe.skipIf(Boolean(skipReason))("Passkey Helpdesk in the Microsoft 365 Agents Playground (Chromium)", () => {
  let stack: RunningStack;
  let browser: RunningBrowser;
  let playground: PlaygroundPage;
  const invokes: RecordedInvoke[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ as: "windows-hello-blocked" });
    browser = await launchBrowser();
    playground = new PlaygroundPage(browser.page);
    browser.page.on("request", (request: Request) => {
      if (request.method() === "POST" && request.url().includes("/_conversation/v1/invoke")) {
        invokes.push(request.postDataJSON() as RecordedInvoke);
      }
    });
    await playground.open(stack.playgroundUrl);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it("shows the welcome card when the end user opens the personal chat", async () => {
    const card = playground.page.locator(".ac-adaptiveCard", { hasText: en.welcomeTitle }).first();
    await card.waitFor({ state: "visible", timeout: 20_000 });
    await browser.screenshot("01-welcome");
    expect(await playground.cardText(card)).toContain(en.welcomeTitle);
    await expect(card.locator(`button[aria-label="${en.welcomeCheckButton}"]`).count()).resolves.toBe(1);
  });

  it("answers 'help' with the end user's help card", async () => {
    const helpCards = playground.page.locator(".ac-adaptiveCard", { hasText: en.helpTitleUser });
    const before = await helpCards.count();
    await playground.send("help");
    await expect.poll(() => helpCards.count(), { timeout: 15_000 }).toBeGreaterThan(before);
    await browser.screenshot("02-help-user");
    const text = await playground.cardText(helpCards.last());
    expect(text).toContain(en.helpUserCheck);
    expect(text).not.toContain(en.helpTitleAgent);
  });

  it("answers a click on the welcome card's help button with the help card (card action round trip)", async () => {
    const helpCards = playground.page.locator(".ac-adaptiveCard", { hasText: en.helpTitleUser });
    const before = await helpCards.count();
    const welcome = playground.page.locator(".ac-adaptiveCard", { hasText: en.welcomeTitle }).first();
    await welcome.locator(`button[aria-label="${en.helpButton}"]`).click();
    await expect.poll(() => helpCards.count(), { timeout: 15_000 }).toBeGreaterThan(before);
    await browser.screenshot("03-help-button-round-trip");
    expect(invokes.some((invoke) => invoke.value.action.verb === "help.show")).toBe(true);
  });

  it("shows a help-desk agent the agent tools when agent-1 presses the same button (Playground API)", async () => {
    const pressed = invokes.find((invoke) => invoke.value.action.verb === "help.show");
    const agent = stack.others.find((persona) => persona.key === "agent-1");
    expect(pressed, "the page sent the help.show invoke").toBeDefined();
    expect(agent, "agent-1 is one of the Playground's users").toBeDefined();
    if (!pressed || !agent) return;
    const response = await new PlaygroundApi(stack.playgroundUrl).invoke({
      conversationId: pressed.conversation.id,
      fromUserId: playgroundUserId(agent),
      replyToId: pressed.replyToId,
      verb: "help.show",
      data: pressed.value.action.data,
    });
    const answer = JSON.stringify(response);
    expect(answer).toContain(en.helpTitleAgent);
    expect(answer).not.toContain(en.helpTitleUser);
  });
});
