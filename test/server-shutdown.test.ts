import { expect, it } from "vitest";
import { createLogger } from "../src/bot/create-logger.js";
import { startServer } from "../src/server.js";
import { buildRegisteredBot } from "./support/bot-application.js";
import { expectReplies, teamsActivity } from "./support/bot-http.js";

it("finishes an in-flight turn on close while refusing new connections", async () => {
  let markStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const bot = buildRegisteredBot({
    capabilities: [
      (app) => {
        app.message("slow", async (context) => {
          markStarted();
          await gate;
          await context.sendActivity("finished");
        });
      },
    ],
  });
  const server = await startServer({
    adapter: bot.adapter,
    handleTurn: bot.handleTurn,
    health: { graph: { isReachable: async () => true }, storage: { isReachable: async () => true } },
    logger: createLogger("silent"),
    port: 0,
  });
  const caller = { aadObjectId: "aaaaaaaa-0000-4000-8000-0000000000aa" };

  const inFlight = expectReplies(server.url, teamsActivity(caller, { type: "message", text: "slow" }));
  await started;
  let isClosed = false;
  const closing = server.close().then(() => {
    isClosed = true;
  });

  await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  expect(isClosed).toBe(false);
  release();
  expect((await inFlight).map((reply) => reply.text)).toEqual(["finished"]);
  await closing;
  expect(isClosed).toBe(true);
});
