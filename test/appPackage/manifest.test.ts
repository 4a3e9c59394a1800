import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { deflateSync } from "node:zlib";
import { AppManifestUtils } from "@microsoft/app-manifest";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AppPackageError,
  checkIcons,
  fillPlaceholders,
  manifestSchema,
  packageApp,
  readEnvironment,
} from "../../scripts/package-app.js";
import { BotCommands } from "../../src/bot/bot-commands.js";
import { createLogger } from "../../src/bot/create-logger.js";
import { registeredCommandTitles } from "../../src/bot/on-command.js";
import { PracticeTenant } from "../../src/config.js";
import { translate } from "../../src/locales/translate.js";
import { type RunningServer, startServer } from "../../src/server.js";
import { buildRegisteredBot } from "../support/bot-application.js";
import { cardOf, cardTexts, expectReplies, teamsActivity } from "../support/bot-http.js";

const root = resolve(__dirname, "../..");
const packageDir = resolve(root, "appPackage");

/** The manifest as `npm run package` (and the Agents Toolkit) fills it for the Playground environment. */
function packagedManifest() {
  const text = fillPlaceholders(
    readFileSync(resolve(packageDir, "manifest.json"), "utf8"),
    readEnvironment("playground"),
    "playground",
  );
  return JSON.parse(text) as Parameters<typeof AppManifestUtils.validateAgainstSchema>[0] & {
    name: { short: string };
    bots: Array<{
      botId: string;
      supportsFiles: boolean;
      scopes: string[];
      commandLists: Array<{ scopes: string[]; commands: Array<{ title: string }> }>;
    }>;
    icons: { color: string; outline: string };
    webApplicationInfo: { id: string };
  };
}

function manifestCommandTitles(): string[] {
  const lists = packagedManifest().bots[0]?.commandLists ?? [];
  return [...new Set(lists.flatMap((list) => list.commands.map((command) => command.title)))].sort();
}

/** A PNG of the given size whose pixel (x, y) is `pixel(x, y)` as RGBA, for icon checks. */
function png(width: number, height: number, pixel: (x: number, y: number) => number[]): Buffer {
  const rows: number[] = [];
  for (let y = 0; y < height; y++) {
    rows.push(0);
    for (let x = 0; x < width; x++) rows.push(...pixel(x, y));
  }
  const chunk = (type: string, body: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    return Buffer.concat([length, Buffer.from(type, "latin1"), body, Buffer.alloc(4)]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.from(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
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
afterAll(async () => {
  await server?.close();
  // Its background timers (sweeps, the inventory's queue check) would otherwise tick on in this worker process.
  bot.stop();
});

describe("Teams app manifest", () => {
  it("validates against the bundled v1.29 schema without going online", async () => {
    const manifest = packagedManifest();
    expect(manifest.manifestVersion).toBe("1.29");
    expect(await AppManifestUtils.validateAgainstSchema(manifest, manifestSchema() as never)).toEqual([]);
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

  it("ships icons Teams accepts: a solid color icon, and an outline that is white on transparent", () => {
    const { icons } = packagedManifest();
    const read = (file: string) => readFileSync(resolve(packageDir, file));
    expect(checkIcons(read(icons.color), read(icons.outline))).toEqual([]);
  });

  it.each([
    [
      "an outline icon with a colored pixel",
      { outline: png(32, 32, (x) => (x === 5 ? [255, 0, 0, 255] : [0, 0, 0, 0])) },
      /outline icon pixel 5,0 is not white/,
    ],
    [
      "an outline icon without transparency",
      { outline: png(32, 32, () => [255, 255, 255, 255]) },
      /no transparent background/,
    ],
    [
      "a color icon of the wrong size",
      { color: png(96, 96, () => [70, 78, 184, 255]) },
      /color icon is 96×96, must be 192×192/,
    ],
    [
      "a color icon with a transparent corner",
      { color: png(192, 192, (x, y) => (x + y === 0 ? [0, 0, 0, 0] : [1, 2, 3, 255])) },
      /transparent pixels/,
    ],
  ] as Array<[string, { color?: Buffer; outline?: Buffer }, RegExp]>)("refuses %s", (_name, replaced, message) => {
    const { icons } = packagedManifest();
    const color = replaced.color ?? readFileSync(resolve(packageDir, icons.color));
    const outline = replaced.outline ?? readFileSync(resolve(packageDir, icons.outline));
    const problems = checkIcons(color, outline).map(({ icon, problem }) => `${icon} icon ${problem}`);
    expect(problems.join("; ")).toMatch(message);
  });

  it("delivers files in personal chat (the admin's CSV exports) and names the bot's Entra app", () => {
    const manifest = packagedManifest();
    expect(manifest.bots[0]?.supportsFiles).toBe(true);
    expect(manifest.webApplicationInfo.id).toBe(manifest.bots[0]?.botId);
  });
});

describe("npm run package", () => {
  it("writes appPackage.<env>.zip with the filled, valid manifest and both icons", async () => {
    const outDir = mkdtempSync(join(tmpdir(), "app-package-"));
    try {
      const { zipPath } = await packageApp("playground", { outDir });
      expect(zipPath).toBe(join(outDir, "appPackage.playground.zip"));
      const files = unzipSync(readFileSync(zipPath));
      expect(Object.keys(files).sort()).toEqual(["color.png", "manifest.json", "outline.png"]);
      const manifest = JSON.parse(new TextDecoder().decode(files["manifest.json"]));
      expect(manifest.id).toBe(PracticeTenant.teamsAppId);
      expect(manifest.bots[0].botId).toBe(PracticeTenant.graphClientId);
      expect(manifest.name.short).toBe("Passkey Helpdesk (playground)");
      expect(JSON.stringify(manifest)).not.toContain("${{");
      expect(await AppManifestUtils.validateAgainstSchema(manifest, manifestSchema() as never)).toEqual([]);
      expect(Buffer.from(files["color.png"] as Uint8Array)).toEqual(readFileSync(resolve(packageDir, "color.png")));
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });

  it("names the empty variables and the env file when provision has not filled them (env/.env.dev as committed)", async () => {
    await expect(packageApp("dev", { outDir: mkdtempSync(join(tmpdir(), "app-package-")) })).rejects.toThrow(
      /TEAMS_APP_ID, BOT_ID are empty in env\/\.env\.dev: run the Agents Toolkit's provision/,
    );
  });

  it("takes env/.env.<name>.user over the committed file, and a value can never break out of its JSON string", () => {
    const envDir = mkdtempSync(join(tmpdir(), "app-env-"));
    try {
      writeFileSync(join(envDir, ".env.dev"), "TEAMS_APP_ID=\nBOT_ID=committed\n");
      writeFileSync(join(envDir, ".env.dev.user"), 'BOT_ID=from-user-file\nSECRET_X="a\\"b"\n');
      const values = readEnvironment("dev", envDir);
      expect(values.BOT_ID).toBe("from-user-file");
      expect(
        JSON.parse(fillPlaceholders(`{"a":"\${{BOT_ID}}","b":"\${{ EVIL }}"}`, { ...values, EVIL: '"}x' }, "dev")),
      ).toEqual({
        a: "from-user-file",
        b: '"}x',
      });
      expect(() => fillPlaceholders(`"\${{TEAMS_APP_ID}}"`, values, "dev")).toThrow(AppPackageError);
      expect(() => readEnvironment("../etc", envDir)).toThrow(/plain name/);
      expect(() => readEnvironment("prod", envDir)).toThrow(/env\/\.env\.prod does not exist/);
    } finally {
      rmSync(envDir, { recursive: true, force: true });
    }
  });

  it("keeps the .user env files (SECRET_*) and the built packages out of git", () => {
    const ignored = readFileSync(resolve(root, ".gitignore"), "utf8").split("\n");
    expect(ignored).toContain(".env*.user");
    expect(ignored).toContain("appPackage/build/");
  });
});
