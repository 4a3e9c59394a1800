import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { onCardAction } from "../../src/bot/card-actions.js";
import { replaceCard } from "../../src/bot/card-replies.js";
import { CardVerbs } from "../../src/bot/card-verbs.js";
import { createLogger } from "../../src/bot/create-logger.js";
import { ThrottledError } from "../../src/graph/graph-errors.js";
import { translate } from "../../src/locales/translate.js";
import { type RunningServer, startServer } from "../../src/server.js";
import { buildRegisteredBot } from "../support/bot-application.js";
import { cardOf, cardTexts, executeCardAction, expectReplies, teamsActivity } from "../support/bot-http.js";

const logLines: Array<Record<string, unknown>> = [];
const logStream = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split("\n").filter(Boolean)) logLines.push(JSON.parse(line));
    done();
  },
});

const caller = { aadObjectId: "aaaaaaaa-0000-4000-8000-0000000000aa" };
let server: RunningServer;

beforeAll(async () => {
  const bot = buildRegisteredBot({
    logger: createLogger("info", logStream),
    roles: { resolveCallerRoles: async () => ({ isAgent: false, isAdmin: false }), isApproverFor: async () => false },
    capabilities: [
      (app) => {
        app.message("explode", async () => {
          throw new Error("database password=hunter2 leaked into a message");
        });
        onCardAction(app, CardVerbs.triageStart, async () => {
          throw new ThrottledError("Too many requests", 429, "TooManyRequests", null, 12);
        });
        onCardAction(app, CardVerbs.triageUser, async (context, _state, data) => replaceCard(context, "error", data), {
          schema: z.object({ message: z.string(), correlationId: z.string().uuid() }),
        });
      },
    ],
  });
  server = await startServer({
    adapter: bot.adapter,
    handleTurn: bot.handleTurn,
    health: { graph: { isReachable: async () => true }, storage: { isReachable: async () => true } },
    logger: createLogger("silent"),
    port: 0,
  });
});

afterAll(async () => server?.close());

function referenceOf(card: { body: Array<{ type: string; facts?: Array<{ value: string }> }> }): string | undefined {
  return card.body.find((element) => element.type === "FactSet")?.facts?.[0]?.value;
}

describe("error boundary", () => {
  it("answers a failing message turn with the error card whose reference is the logged correlation id", async () => {
    const replies = await expectReplies(server.url, teamsActivity(caller, { type: "message", text: "explode" }));
    const card = cardOf(replies[0]) as Parameters<typeof referenceOf>[0];
    expect(cardTexts(card)).toContain(translate("en", "common.errorBody"));
    expect(JSON.stringify(card)).not.toContain("hunter2");
    const logged = logLines.find((line) => line.event === "turn.failed" && line.correlationId === referenceOf(card));
    expect(logged).toBeDefined();
  });

  it("turns a named Graph error inside a card action into a specific, friendly replacement card", async () => {
    const response = await executeCardAction(server.url, caller, CardVerbs.triageStart, {}, "cs-CZ");
    expect(response.status).toBe(200);
    expect(cardTexts(response.body.value)).toContain(translate("cs", "common.errorThrottled", { seconds: 12 }));
  });

  it("validates card data with the handler's schema before the handler runs", async () => {
    const good = await executeCardAction(server.url, caller, CardVerbs.triageUser, {
      message: "from a valid card",
      correlationId: "3f2b9c1e-7a4d-4e2b-9c8f-1a2b3c4d5e6f",
    });
    expect(cardTexts(good.body.value)).toContain("from a valid card");
    const forged = await executeCardAction(server.url, caller, CardVerbs.triageUser, { message: 1 });
    expect(cardTexts(forged.body.value)).toContain(translate("en", "common.errorMalformedCard"));
  });
});

describe("onCardAction", () => {
  it("refuses verbs that are not in CardVerbs and a second handler for the same verb", () => {
    expect(() =>
      buildRegisteredBot({
        capabilities: [(app) => onCardAction(app, "made.up" as typeof CardVerbs.helpShow, async () => "x")],
      }),
    ).toThrow(/declared in CardVerbs/);
    expect(() =>
      buildRegisteredBot({ capabilities: [(app) => onCardAction(app, CardVerbs.helpShow, async () => "x")] }),
    ).toThrow(/exactly one handler/);
  });
});
