import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, repoPath } from "./support/repo-path.js";

/**
 * Some of the suite's checks are types, not runtime assertions: every card name must declare its data type, wrong card
 * data must not compile (`@ts-expect-error` cases in test/cards), and refusal and payload types hold across modules.
 * vitest strips types without checking them, so those checks count only if the compiler runs as part of `npm test`.
 */
describe("the TypeScript compiler", () => {
  it("accepts the sources, tests, benches and scripts with no error", async () => {
    const output = await new Promise<{ code: number | null; text: string }>((done) => {
      const child = spawn(repoPath("node_modules/.bin/tsc"), ["-p", repoPath("tsconfig.json"), "--noEmit"], {
        cwd: REPO_ROOT,
      });
      let text = "";
      child.stdout.on("data", (chunk: Buffer) => {
        text += chunk.toString();
      });
      child.stderr.on("data", (chunk: Buffer) => {
        text += chunk.toString();
      });
      child.once("close", (code) => done({ code, text }));
    });
    expect(output.text.trim(), "tsc reported errors").toBe("");
    expect(output.code).toBe(0);
  }, 120_000);
});
