import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = resolve(__dirname, "..");

describe("loading the HTTP server", () => {
  it("prints no DEP0111 warning (restify's spdy) and leaves every other warning alone", async () => {
    const script = `require("./src/server.ts"); process.emitWarning("still here", { code: "DEP0999", type: "DeprecationWarning" });`;
    const { stderr } = await run(process.execPath, ["--import", "tsx", "-e", script], { cwd: root });
    expect(stderr).not.toContain("DEP0111");
    expect(stderr).toContain("DEP0999");
  });
});
