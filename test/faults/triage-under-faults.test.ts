import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CardVerbs } from "../../src/bot/card-verbs.js";
import { createLogger } from "../../src/bot/create-logger.js";
import { PracticeTenant } from "../../src/config.js";
import { type RunningEmulator, startEmulator } from "../../src/emulator/start-emulator.js";
import { createGraphGateway } from "../../src/graph/create-graph-gateway.js";
import { runWithGraphRequestContext } from "../../src/graph/graph-request-context.js";
import { type RunningApp, startApp } from "../../src/index.js";
import { translate } from "../../src/locales/translate.js";
import { type RunningAzurite, startAzurite } from "../support/azurite.js";
import { botConfigOver } from "../support/bot-config.js";
import { type FakeConnector, startFakeConnector } from "../support/bot-connector.js";
import { cardTexts, PRACTICE_TENANT_PATH, post, practicePersona, teamsActivity } from "../support/bot-http.js";

let azurite: RunningAzurite;
let connector: FakeConnector;

beforeAll(async () => {
  [azurite, connector] = await Promise.all([startAzurite(), startFakeConnector()]);
});
afterAll(async () => {
  await Promise.all([azurite?.stop(), connector?.close()]);
});

const people = ["all-good", "windows-hello-blocked", "stale-mfa", "yubikey-allowed", "ios-user", "no-mfa-method"];

describe("the gateway's triage reads under Graph's fault modes", () => {
  it.each([
    ["a 429 storm with Retry-After", "429:0.4"],
    ["503s", "503:0.3"],
    ["answers slower than the client timeout", "slow:0.2:2500"],
    ["reset connections", "reset:0.2"],
    ["all of them at once", "429:0.15,503:0.1,slow:0.05:2500,reset:0.05"],
  ])(
    "every snapshot ends with data or a named read problem, never a hang or a stray error (%s)",
    async (_label, faults) => {
      const emulator = await startEmulator({
        port: 0,
        tenant: PRACTICE_TENANT_PATH,
        throttleScale: 100,
        faults,
        faultSeed: 7,
      });
      try {
        const gateway = createGraphGateway({
          mode: "emulator",
          baseUrl: emulator.baseUrl,
          tenantId: PracticeTenant.tenantId,
          clientId: PracticeTenant.graphClientId,
          clientSecret: PracticeTenant.graphClientSecret,
          requestTimeoutMs: 1_000,
          schedulerOptions: { reportsPerWindow: 500, maxThrottleRetries: 3 },
        });
        const since = new Date(Date.now() - 24 * 3600_000).toISOString();
        const outcomes = await Promise.allSettled(
          Array.from({ length: 12 }, (_, i) =>
            runWithGraphRequestContext({ person: `p${i}` }, () =>
              gateway.getUserAuthSnapshot(practicePersona(people[i % people.length] as string).aadObjectId, {
                groupIds: [],
                signInsSince: since,
              }),
            ),
          ),
        );
        for (const outcome of outcomes) {
          if (outcome.status === "rejected") {
            // The user read itself failing is the one thing a snapshot cannot do without: it must say why, by name.
            expect(["ThrottledError", "GraphUnavailableError", "GraphQueueFullError"]).toContain(
              (outcome.reason as Error).name,
            );
            continue;
          }
          for (const part of [outcome.value.methods, outcome.value.signIns, outcome.value.devices]) {
            if (!part.ok) expect(["throttled", "unavailable"]).toContain(part.problem.kind);
          }
        }
        expect(outcomes.some((outcome) => outcome.status === "fulfilled")).toBe(true);
      } finally {
        await emulator.close();
      }
    },
    120_000,
  );
});

describe("the bot's triage turns under Graph's fault modes", () => {
  let emulator: RunningEmulator;
  let app: RunningApp;

  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0,
      tenant: PRACTICE_TENANT_PATH,
      throttleScale: 100,
      faults: "429:0.15,503:0.1,reset:0.05",
      faultSeed: 3,
    });
    app = await startApp(botConfigOver({ emulator, azurite }, { GRAPH_EMULATOR_THROTTLE_SCALE: "100" }), {
      logger: createLogger("silent"),
    });
  });
  afterAll(async () => {
    await app?.close();
    await emulator?.close();
  });

  it("answers every person, in place or by a follow-up message, with a result or a clear message — never a 5xx", async () => {
    const checking = translate("en", "triage.checkingTitle");
    const results = await Promise.all(
      people.map(async (key) => {
        const person = practicePersona(key);
        const response = await post(
          app.url,
          teamsActivity(person, {
            type: "invoke",
            name: "adaptiveCard/action",
            serviceUrl: `${connector.url}/`,
            value: {
              action: { type: "Action.Execute", verb: CardVerbs.triagePlatform, data: { platform: "windows" } },
            },
          }),
        );
        return { person, response };
      }),
    );
    for (const { person, response } of results) {
      expect(response.status).toBe(200);
      const body = response.body as { value?: unknown; type?: string };
      expect(body.value).toBeTruthy();
      const texts = typeof body.value === "string" ? [body.value] : cardTexts(body.value);
      if (texts.includes(checking)) {
        // Deferred: the result (or a clear failure) follows in the person's chat.
        const conversation = `a:personal-${person.aadObjectId}`;
        for (let waited = 0; !connector.calls.some((call) => call.conversationId === conversation); waited++) {
          if (waited > 600) throw new Error(`${person.key} was never told the outcome`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }
  }, 120_000);
});
