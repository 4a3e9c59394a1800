/**
 * A bot instance in its own process for the fault test: approves a confirmed TAP request as `manager` against the
 * emulator and Azurite named in argv, prints `APPROVED`, then idles until killed, so the parent can SIGKILL it between
 * the approval and the agent's "Issue and show". With `stopAt: "decisionWritten"` it prints `WRITTEN` once the approval
 * is stored and stops there, before its ledger entry is appended, so the parent can kill it at exactly that point.
 * Run with tsx's loader; not a test file.
 */
import { approveTapRequest } from "../../src/capabilities/tap/decide-tap-request.js";
import { actorFor, practiceTapDependencies } from "../capabilities/tap/practice-tap-deps.js";

interface ChildArguments {
  baseUrl: string;
  tenantId: string;
  connectionString: string;
  requestId: string;
  stopAt?: "decisionWritten";
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? "{}") as ChildArguments;
  const deps = {
    ...practiceTapDependencies({
      emulator: { baseUrl: args.baseUrl, tenantId: args.tenantId },
      connectionString: args.connectionString,
    }),
    atDecisionStep: async (step: string) => {
      if (step !== args.stopAt) return;
      process.stdout.write("WRITTEN\n");
      await new Promise<never>(() => setInterval(() => undefined, 60_000));
    },
  };
  const card = await approveTapRequest(deps, actorFor("manager"), args.requestId);
  process.stdout.write(`APPROVED ${card.name}\n`);
  await new Promise<never>(() => setInterval(() => undefined, 60_000));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
