/**
 * A bot instance in its own process for the crash test: approves a confirmed TAP request as `manager`, then presses
 * "Issue and show" as `agent-1` in personal chat, against the emulator and Azurite named in argv, and stops dead at
 * `stopAt` (printing `STOPPED <step>`) so the parent can SIGKILL it at exactly that point. Run with tsx; not a test file.
 */
import { approveTapRequest } from "../../../src/capabilities/tap/decide-tap-request.js";
import { revealTap } from "../../../src/capabilities/tap/reveal-tap.js";
import type { IssuanceStep } from "../../../src/capabilities/tap/tap-dependencies.js";
import { actorFor, practiceTapDependencies } from "./practice-tap-deps.js";

interface ChildArguments {
  baseUrl: string;
  tenantId: string;
  connectionString: string;
  requestId: string;
  stopAt: IssuanceStep;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? "{}") as ChildArguments;
  const deps = practiceTapDependencies({
    emulator: { baseUrl: args.baseUrl, tenantId: args.tenantId },
    connectionString: args.connectionString,
  });
  deps.atIssuanceStep = async (step) => {
    if (step !== args.stopAt) return;
    process.stdout.write(`STOPPED ${step}\n`);
    // Hold here until killed: nothing after this step may run.
    await new Promise<never>(() => setInterval(() => undefined, 60_000));
  };
  await approveTapRequest(deps, actorFor("manager"), args.requestId);
  const card = await revealTap(deps, actorFor("agent-1"), args.requestId, "personal");
  process.stdout.write(`FINISHED ${card.name}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
