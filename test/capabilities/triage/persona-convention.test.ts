import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuthenticatorCatalog } from "../../../src/capabilities/authenticators/create-authenticator-catalog.js";
import { diagnosePasskeyRegistration } from "../../../src/capabilities/triage/engine/diagnose-passkey-registration.js";
import type { Platform, QuestionId } from "../../../src/capabilities/triage/engine/diagnosis.js";
import { runTriage } from "../../../src/capabilities/triage/run-triage.js";
import { createManualClock } from "../../../src/emulator/emulator-clock.js";
import { type RunningEmulator, startEmulator } from "../../../src/emulator/start-emulator.js";
import type { TenantFile, TenantPersona } from "../../../src/emulator/tenant-file.js";
import { createGraphGateway } from "../../../src/graph/create-graph-gateway.js";
import { repoPath } from "../../support/repo-path.js";

const TENANT_ID = "7d3e5a2c-1b4f-4c8e-9a6d-2f0b8c4e6a10";
const BOT_APP = { clientId: "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f", clientSecret: "contoso-practice-bot-secret" };
const START = Date.parse("2026-11-22T10:00:00Z");
/** However long `npm start` has run: the answers must not drift (docs/personas.md "Time"). */
const LONG_RUN_MS = 3 * 3600_000 + 7 * 60_000 + 31_000;

interface Expectation {
  verdicts: string[];
  firstBlocking: QuestionId | null;
  needsTap: boolean;
  /** Where the agent's triage (which also reads the audit log) answers otherwise: "agent path: **warn**". */
  agentVerdicts?: string[];
}

const VERDICT_ORDER = ["policyScope", "freshMfa", "platform", "authenticator"] as const;

/** The convention table of docs/personas.md, read as a person reads it: the bold verdict of each question column. */
function readConventionTable(): Map<string, Expectation> {
  const doc = readFileSync(repoPath("docs/personas.md"), "utf8");
  const rows = new Map<string, Expectation>();
  for (const line of doc.split("\n")) {
    const cells = line.split("|").map((cell) => cell.trim());
    const key = /^`([a-z0-9-]+)`$/.exec(cells[1] ?? "")?.[1];
    if (!key || cells.length < 11) continue;
    const verdicts = cells.slice(5, 9).map((cell) => /\*\*(pass|fail|warn|unknown)\*\*/.exec(cell)?.[1] ?? "?");
    const agentVerdicts = cells
      .slice(5, 9)
      .map((cell, index) => /agent path: \*\*(pass|fail|warn|unknown)\*\*/.exec(cell)?.[1] ?? verdicts[index] ?? "?");
    const [blocking, tap] = (cells[9] ?? "").split("·").map((part) => part.replace(/\*/g, "").trim());
    rows.set(key, {
      verdicts,
      firstBlocking: blocking === "none" ? null : (blocking as QuestionId),
      needsTap: tap === "yes",
      ...(agentVerdicts.join() !== verdicts.join() ? { agentVerdicts } : {}),
    });
  }
  return rows;
}

function expectationOf(persona: TenantPersona): Expectation {
  const expected = persona.expected;
  if (!expected) throw new Error(`Persona ${persona.key} must state its expected answers`);
  const verdicts = VERDICT_ORDER.map((q) => expected[q]);
  const agent = expected.agentPath;
  const agentVerdicts = VERDICT_ORDER.map((q) => agent?.[q] ?? expected[q]);
  return {
    verdicts,
    firstBlocking: expected.firstBlocking as QuestionId | null,
    needsTap: expected.needsTemporaryAccessPass,
    ...(agentVerdicts.join() !== verdicts.join() ? { agentVerdicts } : {}),
  };
}

/** The answers of one path: the agent's path takes its own verdicts where the table gives them. */
function forPath(expected: Expectation, forAgent: boolean) {
  return {
    verdicts: forAgent ? (expected.agentVerdicts ?? expected.verdicts) : expected.verdicts,
    firstBlocking: expected.firstBlocking,
    needsTap: expected.needsTap,
  };
}

function platformOf(persona: TenantPersona): Platform {
  const scenario = persona.scenario;
  if (!scenario) throw new Error(`Persona ${persona.key} must state its scenario`);
  return scenario.isCrossDevice ? "otherDeviceQr" : (scenario.platform as Platform);
}

describe.each([
  ["tenants/contoso-practice.json", true],
  ["tenants/contoso-practice-selfservice-off.json", false],
])("%s: the engine obeys the documented convention on the end-user and the agent path", (file, isDocumented) => {
  const path = repoPath(file);
  const tenant = JSON.parse(readFileSync(path, "utf8")) as TenantFile;
  const personas = (tenant.personas ?? []).filter((p) => p.scenario);
  const clock = createManualClock(START);
  const catalog = createAuthenticatorCatalog();
  let emulator: RunningEmulator;
  let gateway: ReturnType<typeof createGraphGateway>;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, tenant: path, clock, throttleScale: 100, keepTimesCurrent: true });
    gateway = createGraphGateway({
      mode: "emulator",
      baseUrl: emulator.baseUrl,
      tenantId: TENANT_ID,
      ...BOT_APP,
      schedulerOptions: { reportsPerWindow: 500 },
    });
    clock.advance(LONG_RUN_MS);
  });

  afterAll(async () => {
    await emulator?.close();
  });

  it("has personas, and the documented table names every one of them", () => {
    expect(personas.length).toBeGreaterThan(15);
    if (!isDocumented) return;
    const table = readConventionTable();
    for (const persona of personas) {
      expect(table.get(persona.key), persona.key).toEqual(expectationOf(persona));
    }
  });

  it.each(personas.flatMap((p) => [false, true].map((forAgent) => ({ key: p.key, forAgent }))))(
    "$key (agent path: $forAgent), hours after the emulator started",
    async ({ key, forAgent }) => {
      const persona = personas.find((p) => p.key === key) as TenantPersona;
      const expected = isDocumented
        ? (readConventionTable().get(key) ?? expectationOf(persona))
        : expectationOf(persona);
      const user = await gateway.getUser(persona.userPrincipalName);
      const { diagnosis } = await runTriage(
        {
          gateway,
          diagnose: (input) => diagnosePasskeyRegistration({ ...input, catalog }),
          now: () => new Date(clock.now()),
        },
        { userId: user.id, platform: platformOf(persona), aaGuid: persona.scenario?.aaGuid ?? null, forAgent },
      );
      const explain = diagnosis.questions.map((q) => `${q.question}=${q.verdict} ${q.summary.key}`).join("\n");
      expect(
        {
          verdicts: diagnosis.questions.map((q) => q.verdict),
          firstBlocking: diagnosis.firstBlocking,
          needsTap: diagnosis.needsTemporaryAccessPass,
        },
        explain,
      ).toEqual(forPath(expected, forAgent));
    },
  );
});
