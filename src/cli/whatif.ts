import { parseArgs } from "node:util";
import { type PolicyChange, predictWhatIf } from "../capabilities/rollout/predict-what-if.js";
import { type AppConfig, loadConfigFromEnvironment } from "../config.js";
import { createInventoryServices } from "./create-inventory-services.js";
import type { CliOutput } from "./inventory.js";

const USAGE = `Usage (judged from the last npm run rings, without touching the tenant):
  npm run whatif -- --profile NAME_OR_ID --allow AAGUID[,AAGUID…]   the profile's allow list becomes exactly these
  npm run whatif -- --profile NAME_OR_ID --enforce-attestation       the profile enforces attestation
  npm run whatif -- --ring GROUP_ID --profile NAME_OR_ID             the ring moves to that profile`;

export function parseWhatIf(args: string[]): PolicyChange | string {
  let values: { profile?: string; allow?: string; "enforce-attestation"?: boolean; ring?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        profile: { type: "string" },
        allow: { type: "string" },
        "enforce-attestation": { type: "boolean" },
        ring: { type: "string" },
      },
      strict: true,
    }));
  } catch (error) {
    return (error as Error).message;
  }
  if (!values.profile) return "--profile is required";
  const chosen = [values.allow !== undefined, values["enforce-attestation"] === true, values.ring !== undefined];
  if (chosen.filter(Boolean).length !== 1) return "Choose exactly one of --allow, --enforce-attestation, --ring";
  if (values.allow !== undefined) {
    const aaGuids = values.allow
      .split(",")
      .map((id) => id.trim())
      .filter(Boolean);
    const bad = aaGuids.find((id) => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));
    if (bad) return `--allow must list AAGUIDs (GUIDs); "${bad}" is not one`;
    return { kind: "allowList", profile: values.profile, aaGuids };
  }
  if (values.ring !== undefined) return { kind: "moveRing", ringId: values.ring, profile: values.profile };
  return { kind: "enforceAttestation", profile: values.profile };
}

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
