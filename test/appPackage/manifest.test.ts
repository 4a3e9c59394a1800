import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { AppManifestUtils } from "@microsoft/app-manifest";
import { describe, expect, it } from "vitest";
import { BotCommands } from "../../src/bot/bot-commands.js";
import { registeredCommandTitles } from "../../src/bot/on-command.js";
import { PracticeTenant } from "../../src/config.js";
import { buildRegisteredBot } from "../support/bot-application.js";

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

function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(resolve(packageDir, file));
  expect(bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe("Teams app manifest", () => {
  it("validates against the bundled v1.29 schema without going online", async () => {
    const manifest = packagedManifest();
    expect(manifest.manifestVersion).toBe("1.29");
    const schema = JSON.parse(readFileSync(schemaPath, "utf8").replace(/\\a/g, "\\u0007").replace(/\\v/g, "\\u000b"));
    expect(await AppManifestUtils.validateAgainstSchema(manifest, schema)).toEqual([]);
  });

  it("offers the bot in personal chat, teams and group chats", () => {
    expect(packagedManifest().bots[0]?.scopes.sort()).toEqual(["groupChat", "personal", "team"]);
  });

  it("lists exactly the commands the bot answers, in every scope", () => {
    const bot = packagedManifest().bots[0];
    const registered = registeredCommandTitles(buildRegisteredBot().app);
    expect(registered).toEqual(
      Object.values(BotCommands)
        .map((command) => command.title)
        .sort(),
    );
    for (const list of bot?.commandLists ?? []) {
      expect(list.commands.map((command) => command.title).sort()).toEqual(registered);
    }
    expect(bot?.commandLists.flatMap((list) => list.scopes).sort()).toEqual(["groupChat", "personal", "team"]);
  });

  it("ships a 192×192 color icon and a 32×32 outline icon", () => {
    const { icons } = packagedManifest();
    expect(pngSize(icons.color)).toEqual({ width: 192, height: 192 });
    expect(pngSize(icons.outline)).toEqual({ width: 32, height: 32 });
  });
});
