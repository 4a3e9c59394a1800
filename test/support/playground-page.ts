import type { Locator, Page } from "playwright-core";

/** The Agents Playground's page, through the selectors its UI exposes (stack.md). */
export class PlaygroundPage {
  constructor(readonly page: Page) {}

  /** Opens the Playground and the personal chat with the bot (which sends the install/conversationUpdate). */
  async open(url: string): Promise<void> {
    await this.front();
    await this.page.goto(url, { waitUntil: "domcontentloaded" });
    const chat = this.page.locator('[role="treeitem"][aria-label="Personal Chat"]');
    if (await chat.count()) await chat.first().click();
    await this.messageBox().waitFor({ state: "visible" });
  }

  /**
   * Brings this tab to the front. Headless Chromium suspends animation frames in background tabs, and Playwright waits
   * for frames before each click or fill, so acting on a background person's tab costs seconds per action.
   */
  async front(): Promise<this> {
    await this.page.bringToFront();
    return this;
  }

  messageBox(): Locator {
    return this.page.locator('[role="textbox"][contenteditable="true"]').first();
  }

  cards(): Locator {
    return this.page.locator(".ac-adaptiveCard");
  }

  /** Every card on the page whose text contains `text` (oldest first). */
  cardWith(text: string): Locator {
    return this.page.locator(".ac-adaptiveCard", { hasText: text });
  }

  /** Waits until at least `count` cards are on the page; returns the newest. */
  async waitForCardCount(count: number, timeoutMs = 15_000): Promise<Locator> {
    await this.page.waitForFunction(
      (expected) => document.querySelectorAll(".ac-adaptiveCard").length >= expected,
      count,
      { timeout: timeoutMs },
    );
    return this.cards().last();
  }

  async send(text: string): Promise<void> {
    const box = this.messageBox();
    await box.click();
    await box.fill(text);
    await this.page.locator('button[aria-label="Send Message"]').click();
  }

  /**
   * The text a card shows in a monospace font, one line per element: TextBlocks (`.ac-textBlock`) and the TextRuns of
   * RichTextBlocks (`.ac-textRun`, spans the Playground styles inline). Read by computed font, as a person sees it.
   */
  async monospaceText(card: Locator): Promise<string> {
    return card.evaluate((node) => {
      const elements = [...node.querySelectorAll<HTMLElement>(".ac-textBlock, .ac-textRun")];
      const mono = elements.filter((element) => /mono/i.test(getComputedStyle(element).fontFamily));
      return mono.map((element) => element.innerText).join("\n");
    });
  }

  /** The visible text of a card, whitespace collapsed. */
  async cardText(card: Locator): Promise<string> {
    return (await card.innerText()).replace(/\s+/g, " ").trim();
  }
}
