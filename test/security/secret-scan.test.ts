import { TableServiceClient } from "@azure/data-tables";
import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CardVerbs } from "../../src/bot/card-verbs.js";
import { createLogger } from "../../src/bot/create-logger.js";
import { PracticeTenant } from "../../src/config.js";
import { createGraphGateway } from "../../src/graph/create-graph-gateway.js";
import { type RunningApp, startApp } from "../../src/index.js";
import { botConfigOver } from "../support/bot-config.js";
import { executeCardAction, post, practicePersona, teamsActivity } from "../support/bot-http.js";
import { usePracticeServices } from "../support/practice-services.js";

const ACCOUNT_KEY_FRAGMENT = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq";
/** A JWT (what Graph and Bot Framework tokens look like) anywhere in a text. */
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/;

const practice = usePracticeServices({ emulator: { throttleScale: 1000 } });
let app: RunningApp;
const lines: string[] = [];

beforeAll(async () => {
  app = await startApp(
    botConfigOver(practice, {
      GRAPH_EMULATOR_THROTTLE_SCALE: "1000",
    }),
    // Everything the bot can log, at every level.
    { logger: createLogger("trace", { write: (line: string) => void lines.push(line) }) },
  );
});

afterAll(async () => {
  await app?.close();
});

/** Every entity of every table and every blob of every container, as text. */
async function storedText(): Promise<string[]> {
  const texts: string[] = [];
  const tables = TableServiceClient.fromConnectionString(practice.azurite.connectionString, {
    allowInsecureConnection: true,
  });
  for await (const table of tables.listTables()) {
    const client = app.deps.storage.account.tableClient(table.name as string);
    for await (const entity of client.listEntities()) texts.push(JSON.stringify(entity));
  }
  const blobs = BlobServiceClient.fromConnectionString(practice.azurite.connectionString);
  for await (const container of blobs.listContainers()) {
    const containerClient = blobs.getContainerClient(container.name);
    for await (const blob of containerClient.listBlobsFlat()) {
      const body = await containerClient.getBlobClient(blob.name).downloadToBuffer();
      texts.push(body.toString("utf8"));
    }
  }
  return texts;
}

describe("no secret in any log line or stored entity after a run", () => {
  it("keeps Graph tokens, the app's client secret, storage keys and TAP values out of logs and storage", async () => {
    const user = practicePersona("windows-hello-blocked");
    const agent = practicePersona("agent-1");
    const admin = practicePersona("admin");
    // A run that touches every part that logs or stores: triage (own and agent's), a TAP request form, the audit
    // command, an unknown verb, a forged token, a malformed body.
    await post(app.url, {
      ...teamsActivity(user, { type: "installationUpdate", action: "add" }),
      deliveryMode: "expectReplies",
    });
    await executeCardAction(app.url, user, CardVerbs.triagePlatform, { platform: "windows" });
    await executeCardAction(app.url, user, CardVerbs.triageRecheck, { platform: "windows" });
    await post(app.url, {
      ...teamsActivity(agent, { type: "message", text: `triage ${user.userPrincipalName}` }),
      deliveryMode: "expectReplies",
    });
    await post(app.url, {
      ...teamsActivity(agent, { type: "message", text: `tap ${user.userPrincipalName}` }),
      deliveryMode: "expectReplies",
    });
    await post(app.url, {
      ...teamsActivity(admin, { type: "message", text: `audit ${user.userPrincipalName}` }),
      deliveryMode: "expectReplies",
    });
    await executeCardAction(app.url, agent, "tap.unknownVerb", { requestId: "x" });
    await post(app.url, teamsActivity(agent, { type: "message", text: "help" }), {
      authorization: "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
    });

    // A TAP issued in this tenant (the way the TAP flow issues one): its value must not surface anywhere the bot wrote.
    const gateway = createGraphGateway({
      mode: "emulator",
      baseUrl: practice.emulator.baseUrl,
      tenantId: PracticeTenant.tenantId,
      clientId: PracticeTenant.graphClientId,
      clientSecret: PracticeTenant.graphClientSecret,
    });
    const tap = await gateway.createTemporaryAccessPass(user.aadObjectId, {
      lifetimeInMinutes: 60,
      isUsableOnce: true,
    });
    expect(tap.temporaryAccessPass).toBeTruthy();
    await executeCardAction(app.url, user, CardVerbs.triageRecheck, { platform: "windows" });

    expect(lines.length).toBeGreaterThan(10);
    const stored = await storedText();
    expect(stored.length).toBeGreaterThan(0);
    const secrets = [PracticeTenant.graphClientSecret, ACCOUNT_KEY_FRAGMENT, tap.temporaryAccessPass as string];
    for (const [where, texts] of [
      ["log", lines],
      ["storage", stored],
    ] as const) {
      const leaks = texts.filter((text) => JWT.test(text) || secrets.some((secret) => text.includes(secret)));
      expect({ where, leaks: leaks.map((leak) => leak.slice(0, 300)) }).toEqual({ where, leaks: [] });
    }
  }, 120_000);
});
