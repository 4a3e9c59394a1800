import { parseWhatIf } from "../capabilities/rollout/parse-what-if.js";
import { predictWhatIf } from "../capabilities/rollout/predict-what-if.js";
import { type AppConfig, loadConfigFromEnvironment } from "../config.js";
import { createInventoryServices } from "./create-inventory-services.js";
import type { CliOutput } from "./inventory.js";

const USAGE = `Usage (judged from the last npm run rings, without touching the tenant):
  npm run whatif -- --profile NAME_OR_ID --allow AAGUID[,AAGUID…]   the profile's allow list becomes exactly these
  npm run whatif -- --profile NAME_OR_ID --enforce-attestation       the profile enforces attestation
  npm run whatif -- --ring GROUP_ID --profile NAME_OR_ID             the ring moves to that profile`;

export async function runWhatIfCli(
  args: string[],
  io: CliOutput,
  loadAppConfig: () => Pick<AppConfig, "graph" | "storage"> = loadConfigFromEnvironment,
): Promise<number> {
  const change = parseWhatIf(args);
  if (typeof change === "string") {
    io.err(`${change}\n${USAGE}`);
    return 2;
  }
  const config = loadAppConfig();
  const services = createInventoryServices({ graph: config.graph, storage: config.storage });
  await services.ensure();
  const result = await predictWhatIf(
    { rollout: services.rollout, catalog: services.catalog, now: () => new Date() },
    change,
  );
  io.out(`Judged ${result.membersJudged} ring members against the changed policy.`);
  io.out(`Existing passkeys refused at sign-in after the change: ${result.signInBreaks.length}`);
  for (const entry of result.signInBreaks) io.out(`  ${entry.userPrincipalName} — ${entry.passkey}`);
  io.out(`Members whose registration would now fail: ${result.registrationBreaks.length}`);
  for (const entry of result.registrationBreaks) io.out(`  ${entry.userPrincipalName} — ${entry.question}`);
  return 0;
}

if (require.main === module) {
  runWhatIfCli(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
