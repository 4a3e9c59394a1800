import type { Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningStack } from "../../src/dev/start-stack.js";
import { translate } from "../../src/locales/translate.js";
import { browserSkipReason, launchBrowser, type RunningBrowser } from "../support/browser.js";
import { PlaygroundPage } from "../support/playground-page.js";
import { type ExtraPlayground, startExtraPlayground, startTestStack } from "../support/stack.js";

const skipReason = browserSkipReason();
if (skipReason) console.warn(skipReason);

const en = (key: string, params?: Record<string, string | number>) => translate("en", key, params);
const END_USER = "windows-hello-blocked";
const AGENT = "agent-1";

/**
 * One stack (its Playground acts as the end user) and a second Playground on the same bot acting as agent-1: two
 * people, each in their own Teams client, one bot. The stack keeps the practice tenant's times current, so the
 * expected answers of docs/personas.md hold however long the file takes.
 */
describe.skipIf(Boolean(skipReason))("Passkey triage in the Microsoft 365 Agents Playground (Chromium)", () => {
  let stack: RunningStack;
  let agentPlayground: ExtraPlayground;
  let browser: RunningBrowser;
  let user: PlaygroundPage;
  let agent: PlaygroundPage;

  beforeAll(async () => {
    stack = await startTestStack({ as: END_USER });
    [agentPlayground, browser] = await Promise.all([startExtraPlayground(stack, AGENT), launchBrowser()]);
    user = new PlaygroundPage(browser.page);
    agent = new PlaygroundPage(await browser.openPage());
    // One tab at a time: a background tab gets no animation frames, which Playwright's clicks wait for.
    await agent.open(agentPlayground.url);
    await user.open(stack.playgroundUrl);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await agentPlayground?.stop();
    await stack?.stop();
  });

  it("shows the end user, after “I can't add a passkey” and Windows, question 4 as what blocks them and what to do", async () => {
    await user.front();
    await user.send("I can't add a passkey");
    const platformCard = user.cardWith(en("triage.platformTitle")).last();
    await platformCard.waitFor({ state: "visible", timeout: 15_000 });
    await browser.screenshot("triage-01-user-platform-card");
    await platformCard.locator(`button[aria-label="${en("triage.platformWindows")}"]`).click();

    const blockedBy = en("triage.headlineBlocked", { question: en("triage.questionAuthenticator") });
    const result = user.cardWith(blockedBy).last();
    await result.waitFor({ state: "visible", timeout: 20_000 });
    await browser.screenshot("triage-02-user-result-card");

    const text = await user.cardText(result);
    expect(text).toContain(en("triage.resultTitle", { name: stack.persona.displayName }));
    expect(text).toContain(en("triage.blockingBadge"));
    // The badge sits with question 4, and with no other question.
    expect(await questionWithBadge(result)).toBe(en("triage.questionAuthenticator"));
    expect(text).toContain(en("triage.whatToDo"));
    expect(text).toContain(en("diagnosis.authenticator.userFix.useAccepted", { names: "" }).replace(/[.:]\s*$/, ""));
    expect(text).toContain("Microsoft Authenticator");
    // Nothing else is blocking: the first three questions are answered OK.
    expect(text.split(en("triage.verdictFail")).length - 1).toBe(1);
  });

  it("shows agent-1, after `triage <UPN>`, the evidence card with methods, authenticator names, groups and Request TAP", async () => {
    const upn = stack.personas.find((persona) => persona.key === END_USER)?.userPrincipalName;
    expect(upn).toBe("windows-hello-blocked@contosopractice.onmicrosoft.com");
    await agent.front();
    await agent.send(`triage ${upn}`);
    const evidence = agent.cardWith(en("triage.evidenceTitle", { name: stack.persona.displayName })).last();
    // The end user's triage just spent most of the tenant's reports budget (5 requests / 10 s): the bot waits for it.
    await evidence.waitFor({ state: "visible", timeout: 40_000 });
    await browser.screenshot("triage-03-agent-evidence-card", agent.page);

    const text = await agent.cardText(evidence);
    for (const heading of ["evidenceVerdicts", "evidenceMethods", "evidenceGroups", "evidenceProfiles"]) {
      expect(text).toContain(en(`triage.${heading}`));
    }
    // His methods (Authenticator on the Pixel 8, no passkey yet) and each policy group with his membership.
    expect(text).toMatch(/microsoftAuthenticator\s*Pixel 8/);
    expect(text).toMatch(/Passkey \+: Passkey pilot ring \(0a11e3b0-0000-4000-8000-000000000010\)\s*member/);
    expect(text).toMatch(
      /Passkey −: Passkey rollout - excluded \(0a11e3b0-0000-4000-8000-000000000013\)\s*not a member/,
    );
    expect(text).toContain("Default passkey profile");
    await expect(evidence.locator(`button[aria-label="${en("triage.requestTap")}"]`).count()).resolves.toBe(1);
  }, 60_000);

  it("names each passkey's authenticator by its AAGUID on the evidence card (all-good's YubiKey)", async () => {
    const allGood = stack.personas.find((persona) => persona.key === "all-good");
    if (!allGood) throw new Error("The practice tenant must have the all-good persona");
    await agent.front();
    await agent.send(`triage ${allGood.userPrincipalName}`);
    const evidence = agent.cardWith(en("triage.evidenceTitle", { name: allGood.displayName })).last();
    await evidence.waitFor({ state: "visible", timeout: 20_000 });
    await evidence.scrollIntoViewIfNeeded();
    await browser.screenshot("triage-04-agent-evidence-aaguid-names", agent.page);
    expect(await agent.cardText(evidence)).toMatch(/fido2\s*.*ee882879-721c-4913-9775-3dfcce97072a \(YubiKey 5/);
  });
});

/** The question title in the same container as the "blocking" badge. */
async function questionWithBadge(card: Locator): Promise<string> {
  const badge = card.locator(".ac-textBlock", { hasText: en("triage.blockingBadge") });
  expect(await badge.count()).toBe(1);
  const questions = ["questionPolicyScope", "questionFreshMfa", "questionPlatform", "questionAuthenticator"].map(
    (key) => en(`triage.${key}`),
  );
  // Walk up from the badge until a container holds exactly one question title.
  return badge.evaluate((node, titles) => {
    let element: Element | null = node;
    while (element) {
      const text = (element as HTMLElement).innerText ?? "";
      const found = titles.filter((title) => text.includes(title));
      if (found.length === 1) return found[0] as string;
      if (found.length > 1) return `several: ${found.join(", ")}`;
      element = element.parentElement;
    }
    return "none";
  }, questions);
}

const cs = (key: string, params?: Record<string, string | number>) => translate("cs", key, params);

/**
 * An end user with a security key: "my yubikey doesn't work" leads to the model picker, the model to a verdict; the
 * same in Czech, typed in a client that reports en-US.
 */
describe.skipIf(Boolean(skipReason))("A security key in the Agents Playground: no dead ends (Chromium)", () => {
  let stack: RunningStack;
  let browser: RunningBrowser;
  let user: PlaygroundPage;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startTestStack({ as: "yubikey-allowed" }), launchBrowser()]);
    user = new PlaygroundPage(browser.page);
    await user.open(stack.playgroundUrl);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function pickModelAndCheck(picker: Locator, model: string, check: string): Promise<void> {
    const input = picker.locator("input, select").first();
    if ((await input.evaluate((node) => node.tagName)) === "SELECT") {
      await input.selectOption({ label: model });
    } else {
      // A filtered choice set: type to filter, then pick the option, as a person does.
      await input.click();
      await input.fill(model);
      await input.press("Enter");
    }
    await picker.locator(`button[aria-label="${check}"]`).click();
  }

  it("walks 'my yubikey doesn't work' through the model picker to a verdict", async () => {
    await user.front();
    await user.send("my yubikey doesn't work");
    const picker = user.cardWith(en("triage.keyModelTitle")).last();
    await picker.waitFor({ state: "visible", timeout: 15_000 });
    await browser.screenshot("triage-10-user-key-model-picker");
    await pickModelAndCheck(picker, "YubiKey 5 Series with NFC", en("triage.keyModelCheck"));

    const result = user.cardWith(en("triage.headlineAllPass")).last();
    await result.waitFor({ state: "visible", timeout: 20_000 });
    await browser.screenshot("triage-11-user-key-verdict");
    const text = await user.cardText(result);
    expect(text).toContain(en("triage.resultAuthenticator", { name: "YubiKey 5 Series with NFC" }));
    expect(text).not.toMatch(/AAGUID|Graph|attestation/i);
  }, 60_000);

  it("answers the same in Czech when the person writes Czech, though the client reports en-US", async () => {
    await user.front();
    await user.send("můj yubikey nefunguje");
    const picker = user.cardWith(cs("triage.keyModelTitle")).last();
    await picker.waitFor({ state: "visible", timeout: 15_000 });
    await pickModelAndCheck(picker, "YubiKey 5 Series with NFC", cs("triage.keyModelCheck"));
    const result = user.cardWith(cs("triage.headlineAllPass")).last();
    await result.waitFor({ state: "visible", timeout: 20_000 });
    await browser.screenshot("triage-12-user-key-verdict-czech");
    expect(await user.cardText(result)).toContain(cs("triage.resultTitle", { name: stack.persona.displayName }));
  }, 60_000);
});
