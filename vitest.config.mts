import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks",
    // Vitest's default is one worker per core less one: on a 2-core machine every file then waits for the one before,
    // while most of a file's time is spent waiting on Azurite, the emulator or a spawned process. Two workers took the
    // suite from 915 s to 693 s on the same shared machine. Four (with isolated files) made it slower, 480 s: CPU was
    // what 2 cores lacked, and the real-bucket test then overspent. Without per-file loading (isolate below), three
    // workers ran the suite in 254 s and two in 315 s (load 3-4, one run each, all green).
    maxWorkers: 3,
    // Each worker runs its files one after another in one process, so teams-ai, botbuilder and src are loaded once
    // per worker instead of once per file: 389 s → 315 s for the whole suite with two workers (same branch, load 3-4). Files share
    // nothing else: each starts its own Azurite, emulator and bot on ports the OS gives them. What this asks of a
    // test: leave Node's globals as found (vi.unstubAllEnvs, process.off), and do not chain res.writeHead(...):
    // restify, once loaded in the process, makes ServerResponse#writeHead return undefined.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ["default", ["json", { outputFile: "test-results/vitest.json" }]] : ["default"],
  },
});
