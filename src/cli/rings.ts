import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import type { RingReadiness } from "../capabilities/rollout/ring-readiness.js";
import { runRingReadiness } from "../capabilities/rollout/run-ring-readiness.js";
import { diagnosisLocaleKey } from "../capabilities/triage/engine/diagnosis-text.js";
import { type AppConfig, loadConfigFromEnvironment } from "../config.js";
import { translate } from "../locales/translate.js";
import { createInventoryServices, ringReadinessDependencies } from "./create-inventory-services.js";
import type { CliOutput } from "./inventory.js";

const USAGE = `Usage:
  npm run rings -- [--ring GROUP_ID]… [--json FILE]
    Ring readiness from the latest inventory snapshot (run npm run inventory first): every member of each ring
    (default: the Passkey policy's include groups) gets the triage's four questions; prints the funnel, the blockers
    with the admin fix for each, the recommended allow list and the next rollout step.`;

export function formatRing(ring: RingReadiness): string[] {
  const f = ring.funnel;
  const lines = [
    `Ring ${ring.ringName} (${ring.ringId})`,
    `  funnel: ${f.members} members → ${f.inPolicy} in policy → ${f.canProveIdentity} can prove it's them → ${f.platformReady} platform ready → ${f.authenticatorAccepted} authenticator accepted → ${f.registered} registered`,
  ];
  for (const blocker of ring.blockers) {
    const fix = blocker.fix ? translate("en", diagnosisLocaleKey(blocker.fix), blocker.fix.params) : "—";
    lines.push(`  blocked at ${blocker.question}: ${blocker.count} — fix: ${fix}`);
  }
  lines.push(
    `  allow list in use: ${ring.recommendedAllowList.map((entry) => `${entry.name} ${entry.aaGuid} (${entry.count})`).join("; ") || "—"}`,
    `  next step: ${ring.nextStep}; safe to require phishing-resistant sign-in: ${ring.isSafeToRequirePhishingResistant ? "yes" : `not yet (${ring.withoutPhishingResistant} members without a phishing-resistant method)`}`,
  );
  return lines;
}

export async function runRingsCli(
  args: string[],
  io: CliOutput,
  loadAppConfig: () => Pick<AppConfig, "graph" | "storage"> = loadConfigFromEnvironment,
): Promise<number> {
  let values: { ring?: string[]; json?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: { ring: { type: "string", multiple: true }, json: { type: "string" } },
      strict: true,
    }));
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const config = loadAppConfig();
  const services = createInventoryServices({ graph: config.graph, storage: config.storage });
  await services.ensure();
  const result = await runRingReadiness(
    ringReadinessDependencies(services, () => new Date(), {
      onProgress: (done, total) => process.stderr.write(`\r${done}/${total} members`),
    }),
    { ...(values.ring ? { ringIds: values.ring } : {}), runId: `rings-${Date.now()}-${randomUUID().slice(0, 8)}` },
  );
  process.stderr.write("\n");
  for (const ring of result.rings) for (const line of formatRing(ring)) io.out(line);
  if (values.json) {
    const { writeFile } = await import("node:fs/promises");
    await writeFile(values.json, `${JSON.stringify(result.rings, null, 2)}\n`, "utf8");
  }
  return 0;
}

if (require.main === module) {
  runRingsCli(process.argv.slice(2), {
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
