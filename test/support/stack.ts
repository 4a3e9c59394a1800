import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { type PersonPlayground, startPersonPlayground } from "../../src/dev/person-playground.js";
import { type RunningStack, startStack } from "../../src/dev/start-stack.js";
import { freePort } from "./free-port.js";
import { freeStackPorts } from "./stack-ports.js";

export const STACK_RESULTS_DIR = resolve(__dirname, "../../test-results/e2e");

/**
 * The launcher's stack (Azurite in memory, Graph emulator, bot, Agents Playground) on free ports, acting as `as`.
 * Logs and the generated Playground config go to test-results/e2e/stack-<as>/ so a failed run can be read.
 */
export async function startTestStack(options: { as: string; tenantPath?: string }): Promise<RunningStack> {
  const dataDir = join(STACK_RESULTS_DIR, `stack-${options.as}`);
  rmSync(dataDir, { recursive: true, force: true });
  return startStack({
    as: options.as,
    ports: await freeStackPorts(),
    // E2E_TENANT_FILE runs the browser tests against another tenant file with the same persona keys.
    tenantPath: options.tenantPath ?? process.env.E2E_TENANT_FILE,
    dataDir,
    azurite: "in-memory",
    readyTimeoutMs: 45_000,
  });
}

/** A second Agents Playground talking to a running stack's bot, so a second person has a Teams client of their own. */
export type ExtraPlayground = PersonPlayground;

/** Another Playground acting as `as` on a free port, with its config and logs beside the stack's. */
export async function startExtraPlayground(stack: RunningStack, as: string): Promise<ExtraPlayground> {
  return startPersonPlayground(stack, as, await freePort(), join(stack.logDir, "..", `playground-${as}`));
}
