import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CardVerbs } from "../../../src/bot/card-verbs.js";
import { createLogger } from "../../../src/bot/create-logger.js";
import { createAuthenticatorCatalog } from "../../../src/capabilities/authenticators/create-authenticator-catalog.js";
import {
  FIDO_MDS_URL,
  type FidoMetadataSource,
  FidoMetadataUnavailableError,
} from "../../../src/capabilities/authenticators/load-fido-metadata.js";
import { type RunningEmulator, startEmulator } from "../../../src/emulator/start-emulator.js";
import { loadAuthenticatorCatalog, startApp } from "../../../src/index.js";
import { translate } from "../../../src/locales/translate.js";
import { type RunningAzurite, startAzurite } from "../../support/azurite.js";
import { botConfigOver } from "../../support/bot-config.js";
import { type FakeConnector, startFakeConnector } from "../../support/bot-connector.js";
import { cardOf, cardTexts, expectReplies, PRACTICE_TENANT_PATH, teamsActivity } from "../../support/bot-http.js";
import {
  cardIn,
  clickedCardUpdate,
  connectorCall,
  finalCard,
  personaCaller,
  practiceGraph,
  startTriageBot,
  type TriageBot,
  teamsClient,
} from "./conversation-bot.js";

/**
 * When Graph is slow, busy or down, the bot answers at once with "Checking your account…" and later replaces that
 * activity with the result through the Bot Connector (updateActivity); it never leaves a person waiting silently.
 * Also: the FIDO Metadata Service wiring of the composition root, which must never keep the bot from starting.
 */
let azurite: RunningAzurite;
let connector: FakeConnector;
let slowEmulator: RunningEmulator;
let downEmulator: RunningEmulator;
let slowBot: TriageBot;
let busyBot: TriageBot;
let downBot: TriageBot;

const en = (key: string, params?: Record<string, string | number>) => translate("en", key, params);
const NEW_KEY_AAGUID = "a1b2c3d4-0000-4000-8000-00000000beef";

beforeAll(async () => {
  [azurite, connector, slowEmulator, downEmulator] = await Promise.all([
    startAzurite(),
    startFakeConnector(),
    // Every Graph answer 800 ms late: even with the token and policy cached, reading a user's snapshot takes longer
    // than the acknowledgement threshold.
    startEmulator({ port: 0, tenant: PRACTICE_TENANT_PATH, throttleScale: 100, latencyMs: 800 }),
    // Graph down for good: every request answers 503.
    startEmulator({ port: 0, tenant: PRACTICE_TENANT_PATH, throttleScale: 100, latencyMs: 800, faults: "503:1" }),
  ]);
  const common = { emulatorBaseUrl: slowEmulator.baseUrl, connectionString: azurite.connectionString };
  [slowBot, busyBot, downBot] = await Promise.all([
    startTriageBot({ ...common, graph: practiceGraph(slowEmulator.baseUrl) }),
    // One reports-bucket request per 4 s. The tenant policy snapshot's audit read (reports bucket) spends it at once,
    // so the user's own reads wait in the scheduler's queue while the acknowledgement is shown.
    startTriageBot({
      ...common,
      graph: practiceGraph(slowEmulator.baseUrl, { reportsPerWindow: 1, reportsWindowMs: 4000 }),
    }),
    startTriageBot({ ...common, graph: practiceGraph(downEmulator.baseUrl) }),
  ]);
});

afterAll(async () => {
  await Promise.all([slowBot?.close(), busyBot?.close(), downBot?.close()]);
  await Promise.all([azurite?.stop(), connector?.close(), slowEmulator?.close(), downEmulator?.close()]);
});

const isChecking = (card: unknown) => cardTexts(card).some((text) => text.includes(en("triage.checkingTitle")));

describe("a check slower than the acknowledgement threshold", () => {
  it("answers the click with Checking your account… and then updates the clicked card with the result", async () => {
    const user = personaCaller("windows-hello-blocked");
    const answer = await teamsClient(slowBot.url, connector).click(user, CardVerbs.triagePlatform, {
      platform: "windows",
    });
    expect(isChecking(answer.card)).toBe(true);
    const update = await clickedCardUpdate(connector, answer);
    expect(update.conversationId).toBe(`a:personal-${user.aadObjectId}`);
    expect(cardTexts(cardIn(update))).toContain(
      en("triage.headlineBlocked", { question: en("triage.questionAuthenticator") }),
    );
  });

  it("sends Checking… at once for an agent's triage command and then updates that same message", async () => {
    const agent = personaCaller("agent-1");
    const before = connector.calls.length;
    await teamsClient(slowBot.url, connector).say(agent, "triage all-good@contosopractice.onmicrosoft.com");
    const personal = `a:personal-${agent.aadObjectId}`;
    const update = await connectorCall(connector, (call) => call.method === "PUT" && call.conversationId === personal, {
      after: before,
    });
    const sent = connector.calls.slice(before).filter((call) => call.method === "POST" && call.body.type === "message");
    expect(sent).toHaveLength(1);
    expect(isChecking(cardIn(sent[0]))).toBe(true);
    // The connector answered the acknowledgement with an activity id; the update replaces exactly that activity.
    expect(update.activityId).toBe(sent[0]?.responseId);
    expect(cardTexts(cardIn(update))).toContain(
      en("triage.evidenceTitle", { name: personaCaller("all-good").displayName ?? "" }),
    );
  });

  it("shows the queue position when the reports budget is spent, then the result", async () => {
    const user = personaCaller("stale-mfa");
    const answer = await teamsClient(busyBot.url, connector).click(user, CardVerbs.triagePlatform, {
      platform: "windows",
    });
    expect(isChecking(answer.card)).toBe(true);
    expect(cardTexts(answer.card).join("\n")).toMatch(/You are number \d+ in the queue; about \d+ s\./);
    const update = await clickedCardUpdate(connector, answer, { caller: user });
    expect(isChecking(cardIn(update))).toBe(false);
    expect(cardTexts(cardIn(update))).toContain(en("triage.resultTitle", { name: user.displayName ?? "" }));
  });

  it("says it could not check and when to try again when Graph stays unavailable", async () => {
    const user = personaCaller("all-good");
    const answer = await teamsClient(downBot.url, connector).click(user, CardVerbs.triagePlatform, {
      platform: "securityKey",
    });
    expect(isChecking(answer.card)).toBe(true);
    const update = await clickedCardUpdate(connector, answer, { caller: user, timeoutMs: 60_000 });
    expect(cardTexts(cardIn(update))).toContain(en("triage.graphUnavailable", { seconds: 30 }));
  }, 70_000);
});

describe("FIDO Metadata Service wiring", () => {
  const logs = () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger(
      "info",
      new Writable({
        write(chunk, _encoding, done) {
          for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
          done();
        },
      }),
    );
    return { lines, logger };
  };
  const newKey: FidoMetadataSource = {
    async describe(aaGuid) {
      return aaGuid === NEW_KEY_AAGUID
        ? {
            aaGuid,
            name: "Contoso Brand-New Key",
            source: "FIDO Metadata Service (live)",
            kind: "securityKey",
            platform: "any",
            passkeyType: "deviceBound",
            attestation: "attested",
          }
        : null;
    },
  };

  it("does not ask MDS when FIDO_METADATA_SERVICE is off", async () => {
    const { logger } = logs();
    let asked = false;
    const catalog = await loadAuthenticatorCatalog({ fidoMetadataService: false }, logger, async () => {
      asked = true;
      return newKey;
    });
    expect(asked).toBe(false);
    expect(await catalog.resolve(NEW_KEY_AAGUID)).toBeNull();
  });

  it("falls back to the built-in catalog with a warning when MDS fails or does not answer", async () => {
    const failing = logs();
    const catalog = await loadAuthenticatorCatalog({ fidoMetadataService: true }, failing.logger, async () => {
      throw new FidoMetadataUnavailableError(FIDO_MDS_URL, "getaddrinfo ENOTFOUND mds3.fidoalliance.org");
    });
    expect(catalog.lookup("08987058-cadc-4b81-b6e1-30de50dcbe96")?.name).toBe("Windows Hello Hardware Authenticator");
    expect(failing.lines.find((line) => line.event === "fidoMetadata.unavailable")?.level).toBe(40);

    const silent = logs();
    await loadAuthenticatorCatalog({ fidoMetadataService: true }, silent.logger, () => new Promise(() => {}), 50);
    expect(silent.lines.some((line) => line.event === "fidoMetadata.unavailable")).toBe(true);
  });

  it("starts the bot all the same when MDS cannot be loaded", async () => {
    const { lines, logger } = logs();
    const config = botConfigOver({ emulator: slowEmulator, azurite }, { FIDO_METADATA_SERVICE: "on" });
    const app = await startApp(config, {
      logger,
      loadFidoMetadata: async () => {
        throw new FidoMetadataUnavailableError(FIDO_MDS_URL, "signature did not verify");
      },
    });
    try {
      expect(lines.some((line) => line.event === "fidoMetadata.unavailable")).toBe(true);
      const user = personaCaller("all-good");
      const replies = await expectReplies(
        app.url,
        teamsActivity(user, { type: "message", text: "I can't add a passkey" }),
      );
      expect(cardTexts(cardOf(replies[0]))).toContain(en("triage.platformTitle"));
    } finally {
      await app.close();
    }
  });

  it("names an authenticator only MDS knows in the triage result", async () => {
    const catalog = createAuthenticatorCatalog({ metadata: newKey });
    const bot = await startTriageBot({
      emulatorBaseUrl: slowEmulator.baseUrl,
      connectionString: azurite.connectionString,
      graph: practiceGraph(slowEmulator.baseUrl),
      authenticatorCatalog: catalog,
    });
    try {
      const user = personaCaller("yubikey-allowed");
      const answer = await teamsClient(bot.url, connector).click(user, CardVerbs.triagePlatform, {
        platform: "securityKey",
        authenticator: NEW_KEY_AAGUID,
      });
      const card = await finalCard(connector, answer, user);
      expect(cardTexts(card).join("\n")).toContain(en("triage.resultAuthenticator", { name: "Contoso Brand-New Key" }));
    } finally {
      await bot.close();
    }
  });
});
