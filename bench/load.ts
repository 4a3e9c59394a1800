/**
 * `npm run bench:load [-- --conversations 200 --seconds 60 --instances 1,3 --real-seconds 60]`: end-to-end load on
 * /api/messages of 1 and of 3 bot instances (separate processes, anonymous local mode, `deliveryMode: expectReplies`)
 * sharing one Azurite and one Graph emulator with 100 ms latency per request. Each conversation loops over a mix of
 * end-user triages (platform chosen on the card), agent triages (`triage <UPN>`) and TAP requests (`tap <UPN>`: the
 * agent's request form, with its Graph checks) until the time is up. The buckets are scaled out of the way for those
 * runs; a last run uses Graph's real buckets (reports: 5 requests / 10 s) on the largest instance count. Prints turns/s,
 * p50/p95/p99 per flow, errors, Graph 429s, triages per minute, peak RSS per instance, and ends with one line:
 * `load: <n> conversations × <s> s on <k> instances, p95 triage <ms> ms, errors <e>, 429s <q>, triages/min (real bucket) <t>, peak RSS <r> MB`.
 * Figures only: nothing is asserted. Shorter for development: `-- --conversations 20 --seconds 10 --real-seconds 20`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { PracticeTenant } from "../src/config.js";
import { type RunningEmulator, startEmulator } from "../src/emulator/start-emulator.js";
import type { TenantFile } from "../src/emulator/tenant-file.js";
import { translate } from "../src/locales/translate.js";
import { type RunningAzurite, startAzurite } from "../test/support/azurite.js";
import { type FakeConnector, startFakeConnector } from "../test/support/bot-connector.js";
import { freePort } from "../test/support/free-port.js";

const argument = (name: string, fallback: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
};
const CONVERSATIONS = Number(argument("conversations", "200"));
const SECONDS = Number(argument("seconds", "60"));
const INSTANCE_COUNTS = argument("instances", "1,3").split(",").map(Number);
const REAL_SECONDS = Number(argument("real-seconds", "60"));
const LATENCY_MS = 100;
const SCALED = 1000;

const TSX_LOADER = pathToFileURL(createRequire(__filename).resolve("tsx")).href;
const ENTRY = resolve(__dirname, "../src/index.ts");
const tenantPath = resolve(__dirname, "../tenants/contoso-practice.json");
const tenant = JSON.parse(readFileSync(tenantPath, "utf8")) as TenantFile;
const personas = (tenant.personas ?? []).map((persona) => {
  const user = tenant.users.find((candidate) => candidate.userPrincipalName === persona.userPrincipalName);
  return { key: persona.key, upn: persona.userPrincipalName, id: user?.id ?? "" };
});
const endUsers = personas.filter((p) => !["agent-1", "agent-2", "admin", "manager", "manager-top"].includes(p.key));
const agents = personas.filter((p) => p.key === "agent-1" || p.key === "agent-2");
// Agents are left out: asking for a pass for oneself is refused by design, which is not what this measures.
const targets = personas.filter((p) => !["privileged-admin", "external-guest", "agent-1", "agent-2"].includes(p.key));
const errorTitle = translate("en", "common.errorTitle");
const pleaseWaitTitle = translate("en", "common.pleaseWaitTitle");

type Flow = "end-user triage" | "agent triage" | "tap request";
interface Instance {
  url: string;
  child: ChildProcess;
  peakRssMb(): number;
}
interface RunResult {
  instances: number;
  conversations: number;
  seconds: number;
  turns: number;
  latencies: Record<Flow, number[]>;
  errors: number;
  errorSamples: string[];
  throttled: number;
  triagesPerMinute: number;
  peakRssMb: number[];
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function startInstance(env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", TSX_LOADER, ENTRY], {
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: "error" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`bot instance exited: ${stderr}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.status === 200 || response.status === 503) break;
    } catch {
      // not listening yet
    }
    if (attempt > 600) throw new Error(`bot instance did not start: ${stderr}`);
    await new Promise((done) => setTimeout(done, 100));
  }
  const peakRssMb = () => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return Math.round(kb / 1024);
    } catch {
      return 0;
    }
  };
  return { url, child, peakRssMb };
}

function activity(from: { id: string; key: string }, conversation: number, connector: FakeConnector, fields: object) {
  return {
    id: `${conversation}-${Math.random().toString(36).slice(2)}`,
    channelId: "msteams",
    serviceUrl: `${connector.url}/`,
    timestamp: new Date().toISOString(),
    locale: "en-US",
    from: { id: `29:${from.id}`, name: from.key, aadObjectId: from.id },
    recipient: { id: "28:passkey-helpdesk", name: "Passkey Helpdesk" },
    conversation: {
      id: `a:load-${conversation}-${from.id}`,
      conversationType: "personal",
      tenantId: PracticeTenant.tenantId,
    },
    channelData: { tenant: { id: PracticeTenant.tenantId } },
    deliveryMode: "expectReplies",
    ...fields,
  };
}

function pick<T>(items: T[]): T {
  return items[Math.floor(Math.random() * items.length)] as T;
}

async function turn(url: string, body: object): Promise<{ ok: boolean; detail: string }> {
  const response = await fetch(`${url}/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 200) return { ok: false, detail: `HTTP ${response.status} ${text.slice(0, 120)}` };
  if (text.includes(errorTitle)) {
    const message = /"text":"((?:[^"\\]|\\.)*)"/g;
    const texts = [...text.matchAll(message)].map((match) => match[1]).filter((t) => t !== errorTitle);
    return { ok: false, detail: `error card: ${texts.slice(0, 2).join(" / ")}` };
  }
  if (text.includes(pleaseWaitTitle)) return { ok: true, detail: "please wait" };
  return { ok: true, detail: "" };
}

async function runLoad(
  label: string,
  emulator: RunningEmulator,
  azurite: RunningAzurite,
  connector: FakeConnector,
  instanceCount: number,
  seconds: number,
  scale: number,
): Promise<RunResult> {
  const env = {
    GRAPH_EMULATOR_URL: emulator.baseUrl,
    STORAGE_CONNECTION_STRING: azurite.connectionString,
    GRAPH_EMULATOR_THROTTLE_SCALE: String(scale),
  };
  const instances = await Promise.all(Array.from({ length: instanceCount }, () => startInstance(env)));
  emulator.requestLog.length = 0;
  const latencies: Record<Flow, number[]> = { "end-user triage": [], "agent triage": [], "tap request": [] };
  let errors = 0;
  let turns = 0;
  const errorSamples: string[] = [];
  const deadline = Date.now() + seconds * 1000;
  const started = Date.now();
  const conversation = async (n: number) => {
    const instance = instances[n % instances.length] as Instance;
    while (Date.now() < deadline) {
      const roll = Math.random();
      const flow: Flow = roll < 0.6 ? "end-user triage" : roll < 0.85 ? "agent triage" : "tap request";
      let body: object;
      if (flow === "end-user triage") {
        body = activity(pick(endUsers), n, connector, {
          type: "invoke",
          name: "adaptiveCard/action",
          value: { action: { type: "Action.Execute", verb: "triage.platform", data: { platform: "windows" } } },
        });
      } else {
        const agent = pick(agents);
        const text = `${flow === "agent triage" ? "triage" : "tap"} ${pick(targets).upn}`;
        body = activity(agent, n, connector, { type: "message", text });
      }
      const begin = performance.now();
      try {
        const result = await turn(instance.url, body);
        if (!result.ok) {
          errors++;
          if (errorSamples.length < 5) errorSamples.push(`${flow}: ${result.detail}`);
        }
      } catch (error) {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(`${flow}: ${String(error)}`);
      }
      latencies[flow].push(performance.now() - begin);
      turns++;
    }
  };
  await Promise.all(Array.from({ length: CONVERSATIONS }, (_, n) => conversation(n)));
  const elapsedS = (Date.now() - started) / 1000;
  // Give deferred results (sent proactively after "Checking…") a moment to land before counting Graph's work.
  await new Promise((done) => setTimeout(done, 1500));
  const throttled = emulator.requestLog.filter((entry) => entry.status === 429).length;
  const triages = emulator.requestLog.filter(
    (entry) => entry.status === 200 && /\/users\/[^/]+\/authentication\/methods$/.test(entry.path),
  ).length;
  const peakRssMb = instances.map((instance) => instance.peakRssMb());
  await Promise.all(
    instances.map(
      (instance) =>
        new Promise<void>((done) => {
          instance.child.once("exit", () => done());
          instance.child.kill("SIGTERM");
        }),
    ),
  );
  const result: RunResult = {
    instances: instanceCount,
    conversations: CONVERSATIONS,
    seconds,
    turns,
    latencies,
    errors,
    errorSamples,
    throttled,
    triagesPerMinute: (triages / elapsedS) * 60,
    peakRssMb,
  };
  print(label, result, elapsedS);
  return result;
}

function print(label: string, result: RunResult, elapsedS: number): void {
  console.log(
    `\n${label}: ${result.conversations} conversations × ${result.seconds} s on ${result.instances} instance(s)`,
  );
  console.log(`  turns/s ${(result.turns / elapsedS).toFixed(1)} (${result.turns} turns)`);
  for (const [flow, values] of Object.entries(result.latencies)) {
    console.log(
      `  ${flow.padEnd(16)} n=${String(values.length).padStart(5)}  p50 ${percentile(values, 50).toFixed(0)} ms  p95 ${percentile(values, 95).toFixed(0)} ms  p99 ${percentile(values, 99).toFixed(0)} ms`,
    );
  }
  console.log(`  errors ${result.errors}${result.errorSamples.length ? `: ${result.errorSamples.join(" | ")}` : ""}`);
  console.log(`  Graph 429s ${result.throttled}`);
  console.log(`  triages/min ${result.triagesPerMinute.toFixed(1)} (snapshot reads Graph answered)`);
  console.log(`  peak RSS per instance ${result.peakRssMb.map((mb) => `${mb} MB`).join(", ")}`);
}

async function main(): Promise<void> {
  const [azurite, connector] = await Promise.all([startAzurite(), startFakeConnector()]);
  const runs: RunResult[] = [];
  try {
    const scaled = await startEmulator({ port: 0, tenant: tenantPath, latencyMs: LATENCY_MS, throttleScale: SCALED });
    try {
      for (const count of INSTANCE_COUNTS) {
        runs.push(await runLoad(`scaled buckets`, scaled, azurite, connector, count, SECONDS, SCALED));
      }
    } finally {
      await scaled.close();
    }
    const realCount = Math.max(...INSTANCE_COUNTS);
    const real = await startEmulator({ port: 0, tenant: tenantPath, latencyMs: LATENCY_MS, throttleScale: 1 });
    let realRun: RunResult;
    try {
      realRun = await runLoad(`real buckets`, real, azurite, connector, realCount, REAL_SECONDS, 1);
    } finally {
      await real.close();
    }
    const main = runs[runs.length - 1] as RunResult;
    const triageLatencies = [...main.latencies["end-user triage"], ...main.latencies["agent triage"]];
    const errors = runs.reduce((sum, run) => sum + run.errors, realRun.errors);
    const throttled = runs.reduce((sum, run) => sum + run.throttled, realRun.throttled);
    const peak = Math.max(...runs.flatMap((run) => run.peakRssMb), ...realRun.peakRssMb);
    console.log(
      `\nload: ${main.conversations} conversations × ${main.seconds} s on ${main.instances} instances, p95 triage ${percentile(triageLatencies, 95).toFixed(0)} ms, errors ${errors}, 429s ${throttled}, triages/min (real bucket) ${realRun.triagesPerMinute.toFixed(1)}, peak RSS ${peak} MB`,
    );
  } finally {
    await Promise.all([azurite.stop(), connector.close()]);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
