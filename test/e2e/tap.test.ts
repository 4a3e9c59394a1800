import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningStack } from "../../src/dev/start-stack.js";
import { translate } from "../../src/locales/translate.js";
import { browserSkipReason, launchBrowser, type RunningBrowser } from "../support/browser.js";
import { step } from "../support/journey-step.js";
import { PlaygroundApi } from "../support/playground-api.js";
import { PlaygroundPage } from "../support/playground-page.js";
import { type ExtraPlayground, startExtraPlayground, startTestStack } from "../support/stack.js";

const skipReason = browserSkipReason();
if (skipReason) console.warn(skipReason);

const en = (key: string, params?: Record<string, string | number>) => translate("en", key, params);
/** Password only, in TAP eligible, managed by `manager`: every TAP precondition passes (docs/personas.md). */
const TARGET = "no-mfa-method";
const REASON = "Lost her phone; no way to sign in with MFA";

/** Action.Execute requests agent-1's page sent, so one can be replayed through the Playground API. */
interface RecordedInvoke {
  conversation: { id: string };
  replyToId: string;
  value: { action: { verb: string; data?: Record<string, unknown> } };
}

interface EmulatorRequest {
  method: string;
  path: string;
  status: number;
}

/**
 * The whole TAP flow with three people, each in their own Agents Playground on the same bot: agent-1 (the stack's
 * page) requests, the target confirms in her chat, the manager — who opens the bot only after the request — finds it
 * on his welcome card and with `approvals`, approves, and agent-1 presses Issue and show: the pass is created in that
 * turn and shown once.
 */
describe.skipIf(Boolean(skipReason))(
  "TAP request → confirm → approve (manager opening the bot late) → issue and show in the Agents Playground (Chromium)",
  () => {
    let stack: RunningStack;
    let targetPlayground: ExtraPlayground;
    let managerPlayground: ExtraPlayground;
    let browser: RunningBrowser;
    let agent: PlaygroundPage;
    let target: PlaygroundPage;
    let manager: PlaygroundPage;
    let targetName = "";
    let targetId = "";
    const invokes: RecordedInvoke[] = [];

    beforeAll(async () => {
      stack = await startTestStack({ as: "agent-1" });
      [targetPlayground, managerPlayground, browser] = await Promise.all([
        startExtraPlayground(stack, TARGET),
        startExtraPlayground(stack, "manager"),
        launchBrowser(),
      ]);
      targetName = targetPlayground.persona.displayName;
      targetId = targetPlayground.persona.objectId;
      agent = new PlaygroundPage(browser.page);
      browser.page.on("request", (request: Request) => {
        if (request.method() === "POST" && request.url().includes("/_conversation/v1/invoke")) {
          invokes.push(request.postDataJSON() as RecordedInvoke);
        }
      });
      target = new PlaygroundPage(await browser.openPage());
      manager = new PlaygroundPage(await browser.openPage());
      // Opening each chat installs the bot for that person, as Teams does: their chat can now receive cards.
      // One tab at a time: a background tab gets no animation frames, which Playwright's clicks wait for.
      // The manager opens his chat only after the request (see below).
      for (const [page, url] of [
        [target, targetPlayground.url],
        [agent, stack.playgroundUrl],
      ] as const) {
        await page.open(url);
        await page.cardWith(en("common.welcomeTitle")).first().waitFor({ state: "visible", timeout: 20_000 });
      }
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await Promise.all([targetPlayground?.stop(), managerPlayground?.stop()]);
      await stack?.stop();
    });

    it("takes one request from agent-1's form through the target's confirmation and the manager's approval (he opens the bot late) to Issue and show, shown once", async () => {
      // One journey: each step acts on the request the step before left, so the steps are one test (test/support/journey-step.ts).
      await step(
        "agent-1 opens the request form from the triage evidence card's Request TAP and sends it",
        async () => {
          await agent.front();
          await agent.send(`triage ${targetPlayground.persona.userPrincipalName}`);
          const evidence = agent.cardWith(en("triage.evidenceTitle", { name: targetName })).last();
          await evidence.waitFor({ state: "visible", timeout: 20_000 });
          expect(await agent.cardText(evidence)).toContain(en("triage.evidenceNeedsTap"));
          await evidence.locator(`button[aria-label="${en("triage.requestTap")}"]`).click();

          const form = agent.cardWith(en("tap.formTitle")).last();
          await form.waitFor({ state: "visible", timeout: 15_000 });
          expect(await agent.cardText(form)).toContain(targetName);
          await form.getByLabel(en("tap.formReason")).fill(REASON);
          await form.getByLabel(en("tap.verifyVideoCallPhotoId")).check();
          await browser.screenshot("tap-01-agent-request-form");
          await form.locator(`button[aria-label="${en("tap.formSubmit")}"]`).click();

          const submitted = agent.cardWith(en("tap.statusSubmittedToTarget")).last();
          await submitted.waitFor({ state: "visible", timeout: 15_000 });
          await browser.screenshot("tap-02-agent-request-submitted");
        },
      );

      await step("the target is asked in her own chat to confirm; she confirms", async () => {
        await target.front();
        const confirm = target.cardWith(en("tap.confirmTitle")).last();
        await confirm.waitFor({ state: "visible", timeout: 15_000 });
        await browser.screenshot("tap-03-target-confirm-card", target.page);
        await confirm.locator(`button[aria-label="${en("tap.confirmYes")}"]`).click();
        // The manager has never opened the bot, so the approval card cannot reach him yet: she is told so.
        const { displayName, userPrincipalName } = managerPlayground.persona;
        const who = `${displayName} (${userPrincipalName})`;
        await target
          .cardWith(en("tap.statusDeliveryFailedTo", { who }))
          .last()
          .waitFor({ state: "visible", timeout: 15_000 });
        await browser.screenshot("tap-04-target-confirmed", target.page);
      });

      await step(
        "the manager opens the bot after the request: the welcome says a decision waits, `approvals` shows the card; he approves and nothing is created yet",
        async () => {
          await manager.open(managerPlayground.url);
          const welcome = manager.cardWith(en("common.welcomeTitle")).first();
          await welcome.waitFor({ state: "visible", timeout: 20_000 });
          expect(await manager.cardText(welcome)).toContain(en("tap.pendingApprovalsNote", { count: 1 }));
          await manager.send("approvals");
          const approval = manager.cardWith(en("tap.approvalTitle")).last();
          await approval.waitFor({ state: "visible", timeout: 15_000 });
          const text = await manager.cardText(approval);
          expect(text).toContain(targetName);
          expect(text).toContain(REASON);
          expect(text).toContain(en("tap.confirmationConfirmed"));
          await browser.screenshot("tap-05-manager-approval-card", manager.page);
          await approval.locator(`button[aria-label="${en("tap.approvalApprove")}"]`).click();
          await manager.cardWith(en("tap.statusApprovedToAgent")).last().waitFor({ state: "visible", timeout: 15_000 });
          await browser.screenshot("tap-06-manager-approved", manager.page);
          expect(await tapPosts()).toHaveLength(0);
        },
      );

      await step(
        "agent-1 presses Issue and show: the pass is created and shown once; after Hide it is nowhere on the page, and no second TAP was created",
        async () => {
          await agent.front();
          const issued = agent.cardWith(en("tap.approvedReadyTitle")).last();
          await issued.waitFor({ state: "visible", timeout: 15_000 });
          await issued.locator(`button[aria-label="${en("tap.issueAndShow")}"]`).click();

          const card = agent.cardWith(en("tap.revealedOnce")).last();
          await card.waitFor({ state: "visible", timeout: 15_000 });
          // The value is a monospace TextRun of a RichTextBlock; the bot replaces this card by itself after 60 s, long after
          // this read.
          const revealed = (await agent.monospaceText(card)).trim();
          expect(revealed).toMatch(/^\S{8,}$/);
          await browser.screenshot("tap-07-agent-revealed");
          expect(await countOnPage(agent, revealed)).toBeGreaterThan(0);

          await card.locator(`button[aria-label="${en("tap.hide")}"]`).click();
          await agent.cardWith(en("tap.statusRevealedHidden")).last().waitFor({ state: "visible", timeout: 15_000 });
          await browser.screenshot("tap-08-agent-hidden");
          expect(await countOnPage(agent, revealed)).toBe(0);

          // Pressing Reveal again (the page's own request, replayed as agent-1 through the Playground API, whose answer the
          // page does not redraw) renders the card without the value: it was handed out once and is held nowhere.
          const reveal = invokes.find((invoke) => invoke.value.action.verb === "tap.reveal");
          expect(reveal, "the page sent tap.reveal").toBeDefined();
          if (!reveal) return;
          const again = await new PlaygroundApi(stack.playgroundUrl).invoke({
            conversationId: reveal.conversation.id,
            fromUserId: stack.currentUserId,
            replyToId: reveal.replyToId,
            verb: "tap.reveal",
            data: reveal.value.action.data,
          });
          expect(JSON.stringify(again)).toContain(en("tap.statusRevealedAlready"));
          expect(JSON.stringify(again)).not.toContain(revealed);
          expect(await countOnPage(agent, revealed)).toBe(0);
          for (const page of [target, manager]) expect(await countOnPage(page, revealed)).toBe(0);
          expect(await tapPosts()).toHaveLength(1);
          // The automatic hide was scheduled on the card the agent clicked (the Playground sends its id as replyToId).
          expect(reveal.replyToId).toEqual(expect.any(String));
          expect(botEvents()).not.toContain("tap.autoHideImpossible");
          expect(botEvents()).not.toContain("tap.autoHideFailed");
        },
      );
    }, 120_000);

    /** The `event` of every JSON line the bot has logged so far. */
    function botEvents(): string[] {
      return readFileSync(join(stack.logDir, "bot.log"), "utf8")
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => String((JSON.parse(line) as { event?: unknown }).event));
    }

    /** POSTs that created a TAP for the target, from the emulator's request log. */
    async function tapPosts(): Promise<EmulatorRequest[]> {
      const response = await fetch(`${stack.emulatorUrl}/_emulator/request-log`);
      const log = (await response.json()) as { value: EmulatorRequest[] };
      return log.value.filter(
        (request) =>
          request.method === "POST" &&
          request.path.toLowerCase().includes(`/users/${targetId}/authentication/temporaryaccesspassmethods`),
      );
    }
  },
);

/**
 * How often `value` appears in the page's text and attributes (read from the DOM, not serialized HTML: a TAP may hold
 * `&` or `<`, which the markup escapes).
 */
async function countOnPage(playground: PlaygroundPage, value: string): Promise<number> {
  return playground.page.evaluate((needle) => {
    let count = (document.body.textContent ?? "").split(needle).length - 1;
    for (const element of document.querySelectorAll("*")) {
      for (const attribute of element.attributes) count += attribute.value.split(needle).length - 1;
    }
    return count;
  }, value);
}
