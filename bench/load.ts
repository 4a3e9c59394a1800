/**
 * `npm run bench:load [-- --conversations 200 --seconds 60 --instances 1,3 --think-ms 5000 --real-seconds 60]`:
 * end-to-end load on /api/messages of 1 and of 3 bot instances (separate processes, anonymous local mode,
 * `deliveryMode: expectReplies`) sharing one Azurite and one Graph emulator with 100 ms latency per request. Each
 * conversation is one person who loops over a mix of end-user triages (platform chosen on the card), agent triages
 * (`triage <UPN>`) and TAP requests (`tap <UPN>`: the agent's request form, with its Graph checks) until the time is up.
 *
 * Workload (stated, since the latency depends on it): people read before they act. Each conversation pauses a think
 * time between an answer and its next turn, uniform in 0.5–1.5 × `--think-ms` (default 5000 ms, so 200 people send
 * ~36 turns/s together), and the conversations start spread over the first think time rather than in the same
 * millisecond. The p95 of the last line is measured on this workload, on the largest instance count.
 * Capacity is printed too: a closed loop (no think time, every conversation starting at once, each turn sent the
 * moment the previous one is answered) of the same mix on the largest instance count, whose turns/s is what the
 * machine completes and whose latency is conversations ÷ turns/s. `--think-ms 0` makes every run a closed loop.
 *
 * The buckets are scaled out of the way for those runs; a last run uses Graph's real buckets (reports: 5 requests /
 * 10 s) on the largest instance count as a closed loop of `--real-conversations` (default 40): it measures the
 * ceiling of triages per minute. Prints turns/s, p50/p95/p99 per flow, the triage latency by 10-second window of the
 * run, errors, Graph 429s, triages per minute, peak RSS per instance, and ends with one line:
 * `load: <n> conversations × <s> s on <k> instances, p95 triage <ms> ms, errors <e>, 429s <q>, triages/min (real bucket) <t>, peak RSS <r> MB`.
 * Errors, 429s and peak RSS in that line cover every run, capacity included.
 * Figures only: nothing is asserted. Shorter for development: `-- --conversations 20 --seconds 10 --real-seconds 20`;
 * `--real-seconds 0` skips the real-bucket run, `--capacity-seconds 0` the capacity run.
 * Instances run the compiled build, as App Service does (`node dist/src/index.js`): the bench compiles first with
 * `tsc`; `--runner tsx` runs the sources through tsx instead (no build, but tsx's compiler adds CPU and memory).
 * Profiling the instances (not the driver, which also hosts the emulator): `--cpu-prof DIR` writes one V8 CPU profile
 * per instance into DIR when it exits, `--heap-prof DIR` one sampling heap profile (open either in Chrome DevTools).
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
import { compileSources, deployedNodeFlags } from "./deployed-instance.js";

const argument = (name: string, fallback: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
};
const CONVERSATIONS = Number(argument("conversations", "200"));
const SECONDS = Number(argument("seconds", "60"));
const INSTANCE_COUNTS = argument("instances", "1,3").split(",").map(Number);
const REAL_SECONDS = Number(argument("real-seconds", "60"));
/**
 * Conversations in the real-bucket run: 30 reports requests a minute cannot serve 200 people at once, and their queue
 * would outlast the run by many minutes; this run measures the ceiling, not the queue.
 */
const REAL_CONVERSATIONS = Number(argument("real-conversations", "40"));
/**
 * How people use the bot: a person reads a card before pressing the next button or typing the next command, so each
 * conversation pauses a think time between an answer and its next turn (uniform between half and one and a half times
 * `--think-ms`, default 5000 ms), and the conversations start spread over the first think time instead of all in the
 * same millisecond (on a rollout day people arrive one by one, not 200 at one click). The latency targets are judged
 * on this workload. `--think-ms 0` makes every run a closed loop instead.
 */
const THINK_MS = Number(argument("think-ms", "5000"));
/**
 * Capacity: the same mix as a closed loop (each turn sent the moment the one before is answered, no pause, all
 * conversations starting at once) on the largest instance count, so turns/s is what the machine completes and the
 * latency is conversations ÷ throughput (Little's law). `--capacity-seconds 0` skips it; it is skipped too when
 * `--think-ms 0` already made every run a closed loop.
 */
const CAPACITY_SECONDS = Number(argument("capacity-seconds", String(SECONDS)));
const CPU_PROFILE_DIR = argument("cpu-prof", "");
const HEAP_PROFILE_DIR = argument("heap-prof", "");
const PROFILE_FLAGS = [
  ...(CPU_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${resolve(CPU_PROFILE_DIR)}`] : []),
  ...(HEAP_PROFILE_DIR ? ["--heap-prof", `--heap-prof-dir=${resolve(HEAP_PROFILE_DIR)}`] : []),
];
/** After the time is up, a turn still waiting this long is counted as unfinished instead of being waited for. */
const GRACE_MS = 30_000;
const LATENCY_MS = 100;
/** Width of the windows the triage latency is also shown in, by when in the run each turn began. */
const WINDOW_MS = 10_000;
const SCALED = 1000;

const RUNNER = argument("runner", "compiled");
/**
 * Node's flags for an instance: the ones App Service starts it with (`appCommandLine` in infra/azure.bicep), so the
 * bench measures the memory a deployed instance has; `--instance-flags "…"` tries others.
 */
const INSTANCE_FLAGS = argument("instance-flags", deployedNodeFlags()).split(" ").filter(Boolean);
const TSX_LOADER = pathToFileURL(createRequire(__filename).resolve("tsx")).href;
const INSTANCE_ARGS =
  RUNNER === "tsx"
    ? ["--import", TSX_LOADER, resolve(__dirname, "../src/index.ts")]
    : [resolve(__dirname, "../dist/src/index.js")];
const tenantPath = resolve(__dirname, "../tenants/contoso-practice.json");
const practice = JSON.parse(readFileSync(tenantPath, "utf8")) as TenantFile;

interface Person {
  key: string;
  upn: string;
  id: string;
}

/**
 * The practice tenant plus one person of their own per conversation (a copy of a practice persona: same methods,
 * groups, manager, registration details), so 200 conversations are 200 people as on a rollout day, not the practice
 * tenant's twenty people with ten chats each (the fair queue and the per-person limits would rightly slow those).
 */
function tenantWithPeople(count: number): { tenant: TenantFile; endUsers: Person[]; agents: Person[] } {
  const tenant = structuredClone(practice) as TenantFile & Record<string, unknown>;
  const byKey = (key: string) => {
    const persona = practice.personas?.find((candidate) => candidate.key === key);
    const user = practice.users.find((candidate) => candidate.userPrincipalName === persona?.userPrincipalName);
    if (!user) throw new Error(`The practice tenant must have the persona ${key}`);
    return user;
  };
  const endUserKeys = [
    "all-good",
    "windows-hello-blocked",
    "stale-mfa",
    "yubikey-allowed",
    "ios-user",
    "no-mfa-method",
  ];
  const endUsers: Person[] = [];
  const agents: Person[] = [];
  for (let n = 0; n < count; n++) {
    const isAgent = n % 4 === 3;
    const key = isAgent ? (n % 8 === 3 ? "agent-1" : "agent-2") : (endUserKeys[n % endUserKeys.length] as string);
    const base = byKey(key);
    const id = `10ad0000-0000-4000-8000-${String(n).padStart(12, "0")}`;
    const upn = `load-${n}-${key}@${base.userPrincipalName.split("@")[1]}`;
    tenant.users.push({ ...base, id, userPrincipalName: upn, mail: upn, displayName: `${base.displayName} ${n}` });
    const methods = tenant.authenticationMethods as Record<string, Array<{ id: string }>>;
    methods[id] = (methods[base.id] ?? []).map((method, index) => ({
      ...method,
      id: `${method.id.slice(0, 24)}${String(n * 10 + index).padStart(12, "0")}`,
    }));
    for (const group of tenant.groups as Array<{ memberIds?: string[] }>) {
      if (group.memberIds?.includes(base.id)) group.memberIds.push(id);
    }
    const details = tenant.userRegistrationDetails as Array<{ id: string; userPrincipalName: string }> | undefined;
    const detail = details?.find((candidate) => candidate.id === base.id);
    if (detail) details?.push({ ...detail, id, userPrincipalName: upn });
    (isAgent ? agents : endUsers).push({ key, upn, id });
  }
  return { tenant, endUsers, agents };
}

const people = tenantWithPeople(CONVERSATIONS);
// Targets of agents' triages and TAP requests: people the TAP policy targets (a refusal is not what this measures).
const targets = people.endUsers.filter((person) =>
  ["all-good", "windows-hello-blocked", "yubikey-allowed", "ios-user"].includes(person.key),
);
/** Each conversation is one person: an agent in every fourth, an end user in the others (agents' turns use theirs). */
const endUserOf = (n: number) => people.endUsers[n % people.endUsers.length] as Person;
const agentOf = (n: number) => people.agents[n % people.agents.length] as Person;
const errorTitle = translate("en", "common.errorTitle");
const pleaseWaitTitle = translate("en", "common.pleaseWaitTitle");

type Flow = "end-user triage" | "agent triage" | "tap request";
interface Instance {
  url: string;
  child: ChildProcess;
  peakRssMb(): number;
  /** CPU time (user + system) the instance has used so far, in ms. */
  cpuMs(): number;
  stop(): Promise<void>;
}
interface RunResult {
  /** Pause between a conversation's turns; 0 is a closed loop. */
  thinkMs: number;
  unfinished: number;
  instances: number;
  conversations: number;
  seconds: number;
  turns: number;
  latencies: Record<Flow, number[]>;
  /** Triage latencies by the 10-second window of the run in which each turn began: where in the run the tail sits. */
  triageByWindow: number[][];
  errors: number;
  errorSamples: string[];
  /** Answers by flow and by what they say (their first line of text): which turns were verdicts and which were not. */
  answers: Record<Flow, Map<string, number>>;
  throttled: number;
  triagesPerMinute: number;
  peakRssMb: number[];
  /** Instance CPU per completed turn: what a turn costs whatever else the machine is doing. */
  cpuMsPerTurn: number;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function startInstance(env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, [...INSTANCE_FLAGS, ...PROFILE_FLAGS, ...INSTANCE_ARGS], {
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: "error" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  let stopping = false;
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  // An instance that dies mid-run would only show up as errors: say why it died.
  child.once("exit", (code, signal) => {
    if (!stopping) console.error(`bot instance ${port} exited (${code ?? signal}): ${stderr.slice(-2000)}`);
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
  const stop = () =>
    new Promise<void>((done) => {
      stopping = true;
      child.once("exit", () => done());
      child.kill("SIGTERM");
    });
  const cpuMs = () => {
    try {
      // Fields 14 and 15 of /proc/<pid>/stat, after the command name in parentheses: utime and stime in ticks (100/s).
      const fields = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
      return (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      return 0;
    }
  };
  return { url, child, peakRssMb, cpuMs, stop };
}

function activity(from: Person, conversation: number, connector: FakeConnector, fields: object) {
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

async function turn(url: string, body: object, signal: AbortSignal): Promise<{ ok: boolean; detail: string }> {
  const response = await fetch(`${url}/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
  const text = await response.text();
  if (response.status !== 200) return { ok: false, detail: `HTTP ${response.status} ${text.slice(0, 120)}` };
  if (text.includes(errorTitle)) {
    const message = /"text":"((?:[^"\\]|\\.)*)"/g;
    const texts = [...text.matchAll(message)].map((match) => match[1]).filter((t) => t !== errorTitle);
    return { ok: false, detail: `error card: ${texts.slice(0, 2).join(" / ")}` };
  }
  if (text.includes(pleaseWaitTitle)) return { ok: true, detail: "please wait" };
  // An answer's first line of text tells a verdict from "checking…" or "try again": numbers vary, so they go.
  const first = /"text":"((?:[^"\\]|\\.)*)"/.exec(text)?.[1] ?? "(no text)";
  return { ok: true, detail: first.replace(/\d+/g, "N").slice(0, 60) };
}

async function runLoad(
  label: string,
  emulator: RunningEmulator,
  azurite: RunningAzurite,
  connector: FakeConnector,
  instanceCount: number,
  seconds: number,
  scale: number,
  conversations: number,
  thinkMs: number,
): Promise<RunResult> {
  const env = {
    GRAPH_EMULATOR_URL: emulator.baseUrl,
    STORAGE_CONNECTION_STRING: azurite.connectionString,
    GRAPH_EMULATOR_THROTTLE_SCALE: String(scale),
  };
  // One after another: two free-port probes at once can pick the same port.
  const instances: Instance[] = [];
  for (let i = 0; i < instanceCount; i++) instances.push(await startInstance(env));
  emulator.requestLog.length = 0;
  const cpuAtStart = instances.map((instance) => instance.cpuMs());
  const latencies: Record<Flow, number[]> = { "end-user triage": [], "agent triage": [], "tap request": [] };
  let errors = 0;
  let turns = 0;
  const errorSamples: string[] = [];
  const answers: Record<Flow, Map<string, number>> = {
    "end-user triage": new Map(),
    "agent triage": new Map(),
    "tap request": new Map(),
  };
  const deadline = Date.now() + seconds * 1000;
  const giveUpAt = Date.now() + seconds * 1000 + GRACE_MS;
  let unfinished = 0;
  const started = Date.now();
  const startedAt = performance.now();
  const triageByWindow: number[][] = [];
  const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));
  const conversation = async (n: number) => {
    const instance = instances[n % instances.length] as Instance;
    if (thinkMs > 0) await pause(thinkMs * Math.random());
    // A dead instance would turn the rest of the run into a spin of refused connections.
    while (Date.now() < deadline && instance.child.exitCode === null) {
      const roll = Math.random();
      const flow: Flow = n % 4 !== 3 ? "end-user triage" : roll < 0.6 ? "agent triage" : "tap request";
      let body: object;
      if (flow === "end-user triage") {
        body = activity(endUserOf(n), n, connector, {
          type: "invoke",
          name: "adaptiveCard/action",
          value: { action: { type: "Action.Execute", verb: "triage.platform", data: { platform: "windows" } } },
        });
      } else {
        const agent = agentOf(n);
        const text = `${flow === "agent triage" ? "triage" : "tap"} ${pick(targets).upn}`;
        body = activity(agent, n, connector, { type: "message", text });
      }
      const begin = performance.now();
      // A signal per turn: one shared by every fetch of the run collected an abort listener per turn (Node warned).
      const giveUp = AbortSignal.timeout(Math.max(1, giveUpAt - Date.now()));
      try {
        const result = await turn(instance.url, body, giveUp);
        answers[flow].set(result.detail, (answers[flow].get(result.detail) ?? 0) + 1);
        if (!result.ok) {
          errors++;
          if (errorSamples.length < 5) errorSamples.push(`${flow}: ${result.detail}`);
        }
      } catch (error) {
        if (giveUp.aborted) {
          unfinished++;
          continue;
        }
        errors++;
        if (errorSamples.length < 5) errorSamples.push(`${flow}: ${String(error)}`);
      }
      const took = performance.now() - begin;
      latencies[flow].push(took);
      if (flow !== "tap request") {
        const slot = Math.floor((begin - startedAt) / WINDOW_MS);
        triageByWindow[slot] = [...(triageByWindow[slot] ?? []), took];
      }
      turns++;
      if (thinkMs > 0) await pause(thinkMs * (0.5 + Math.random()));
    }
  };
  await Promise.all(Array.from({ length: conversations }, (_, n) => conversation(n)));
  const elapsedS = (Date.now() - started) / 1000;
  // Give deferred results (sent proactively after "Checking…") a moment to land before counting Graph's work.
  await new Promise((done) => setTimeout(done, 1500));
  const throttled = emulator.requestLog.filter((entry) => entry.status === 429).length;
  const triages = emulator.requestLog.filter(
    (entry) => entry.status === 200 && /\/users\/[^/]+\/authentication\/methods$/.test(entry.path),
  ).length;
  const peakRssMb = instances.map((instance) => instance.peakRssMb());
  const cpuUsed = instances.reduce((sum, instance, i) => sum + instance.cpuMs() - (cpuAtStart[i] ?? 0), 0);
  await Promise.all(instances.map((instance) => instance.stop()));
  const result: RunResult = {
    thinkMs,
    instances: instanceCount,
    conversations,
    seconds,
    unfinished,
    turns,
    latencies,
    triageByWindow,
    errors,
    errorSamples,
    answers,
    throttled,
    triagesPerMinute: (triages / elapsedS) * 60,
    peakRssMb,
    cpuMsPerTurn: turns > 0 ? cpuUsed / turns : 0,
  };
  print(label, result, elapsedS);
  return result;
}

function print(label: string, result: RunResult, elapsedS: number): void {
  const pace = result.thinkMs > 0 ? `think ${result.thinkMs} ms, starts spread` : "closed loop, no think time";
  console.log(
    `\n${label}: ${result.conversations} conversations × ${result.seconds} s on ${result.instances} instance(s), ${pace}`,
  );
  console.log(`  turns/s ${(result.turns / elapsedS).toFixed(1)} (${result.turns} turns)`);
  for (const [flow, values] of Object.entries(result.latencies)) {
    console.log(
      `  ${flow.padEnd(16)} n=${String(values.length).padStart(5)}  p50 ${percentile(values, 50).toFixed(0)} ms  p95 ${percentile(values, 95).toFixed(0)} ms  p99 ${percentile(values, 99).toFixed(0)} ms`,
    );
  }
  const windows = Array.from(result.triageByWindow, (values, i) => {
    const v = values ?? [];
    return `${(i * WINDOW_MS) / 1000}s n=${v.length} p50 ${percentile(v, 50).toFixed(0)} p95 ${percentile(v, 95).toFixed(0)}`;
  });
  console.log(`  triage by start time: ${windows.join(" | ")}`);
  console.log(`  unfinished when the time was up (+${GRACE_MS / 1000} s) ${result.unfinished}`);
  console.log(`  errors ${result.errors}${result.errorSamples.length ? `: ${result.errorSamples.join(" | ")}` : ""}`);
  for (const [flow, kinds] of Object.entries(result.answers)) {
    const top = [...kinds].sort((a, b) => b[1] - a[1]).slice(0, 4);
    console.log(`  ${flow} answers: ${top.map(([kind, count]) => `${count} × "${kind}"`).join(", ") || "none"}`);
  }
  console.log(`  Graph 429s ${result.throttled}`);
  console.log(`  triages/min ${result.triagesPerMinute.toFixed(1)} (snapshot reads Graph answered)`);
  console.log(`  instance CPU per turn ${result.cpuMsPerTurn.toFixed(1)} ms (all instances' CPU time ÷ turns)`);
  console.log(`  peak RSS per instance ${result.peakRssMb.map((mb) => `${mb} MB`).join(", ")}`);
}

async function main(): Promise<void> {
  if (RUNNER !== "tsx") compileSources();
  console.log(`instances: node ${[...INSTANCE_FLAGS, ...INSTANCE_ARGS].join(" ")}`);
  const [azurite, connector] = await Promise.all([startAzurite(), startFakeConnector()]);
  const runs: RunResult[] = [];
  let capacity: RunResult | undefined;
  try {
    const scaled = await startEmulator({
      port: 0,
      tenant: people.tenant,
      latencyMs: LATENCY_MS,
      throttleScale: SCALED,
    });
    try {
      for (const count of INSTANCE_COUNTS) {
        runs.push(
          await runLoad(`scaled buckets`, scaled, azurite, connector, count, SECONDS, SCALED, CONVERSATIONS, THINK_MS),
        );
      }
      if (THINK_MS > 0 && CAPACITY_SECONDS > 0) {
        const count = Math.max(...INSTANCE_COUNTS);
        const label = "capacity (scaled buckets, closed loop)";
        capacity = await runLoad(label, scaled, azurite, connector, count, CAPACITY_SECONDS, SCALED, CONVERSATIONS, 0);
      }
    } finally {
      await scaled.close();
    }
    const realCount = Math.max(...INSTANCE_COUNTS);
    let realRun: RunResult | undefined;
    if (REAL_SECONDS > 0) {
      const real = await startEmulator({ port: 0, tenant: people.tenant, latencyMs: LATENCY_MS, throttleScale: 1 });
      try {
        realRun = await runLoad(
          `real buckets`,
          real,
          azurite,
          connector,
          realCount,
          REAL_SECONDS,
          1,
          Math.min(CONVERSATIONS, REAL_CONVERSATIONS),
          0,
        );
      } finally {
        await real.close();
      }
    }
    const main = runs[runs.length - 1] as RunResult;
    const all = [...runs, ...(capacity ? [capacity] : []), ...(realRun ? [realRun] : [])];
    const triageLatencies = [...main.latencies["end-user triage"], ...main.latencies["agent triage"]];
    const errors = all.reduce((sum, run) => sum + run.errors, 0);
    const throttled = all.reduce((sum, run) => sum + run.throttled, 0);
    const peak = Math.max(...all.flatMap((run) => run.peakRssMb));
    const realFigure = realRun ? realRun.triagesPerMinute.toFixed(1) : "not run";
    // The pace goes on its own line: the last line reads exactly as issue 13 states it.
    console.log(
      `\npace of the p95 below: ${THINK_MS > 0 ? `think ${THINK_MS} ms (2.5–7.5 s), starts spread` : "closed loop"}`,
    );
    console.log(
      `load: ${main.conversations} conversations × ${main.seconds} s on ${main.instances} instances, p95 triage ${percentile(triageLatencies, 95).toFixed(0)} ms, errors ${errors}, 429s ${throttled}, triages/min (real bucket) ${realFigure}, peak RSS ${peak} MB`,
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
