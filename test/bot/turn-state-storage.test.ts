import { afterAll, beforeAll, expect, it } from "vitest";
import { createLogger } from "../../src/bot/create-logger.js";
import { createTurnStateStorage } from "../../src/bot/create-turn-state-storage.js";
import { startServer } from "../../src/server.js";
import { createStorageAccount } from "../../src/storage/storage-account.js";
import { type RunningAzurite, startAzurite } from "../support/azurite.js";
import { buildRegisteredBot } from "../support/bot-application.js";
import { expectReplies, teamsActivity } from "../support/bot-http.js";

let azurite: RunningAzurite;

beforeAll(async () => {
  azurite = await startAzurite();
});

afterAll(async () => {
  await azurite?.stop();
});

/** A bot process: its own Blob-backed turn state over the shared Azurite, a route that counts in conversation state. */
async function startBot() {
  const account = createStorageAccount({ kind: "connectionString", connectionString: azurite.connectionString });
  const bot = buildRegisteredBot({
    turnState: createTurnStateStorage(account),
    capabilities: [
      (app) => {
        app.message("count", async (context, state) => {
          const count = Number(state.conversation.count ?? 0) + 1;
          state.conversation.count = count;
          await context.sendActivity(`count ${count}`);
        });
      },
    ],
  });
  return startServer({
    adapter: bot.adapter,
    handleTurn: bot.handleTurn,
    health: { graph: { isReachable: async () => true }, storage: account },
    logger: createLogger("silent"),
    port: 0,
  });
}

it("keeps conversation state in Blob storage across a restart of the bot", async () => {
  const caller = { aadObjectId: "aaaaaaaa-0000-4000-8000-0000000000bb" };
  const count = async (url: string) =>
    (await expectReplies(url, teamsActivity(caller, { type: "message", text: "count" }))).map((reply) => reply.text);

  const first = await startBot();
  try {
    expect(await count(first.url)).toEqual(["count 1"]);
    expect(await count(first.url)).toEqual(["count 2"]);
  } finally {
    await first.close();
  }

  const restarted = await startBot();
  try {
    expect(await count(restarted.url)).toEqual(["count 3"]);
  } finally {
    await restarted.close();
  }
});
