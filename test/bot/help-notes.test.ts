import { Writable } from "node:stream";
import type { Application } from "@microsoft/teams-ai";
import type { TurnContext } from "botbuilder";
import { expect, it } from "vitest";
import type { BotTurnState } from "../../src/bot/bot-turn-state.js";
import { createLogger } from "../../src/bot/create-logger.js";
import { addHelpNote, helpNotesFor } from "../../src/bot/help-notes.js";

it("leaves a failing help note out of the welcome and help cards, and logs why", async () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  // Notes are kept per Application object: any object stands in for one here.
  const app = {} as Application<BotTurnState>;
  addHelpNote(app, async () => "2 approvals wait for you");
  addHelpNote(app, async () => {
    throw new Error("storage unreachable");
  });
  const context = { activity: { type: "message" }, turnState: new Map() } as unknown as TurnContext;

  const notes = await helpNotesFor(app, context, createLogger("info", stream));

  expect(notes).toBe("2 approvals wait for you");
  expect(lines.map((line) => JSON.parse(line))).toMatchObject([
    { event: "help.noteFailed", err: { message: "storage unreachable" } },
  ]);
});
