import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CardVerbs } from "../../src/bot/card-verbs.js";
import { createLogger } from "../../src/bot/create-logger.js";
import { TurnRateLimiter } from "../../src/bot/turn-rate-limiter.js";
import { translate } from "../../src/locales/translate.js";
import { type RunningServer, startServer } from "../../src/server.js";
import { buildRegisteredBot } from "../support/bot-application.js";
import { cardOf, cardTexts, executeCardAction, expectReplies, teamsActivity } from "../support/bot-http.js";

describe("TurnRateLimiter", () => {
  it("allows a burst, then says how long to wait, then allows again as the bucket refills", () => {
    let now = 0;
    const limiter = new TurnRateLimiter(
      { triageRecheck: { burst: 2, refillMs: 10_000 }, tapAction: { burst: 1, refillMs: 1_000 } },
      () => now,
    );
    expect(limiter.take("a", "triageRecheck")).toEqual({ allowed: true });
    expect(limiter.take("a", "triageRecheck")).toEqual({ allowed: true });
    expect(limiter.take("a", "triageRecheck")).toEqual({ allowed: false, retryAfterSeconds: 10 });
    now += 4_000;
    expect(limiter.take("a", "triageRecheck")).toEqual({ allowed: false, retryAfterSeconds: 6 });
    now += 6_000;
    expect(limiter.take("a", "triageRecheck")).toEqual({ allowed: true });
  });

  it("counts each person and each kind of action separately", () => {
    const limiter = new TurnRateLimiter(
      { triageRecheck: { burst: 1, refillMs: 10_000 }, tapAction: { burst: 1, refillMs: 10_000 } },
      () => 0,
    );
    expect(limiter.take("a", "triageRecheck").allowed).toBe(true);
    expect(limiter.take("a", "triageRecheck").allowed).toBe(false);
    expect(limiter.take("b", "triageRecheck").allowed).toBe(true);
    expect(limiter.take("a", "tapAction").allowed).toBe(true);
  });
});

describe("per-person limits in the bot", () => {
  let server: RunningServer;
  const flooder = { aadObjectId: "00000000-0000-4000-8000-00000000f100", displayName: "Flooder" };
  const neighbour = { aadObjectId: "00000000-0000-4000-8000-00000000f200", displayName: "Neighbour" };

  const limiter = new TurnRateLimiter();
  const agent = { aadObjectId: "00000000-0000-4000-8000-00000000f300", displayName: "Busy agent" };

  let bot: ReturnType<typeof buildRegisteredBot> | undefined;
  beforeAll(async () => {
    bot = buildRegisteredBot({ rateLimiter: limiter });
    server = await startServer({
      adapter: bot.adapter,
      handleTurn: bot.handleTurn,
      health: { graph: { isReachable: async () => true }, storage: { isReachable: async () => true } },
      logger: createLogger("silent"),
      port: 0,
    });
  });
  afterAll(async () => {
    await server?.close();
    bot?.stop();
  });

  const isPleaseWait = (body: { type: string; value: unknown }, locale: "en" | "cs", key: string) =>
    body.type === "application/vnd.microsoft.activity.message" &&
    typeof body.value === "string" &&
    body.value.startsWith(translate(locale, key, { seconds: 0 }).split("0")[0] as string);

  it("answers the sixth quick 'Check again' with 'please wait N s' and leaves the card in place, while a neighbour's is still served", async () => {
    const answers = [];
    for (let i = 0; i < 6; i++) {
      answers.push(await executeCardAction(server.url, flooder, CardVerbs.triageRecheck, { platform: "windows" }));
    }
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(answers.slice(0, 5).some((answer) => isPleaseWait(answer.body, "en", "common.pleaseWaitRecheck"))).toBe(
      false,
    );
    const last = answers[5]?.body;
    expect(last && isPleaseWait(last, "en", "common.pleaseWaitRecheck")).toBe(true);
    expect(String(last?.value)).toMatch(/wait \d+ seconds/);

    const other = await executeCardAction(server.url, neighbour, CardVerbs.triageRecheck, { platform: "windows" });
    expect(isPleaseWait(other.body, "en", "common.pleaseWaitRecheck")).toBe(false);
  });

  it("says it in Czech to a Czech client", async () => {
    const answer = await executeCardAction(
      server.url,
      flooder,
      CardVerbs.triageRecheck,
      { platform: "windows" },
      "cs-CZ",
    );
    expect(isPleaseWait(answer.body, "cs", "common.pleaseWaitRecheck")).toBe(true);
  });

  it("limits TAP actions too, and answers a typed 'tap …' command past the limit with the please-wait card", async () => {
    // The agent has just pressed twenty TAP buttons (each would reach storage, which this bot does not have).
    for (let i = 0; i < 20; i++) expect(limiter.take(agent.aadObjectId, "tapAction").allowed).toBe(true);
    const pressed = await executeCardAction(server.url, agent, CardVerbs.tapApprove, { requestId: "x" });
    expect(isPleaseWait(pressed.body, "en", "common.pleaseWaitTap")).toBe(true);
    const typed = await expectReplies(
      server.url,
      teamsActivity(agent, { type: "message", text: "tap someone@contoso.com" }),
    );
    const texts = cardTexts(cardOf(typed[0]));
    expect(texts).toContain(translate("en", "common.pleaseWaitTitle"));
  });
});
