/**
 * `npm run bench:hostile [-- --cases 10000]`: the hostile-input property of test/hostile-input.test.ts at full size
 * against a real bot (anonymous local mode), Azurite and the Graph emulator: random and mutated activities and card
 * payloads (wrong types, missing fields, huge strings, odd Unicode, unknown verbs, forged ids, other tenants, OData
 * injection in every field a person can type). Prints the cases run, the statuses seen, the slowest case, and whether
 * any 5xx, unanswered turn, unhandled rejection or injected `$filter` clause occurred; exits 1 if any did.
 */
import fc from "fast-check";
import { createLogger } from "../src/bot/create-logger.js";
import { loadConfig } from "../src/config.js";
import { startEmulator } from "../src/emulator/start-emulator.js";
import { startApp } from "../src/index.js";
import { startAzurite } from "../test/support/azurite.js";
import { PRACTICE_TENANT_PATH } from "../test/support/bot-http.js";
import { hostileActivity, injectedFilters, sendHostile } from "../test/support/hostile-input.js";

const index = process.argv.indexOf("--cases");
const CASES = index >= 0 ? Number(process.argv[index + 1]) : 10_000;

async function main(): Promise<number> {
  const unhandled: unknown[] = [];
  process.on("unhandledRejection", (reason) => unhandled.push(reason));
  const [azurite, emulator] = await Promise.all([
    startAzurite(),
    startEmulator({
      port: 0,
      tenant: PRACTICE_TENANT_PATH,
      throttleScale: 1000,
      // Every $filter of every case is checked for injection: the whole log is kept.
      requestLogSize: Number.POSITIVE_INFINITY,
    }),
  ]);
  const app = await startApp(
    loadConfig({
      GRAPH_EMULATOR_URL: emulator.baseUrl,
      STORAGE_CONNECTION_STRING: azurite.connectionString,
      PORT: "0",
      GRAPH_EMULATOR_THROTTLE_SCALE: "1000",
    }),
    { logger: createLogger("silent") },
  );
  const statuses = new Map<number, number>();
  let unanswered = 0;
  let slowestMs = 0;
  const started = Date.now();
  try {
    await fc.assert(
      fc.asyncProperty(hostileActivity, async (activity) => {
        const begin = performance.now();
        const outcome = await sendHostile(app.url, activity);
        slowestMs = Math.max(slowestMs, performance.now() - begin);
        statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
        if (outcome.expectsAnswer && outcome.status === 200 && !outcome.answered) unanswered++;
        return outcome.status < 500;
      }),
      { numRuns: CASES },
    );
  } finally {
    await app.close();
    await Promise.all([emulator.close(), azurite.stop()]);
  }
  const injected = injectedFilters(emulator.requestLog);
  const filters = emulator.requestLog.filter((entry) => entry.filter !== undefined).length;
  console.log(`hostile input: ${CASES} cases in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(`  statuses ${[...statuses].map(([status, count]) => `${status}×${count}`).join(", ")}`);
  console.log(`  slowest case ${slowestMs.toFixed(0)} ms`);
  console.log(`  unanswered well-formed turns ${unanswered}, unhandled rejections ${unhandled.length}`);
  console.log(`  $filters the emulator received ${filters}, with an injected clause ${injected.length}`);
  return unanswered + unhandled.length + injected.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
