import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { localesDirectory } from "../../src/locales/translate.js";

describe("localesDirectory", () => {
  const root = mkdtempSync(join(tmpdir(), "locales-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  // What `tsc` leaves in dist/: only the namespaces some module imports. A compiled instance reading these rendered
  // no card (every placeholder of another namespace unbound) and crashed on a deferred triage result.
  it("reads the sources' tables from a dist/ build, never the partial copy tsc made", () => {
    for (const dir of ["dist/src/locales/en", "src/locales/en", "src/locales/cs"]) {
      mkdirSync(join(root, dir), { recursive: true });
    }
    writeFileSync(join(root, "dist/src/locales/en/agent.json"), "{}");
    expect(localesDirectory(join(root, "dist/src/locales"))).toBe(join(root, "src/locales"));
  });

  it("reads its own folder when running from sources", () => {
    expect(localesDirectory(join(root, "src/locales"))).toBe(join(root, "src/locales"));
  });

  it("says where it looked when a build was deployed without the sources' tables", () => {
    const bare = mkdtempSync(join(tmpdir(), "locales-bare-"));
    mkdirSync(join(bare, "dist/src/locales/en"), { recursive: true });
    expect(() => localesDirectory(join(bare, "dist/src/locales"))).toThrow(/src\/locales/);
    rmSync(bare, { recursive: true, force: true });
  });
});
