import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger } from "../../../src/bot/create-logger.js";
import { renderCard } from "../../../src/bot/render-card.js";
import { createAuthenticatorCatalog } from "../../../src/capabilities/authenticators/create-authenticator-catalog.js";
import {
  createInventoryRunner,
  type InventoryRunnerDependencies,
} from "../../../src/capabilities/inventory/create-inventory-runner.js";
import { reportInventoryJobFailures } from "../../../src/capabilities/inventory/report-inventory-job-failures.js";
import type { CardMessage, CardName } from "../../../src/cards/card-message.js";
import { GraphUnavailableError } from "../../../src/graph/graph-errors.js";
import { startApp } from "../../../src/index.js";
import { createBackgroundLease } from "../../../src/jobs/background-lease.js";
import { createJobQueue } from "../../../src/jobs/job-queue.js";
import { runJobWorker } from "../../../src/jobs/run-job-worker.js";
import { translate } from "../../../src/locales/translate.js";
import { createStorageAccount } from "../../../src/storage/storage-account.js";
import { botConfigOver } from "../../support/bot-config.js";
import { type FakeConnector, startFakeConnector } from "../../support/bot-connector.js";
import { cardOf, cardTexts, post, practicePersona, teamsActivity } from "../../support/bot-http.js";
import { runBotOnFakeIntervals } from "../../support/bot-on-fake-intervals.js";
import { usePracticeServices } from "../../support/practice-services.js";
import { PRACTICE_LIMITED_APP } from "../../support/practice-tenant.js";

/**
 * What the admin hears when a long run cannot give them its result: rings asked before any inventory, a run that can
 * never succeed, a run that keeps failing. Each is answered in the admin's language; a failure that will be retried is
 * only logged.
 */
const practice = usePracticeServices();

/** Runners this file made, stopped after each test so none keeps checking the queue into the next. */
const runners: Array<{ stop(): void }> = [];
afterEach(() => {
  for (const runner of runners.splice(0)) runner.stop();
});

interface Posted {
  userId: string;
  card: CardMessage;
  locale: string;
}

/** A JSON logger whose lines the test reads back (the bot's own logger, with its redaction). */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  const logger = createLogger("info", {
    write: (line: string) => {
      raw.push(line);
      lines.push(JSON.parse(line) as Record<string, unknown>);
    },
  });
  return { logger, lines, raw, events: () => lines.map((line) => line.event) };
}

/** The whole bot over HTTP on a port of its own, logging nothing. */
const startBot = () => startApp(botConfigOver(practice), { logger: createLogger("silent") });

/** The texts of every card the bot sent to the connector, once one of them shows `title` (waits up to 30 s). */
async function connectorCardTexts(connector: FakeConnector, title: string): Promise<string[]> {
  let texts: string[] = [];
  for (let tries = 0; tries < 300 && !texts.includes(title); tries++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    texts = connector.calls.flatMap((call) => cardTexts(cardOf(call.body)));
  }
  return texts;
}

/** The inventory runner as the bot wires it, over this file's emulator and Azurite, as `app` (the bot's by default). */
function runnerFor(env: Record<string, string> = {}) {
  const config = botConfigOver(practice, env);
  const log = capturingLogger();
  const posted: Posted[] = [];
  const deps: InventoryRunnerDependencies = {
    config,
    authenticatorCatalog: createAuthenticatorCatalog(),
    clock: () => new Date(),
    logger: log.logger,
    storage: { account: createStorageAccount(config.storage) },
  };
  const runner = createInventoryRunner(deps, async (userId, card, locale) => {
    posted.push({ userId, card, locale });
  });
  runners.push(runner);
  return { runner, posted, log };
}

async function posts(posted: Posted[], count: number): Promise<Posted[]> {
  for (let tries = 0; tries < 300 && posted.length < count; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(posted.length, "the admin must be answered").toBe(count);
  return posted;
}

const textsOf = (card: CardMessage, locale: string) => cardTexts(renderCard(card.name as CardName, card.data, locale));

const inventoryJobs = () =>
  createJobQueue({ kind: "connectionString", connectionString: practice.azurite.connectionString }, "inventory-jobs");

describe("rings asked before any inventory exists", () => {
  it("answers the admin in their language that an inventory must run first and how to start it, and finishes the job", async () => {
    const { runner, posted, log } = runnerFor();
    const admin = practicePersona("admin").aadObjectId;
    runner.queueRings({ requestedBy: admin, locale: "en" });
    runner.queueRings({ requestedBy: admin, locale: "cs" });
    const answers = await posts(posted, 2);
    for (const lang of ["en", "cs"]) {
      const answer = answers.find((candidate) => candidate.locale === lang);
      expect(answer?.userId).toBe(admin);
      expect(answer?.card.name).toBe("inventory-needed");
      const texts = textsOf(answer?.card as CardMessage, lang);
      expect(texts).toContain(translate(lang, "inventory.noSnapshot"));
      expect(translate(lang, "inventory.noSnapshot")).toContain("`inventory`");
    }
    // Answered, not retried: no failure logged, and no job is left on the queue to come back.
    expect(log.events()).not.toContain("inventory.jobFailed");
    expect(log.events()).not.toContain("inventory.jobGaveUp");
    expect(await inventoryJobs().depth()).toBe(0);
  }, 60_000);
});

describe("rings before any inventory, asked in the chat", () => {
  it("the admin who types `rings` in Czech gets the answer at once, then the take-an-inventory-first card in Czech", async () => {
    const connector = await startFakeConnector();
    const app = await startBot();
    try {
      const response = await post(
        app.url,
        teamsActivity(practicePersona("admin"), {
          type: "message",
          text: "rings",
          locale: "cs-CZ",
          serviceUrl: connector.url,
        }),
      );
      expect(response.status).toBe(200);
      const title = translate("cs", "inventory.noSnapshotTitle");
      const texts = await connectorCardTexts(connector, title);
      expect(texts).toContain(title);
      expect(texts).toContain(translate("cs", "inventory.noSnapshot"));
      expect(JSON.stringify(connector.calls.map((call) => call.body))).toContain(
        translate("cs", "inventory.workingRings"),
      );
    } finally {
      await app.close();
      await connector.close();
    }
  }, 60_000);
});

describe("a job no worker is running (its instance died)", () => {
  it("is taken up at the bot's next minute check and answered in the admin's language; closing the bot stops the checks", async () => {
    const connector = await startFakeConnector();
    const admin = practicePersona("admin");
    const jobs = inventoryJobs();
    await jobs.ensure();
    try {
      const intervalsLeft = await runBotOnFakeIntervals(botConfigOver(practice), async (app) => {
        // The admin has written to the bot before (their personal chat is known), then the instance that took their
        // `rings` died: the job is back on the queue with nobody working on it.
        await post(
          app.url,
          teamsActivity(admin, { type: "message", text: "help", locale: "cs-CZ", serviceUrl: connector.url }),
        );
        await jobs.enqueue({
          id: "rollout-rings-orphaned",
          kind: "rollout.rings",
          payload: { requestedBy: admin.aadObjectId, locale: "cs" },
        });
        vi.advanceTimersByTime(60_000);
        const title = translate("cs", "inventory.noSnapshotTitle");
        const texts = await connectorCardTexts(connector, title);
        expect(texts).toContain(title);
        expect(await jobs.depth()).toBe(0);
      });
      expect(intervalsLeft).toBe(0);
    } finally {
      await connector.close();
    }
  }, 60_000);
});

describe("a run that can never succeed", () => {
  it("is given up at once, logged without its payload, and the admin is told in Czech which permission IT must grant", async () => {
    // The practice tenant's limited app may not read the registration report: every delivery would fail alike.
    const { runner, posted, log } = runnerFor({
      GRAPH_CLIENT_ID: PRACTICE_LIMITED_APP.clientId,
      GRAPH_CLIENT_SECRET: PRACTICE_LIMITED_APP.clientSecret,
    });
    const admin = practicePersona("admin").aadObjectId;
    runner.queueInventory({ requestedBy: admin, locale: "cs" }, true);
    const [answer] = await posts(posted, 1);
    expect(answer?.userId).toBe(admin);
    expect(answer?.card.name).toBe("error");
    const gaveUp = log.lines.find((line) => line.event === "inventory.jobGaveUp");
    expect(gaveUp).toMatchObject({ kind: "inventory.full", attempt: 1, permanent: true, level: 50 });
    expect(answer?.card.data.correlationId).toBe(gaveUp?.jobId);
    const texts = textsOf(answer?.card as CardMessage, "cs").join("\n");
    expect(texts).toContain(translate("cs", "common.errorTitle"));
    expect(texts).toMatch(/oprávnění (AuditLog|Reports)\.Read\.All/);
    // The reference to quote is the job id, on the card's fact line.
    expect(JSON.stringify(renderCard("error", answer?.card.data as never, "cs"))).toContain(String(gaveUp?.jobId));
    expect(log.events()).not.toContain("inventory.jobFailed");
    // Who asked stays out of the log line; the job id is what IT is given.
    expect(log.raw.join("\n")).not.toContain(admin);
    expect(log.raw.join("\n")).not.toContain(PRACTICE_LIMITED_APP.clientSecret);
    expect(await inventoryJobs().depth()).toBe(0);
  }, 60_000);
});

describe("a run that cannot even be queued", () => {
  it("tells the admin who was told 'working on it' that the run did not start, with the reference that is logged", async () => {
    // A queue endpoint that answers as no queue service does (here: the blob service's port), tables still reachable.
    const misconfigured = practice.azurite.connectionString.replace(
      /QueueEndpoint=[^;]+;/,
      `QueueEndpoint=http://127.0.0.1:${practice.azurite.blobPort}/devstoreaccount1;`,
    );
    const { runner, posted, log } = runnerFor({ STORAGE_CONNECTION_STRING: misconfigured });
    const admin = practicePersona("admin").aadObjectId;
    runner.queueInventory({ requestedBy: admin, locale: "cs" }, false);
    const [answer] = await posts(posted, 1);
    expect(answer?.userId).toBe(admin);
    expect(answer?.card.name).toBe("error");
    const failed = log.lines.find((line) => line.event === "inventory.queueFailed");
    expect(failed?.jobId).toEqual(expect.stringMatching(/^inventory-full-/));
    expect(answer?.card.data.correlationId).toBe(failed?.jobId);
    expect(textsOf(answer?.card as CardMessage, "cs")).toContain(translate("cs", "inventory.inventoryDidNotFinish"));
  }, 60_000);
});

describe("a run that keeps failing", () => {
  it("logs each failure that will be retried without telling anyone, then tells the admin once when it is given up", async () => {
    const queue = createJobQueue(
      { kind: "connectionString", connectionString: practice.azurite.connectionString },
      "keeps-failing-jobs",
    );
    await queue.ensure();
    const admin = practicePersona("admin").aadObjectId;
    await queue.enqueue({ id: "rings-1", kind: "rollout.rings", payload: { requestedBy: admin, locale: "en" } });
    await queue.enqueue({ id: "inventory-1", kind: "inventory.full", payload: { requestedBy: admin, locale: "cs" } });
    const log = capturingLogger();
    const posted: Posted[] = [];
    const onEvent = reportInventoryJobFailures({
      logger: log.logger,
      post: async (userId, card, locale) => void posted.push({ userId, card, locale }),
    });
    const failing = async () => {
      throw new GraphUnavailableError("Graph did not answer", 503, null, null);
    };
    const seenAtEachFailure: number[] = [];
    await runJobWorker({
      queue,
      lease: createBackgroundLease(
        createStorageAccount({
          kind: "connectionString",
          connectionString: practice.azurite.connectionString,
        }).containerClient("keeps-failing-leases"),
        "budget",
        15,
      ),
      handlers: { "rollout.rings": failing, "inventory.full": failing },
      untilEmpty: true,
      visibilitySeconds: 1,
      pollMs: 200,
      maxAttempts: 2,
      onEvent: (event) => {
        onEvent(event);
        if (event.kind === "failed") seenAtEachFailure.push(posted.length);
      },
    });
    // Retried failures were only logged: nobody had been told when they happened.
    expect(seenAtEachFailure).toEqual([0, 0]);
    const failed = log.lines.filter((line) => line.event === "inventory.jobFailed");
    expect(failed.map((line) => [line.jobId, line.attempt, line.level])).toEqual(
      expect.arrayContaining([
        ["rings-1", 1, 40],
        ["inventory-1", 1, 40],
      ]),
    );
    const gaveUp = log.lines.filter((line) => line.event === "inventory.jobGaveUp");
    expect(gaveUp.map((line) => [line.jobId, line.attempt, line.permanent])).toEqual(
      expect.arrayContaining([
        ["rings-1", 2, false],
        ["inventory-1", 2, false],
      ]),
    );
    const answers = await posts(posted, 2);
    const rings = answers.find((answer) => answer.card.data.correlationId === "rings-1");
    const inventory = answers.find((answer) => answer.card.data.correlationId === "inventory-1");
    expect(textsOf(rings?.card as CardMessage, "en")).toContain(translate("en", "inventory.ringsDidNotFinish"));
    expect(textsOf(inventory?.card as CardMessage, "cs")).toContain(translate("cs", "inventory.inventoryDidNotFinish"));
    expect([rings?.locale, inventory?.locale]).toEqual(["en", "cs"]);
    expect(await queue.depth()).toBe(0);
  }, 60_000);
});
