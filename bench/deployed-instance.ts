/**
 * How a deployed instance runs, for benches that measure what an instance would spend: the compiled build (App
 * Service runs `node [flags] dist/src/index.js`) with the Node flags infra/azure.bicep starts it with.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

const ROOT = resolve(__dirname, "..");

/** The Node flags of App Service's start command (`appCommandLine` in infra/azure.bicep), e.g. the heap limits. */
export function deployedNodeFlags(): string {
  const bicep = readFileSync(resolve(ROOT, "infra/azure.bicep"), "utf8");
  const command = /appCommandLine: 'node ((?:--\S+ )*)dist\/src\/index\.js'/.exec(bicep);
  if (!command) throw new Error("infra/azure.bicep must start the app as 'node [--flags] dist/src/index.js'");
  return command[1] ?? "";
}

/** Compiles today's sources into dist/: a stale build would measure yesterday's code. */
export function compileSources(): void {
  execFileSync(process.execPath, [resolve(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], {
    cwd: ROOT,
    stdio: "inherit",
  });
}
