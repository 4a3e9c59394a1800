import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { AppManifestUtils } from "@microsoft/app-manifest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotCommands } from "../../src/bot/bot-commands.js";
import { createLogger } from "../../src/bot/create-logger.js";
import { registeredCommandTitles } from "../../src/bot/on-command.js";
import { PracticeTenant } from "../../src/config.js";
import { translate } from "../../src/locales/translate.js";
import { type RunningServer, startServer } from "../../src/server.js";
import { buildRegisteredBot } from "../support/bot-application.js";
import { cardOf, cardTexts, expectReplies, teamsActivity } from "../support/bot-http.js";

const packageDir = resolve(__dirname, "../../appPackage");
const schemaPath = resolve(
  __dirname,
  "../../node_modules/@microsoft/app-manifest/build/json-schemas/teams/v1.29/MicrosoftTeams.schema.json",
);

/** The manifest as the Agents Toolkit would package it: `${{VAR}}` placeholders filled with the practice values. */
function packagedManifest() {
  const template = readFileSync(resolve(packageDir, "manifest.json"), "utf8");
  const values: Record<string, string> = {
    TEAMS_APP_ID: PracticeTenant.teamsAppId,
    BOT_ID: PracticeTenant.graphClientId,
  };
  const text = template.replace(/\$\{\{(\w+)\}\}/g, (whole, name: string) => values[name] ?? whole);
  return JSON.parse(text) as Parameters<typeof AppManifestUtils.validateAgainstSchema>[0] & {
    bots: Array<{ scopes: string[]; commandLists: Array<{ scopes: string[]; commands: Array<{ title: string }> }> }>;
    icons: { color: string; outline: string };
  };
}

function manifestCommandTitles(): string[] {
  const lists = packagedManifest().bots[0]?.commandLists ?? [];
  return [...new Set(lists.flatMap((list) => list.commands.map((command) => command.title)))].sort();
}

function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(resolve(packageDir, file));
  expect(bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

let server: RunningServer;
const bot = buildRegisteredBot({
  roles: { resolveCallerRoles: async () => ({ isAgent: true, isAdmin: true }), isApproverFor: async () => false },
});
beforeAll(async () => {
  server = await startServer({
    adapter: bot.adapter,
    handleTurn: bot.handleTurn,
    health: { graph: { isReachable: async () => true }, storage: { isReachable: async () => true } },
    logger: createLogger("silent"),
    port: 0,
  });
});
afterAll(async () => server?.close());

describe("Teams app manifest", () => {
  it("validates against the bundled v1.29 schema without going online", async () => {
    const manifest = packagedManifest();
    expect(manifest.manifestVersion).toBe("1.29");
    const schema = JSON.parse(readFileSync(schemaPath, "utf8").replace(/\\a/g, "\\u0007").replace(/\\v/g, "\\u000b"));
    expect(await AppManifestUtils.validateAgainstSchema(manifest, schema)).toEqual([]);
  });

  it("offers the bot in personal chat, teams and group chats, with its commands in each", () => {
    const bot = packagedManifest().bots[0];
    expect(bot?.scopes.sort()).toEqual(["groupChat", "personal", "team"]);
    expect(bot?.commandLists.flatMap((list) => list.scopes).sort()).toEqual(["groupChat", "personal", "team"]);
  });

  it("lists exactly the bot's commands", () => {
    const declared = Object.values(BotCommands)
      .map((command) => command.title)
      .sort();
    expect(manifestCommandTitles()).toEqual(declared);
    expect(registeredCommandTitles(bot.app).filter((title) => !(declared as string[]).includes(title))).toEqual([]);
  });

  it.each(manifestCommandTitles())("has a handler for the %s command, not the fallback help", async (title) => {
    const caller = { aadObjectId: "aaaaaaaa-0000-4000-8000-0000000000aa" };
    const replies = await expectReplies(server.url, teamsActivity(caller, { type: "message", text: title }));
    expect(replies.length).toBeGreaterThan(0);
    const unknownText = translate("en", "common.helpUnknownText");
    for (const reply of replies) expect(cardTexts(cardOf(reply))).not.toContain(unknownText);
  });

  it("ships a 192×192 color icon and a 32×32 outline icon", () => {
    const { icons } = packagedManifest();
    expect(pngSize(icons.color)).toEqual({ width: 192, height: 192 });
    expect(pngSize(icons.outline)).toEqual({ width: 32, height: 32 });
  });
});
