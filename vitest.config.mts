import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks",
    // Vitest's default is one worker per core less one: on a 2-core machine every file then waits for the one before,
    // while most of a file's time is spent waiting on Azurite, the emulator or a spawned process. Two workers took the
    // suite from 915 s to 693 s on the same shared machine; files stay isolated (isolate: false broke shared modules).
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ["default", ["json", { outputFile: "test-results/vitest.json" }]] : ["default"],
  },
});
