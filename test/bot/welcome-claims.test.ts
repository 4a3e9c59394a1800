import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/bot/create-logger.js";
import { type RunningApp, startApp } from "../../src/index.js";
import { translate } from "../../src/locales/translate.js";
import { botConfigOver } from "../support/bot-config.js";
import { cardOf, cardTexts, expectReplies, teamsActivity } from "../support/bot-http.js";
import { usePracticeServices } from "../support/practice-services.js";

const practice = usePracticeServices();
let app: RunningApp;
let newApp: () => Promise<RunningApp>;

beforeAll(async () => {
  const config = botConfigOver(practice);
  newApp = () => startApp(config, { logger: createLogger("silent") });
  app = await newApp();
});

afterAll(async () => {
  await app?.close();
});

const welcomeTitle = translate("en", "common.welcomeTitle");
const botId = "28:passkey-helpdesk";

/** Someone new opening the bot for the first time: a personal chat of their own. */
const newcomer = (n: number) => ({
  aadObjectId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  displayName: `Newcomer ${n}`,
});

/** What Teams sends when a personal chat opens: both events, at once. */
const installEvents = (caller: { aadObjectId: string }) => [
  teamsActivity(caller, { type: "installationUpdate", action: "add" }),
  teamsActivity(caller, { type: "conversationUpdate", membersAdded: [{ id: botId }] }),
];

const welcomesIn = (replies: Array<Record<string, unknown>>) =>
  replies.filter((reply) => cardTexts(cardOf(reply)).includes(welcomeTitle)).length;

async function openChat(caller: { aadObjectId: string }, target = app): Promise<number> {
  const replies = await Promise.all(installEvents(caller).map((event) => expectReplies(target.url, event)));
  return welcomesIn(replies.flat());
}

describe("the welcome card", () => {
  it("goes out once when installationUpdate and conversationUpdate arrive at the same moment", async () => {
    const counts = await Promise.all([1, 2, 3, 4, 5].map((n) => openChat(newcomer(n))));
    expect(counts).toEqual([1, 1, 1, 1, 1]);
  });

  it("goes out once when the two events reach two bot instances sharing storage", async () => {
    const second = await newApp();
    try {
      const caller = newcomer(10);
      const [install, update] = installEvents(caller);
      const replies = await Promise.all([
        expectReplies(app.url, install as object),
        expectReplies(second.url, update as object),
      ]);
      expect(welcomesIn(replies.flat())).toBe(1);
    } finally {
      await second.close();
    }
  });

  it("is not sent again for a conversation already welcomed, but is for a new conversation of the same person", async () => {
    const caller = newcomer(20);
    expect(await openChat(caller)).toBe(1);
    expect(await openChat(caller)).toBe(0);
    const otherChat = teamsActivity(caller, {
      type: "installationUpdate",
      action: "add",
      conversation: { id: "a:personal-chat-after-restart", conversationType: "personal" },
    });
    expect(welcomesIn(await expectReplies(app.url, otherChat))).toBe(1);
  });

  it("is sent again when the app is removed and installed again", async () => {
    const caller = newcomer(30);
    expect(await openChat(caller)).toBe(1);
    await expectReplies(app.url, teamsActivity(caller, { type: "installationUpdate", action: "remove" }));
    expect(await openChat(caller)).toBe(1);
  });
});
