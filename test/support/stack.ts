import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { type RunningStack, type StackPorts, startStack } from "../../src/dev/start-stack.js";
import { freePort } from "./free-port.js";

export const STACK_RESULTS_DIR = resolve(__dirname, "../../test-results/e2e");

/** Six free ports for one whole stack, so test files never collide with each other or with `npm start`. */
export async function freeStackPorts(): Promise<StackPorts> {
  const ports: number[] = [];
  while (ports.length < 6) {
    const port = await freePort();
    if (!ports.includes(port)) ports.push(port);
  }
  const [bot, playground, emulator, azuriteBlob, azuriteQueue, azuriteTable] = ports as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return { bot, playground, emulator, azuriteBlob, azuriteQueue, azuriteTable };
}

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
    tenantPath: options.tenantPath,
    dataDir,
    azurite: "in-memory",
    readyTimeoutMs: 45_000,
  });
}
