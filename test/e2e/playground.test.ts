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
    // installationUpdate and conversationUpdate both arrived before this reply; only one of them welcomed.
    await expect(playground.page.locator(".ac-adaptiveCard", { hasText: en.welcomeTitle }).count()).resolves.toBe(1);
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

  it("shows agent-1 the help-desk agent's tools when agent-1 presses help on a card in the group chat (Playground API)", async () => {
    const api = new PlaygroundApi(stack.playgroundUrl);
    const agent = stack.others.find((persona) => persona.key === "agent-1");
    expect(agent, "agent-1 is one of the Playground's users").toBeDefined();
    if (!agent) return;
    const stream = await api.openMessageStream();
    try {
      const groupChat = stack.conversations.groupChat;
      await api.sendMessage({
        conversationId: groupChat,
        fromUserId: stack.currentUserId,
        text: "help",
        mention: { botId: stack.botId, botName: stack.botName },
      });
      const card = await stream.waitFor(
        (message) => message.conversationId === groupChat && (message.attachments?.length ?? 0) > 0,
      );
      // The page only ever acts as the current user; the Playground's invoke API accepts any member of the chat.
      const response = await api.invoke({
        conversationId: groupChat,
        fromUserId: playgroundUserId(agent),
        replyToId: card.messageId,
        verb: "help.show",
      });
      const answer = JSON.stringify(response);
      expect(answer).toContain(en.helpTitleAgent);
    } finally {
      stream.close();
    }
  });
});
