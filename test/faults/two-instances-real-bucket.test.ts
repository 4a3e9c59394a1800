import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CardVerbs } from "../../src/bot/card-verbs.js";
import { createLogger } from "../../src/bot/create-logger.js";
import { type RunningApp, startApp } from "../../src/index.js";
import { translate } from "../../src/locales/translate.js";
import { botConfigOver } from "../support/bot-config.js";
import { type FakeConnector, startFakeConnector } from "../support/bot-connector.js";
import { cardTexts, post, practicePersona, teamsActivity } from "../support/bot-http.js";
import { usePracticeServices } from "../support/practice-services.js";
import { type GraphFaultProxy, startGraphFaultProxy } from "./graph-fault-proxy.js";

/**
 * Two bot instances, one Azurite and one Graph emulator throttling with Graph's real buckets (reports: 5 requests per
 * 10 s per app per tenant): people triage on both while an administrator starts the inventory on both. Each instance
 * reaches Graph through its own (fault-free) proxy, so the test can tell which instance sent what. The shared budget
 * must keep the two together under the bucket (no 429 from Graph at all), and the background lease must let exactly
 * one instance at a time run the inventory.
 */
const practice = usePracticeServices({ emulator: { throttleScale: 1 } });
let connector: FakeConnector;
const proxies: GraphFaultProxy[] = [];
const apps: RunningApp[] = [];

beforeAll(async () => {
  connector = await startFakeConnector();
  for (let i = 0; i < 2; i += 1) {
    const proxy = await startGraphFaultProxy(practice.emulator.baseUrl);
    proxies.push(proxy);
    apps.push(
      await startApp(
        botConfigOver({ emulator: proxy, azurite: practice.azurite }, { GRAPH_EMULATOR_THROTTLE_SCALE: "1" }),
        { logger: createLogger("silent") },
      ),
    );
  }
});
afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await Promise.all(proxies.map((proxy) => proxy.close()));
  await connector?.close();
});

const people = ["all-good", "windows-hello-blocked", "stale-mfa", "yubikey-allowed", "ios-user", "no-mfa-method"];
const isInventoryRead = (line: string) => line.includes("/reports/authenticationMethods/userRegistrationDetails");

describe("two instances on one storage under Graph's real buckets, the inventory running", () => {
  it("no 429 from overspending, one background owner at a time, every person and the administrator answered", async () => {
    const admin = practicePersona("admin");
    const serviceUrl = `${connector.url}/`;
    const adminConversation = `a:personal-${admin.aadObjectId}`;
    // The administrator starts the inventory on both instances at once (a double send landing on two instances);
    // people triage on both meanwhile.
    const started = await Promise.all(
      apps.map((app) => post(app.url, teamsActivity(admin, { type: "message", text: "inventory --full", serviceUrl }))),
    );
    for (const response of started) expect(response.status).toBeLessThan(300);
    const turns = await Promise.all(
      people.map((key, i) =>
        post(
          (apps[i % 2] as RunningApp).url,
          teamsActivity(practicePersona(key), {
            type: "invoke",
            name: "adaptiveCard/action",
            serviceUrl,
            value: {
              action: { type: "Action.Execute", verb: CardVerbs.triagePlatform, data: { platform: "windows" } },
            },
          }),
        ),
      ),
    );
    for (const response of turns) expect(response.status).toBe(200);
    const checking = translate("en", "triage.checkingTitle");
    const deferred = people.filter((_key, i) => {
      const body = turns[i]?.body as { value?: unknown };
      expect(body.value, `${people[i]} got no answer`).toBeTruthy();
      return typeof body.value !== "string" && cardTexts(body.value).includes(checking);
    });

    // Every person gets their verdict (in place or by a follow-up), and the administrator both inventory summaries.
    const summaries = () =>
      connector.calls.filter(
        (call) => call.conversationId === adminConversation && JSON.stringify(call.body).includes("AdaptiveCard"),
      );
    for (let waited = 0; summaries().length < 2; waited += 1) {
      if (waited > 1_800) throw new Error(`the administrator got ${summaries().length} of 2 inventory results`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    for (const key of deferred) {
      const conversation = `a:personal-${practicePersona(key).aadObjectId}`;
      for (let waited = 0; !connector.calls.some((call) => call.conversationId === conversation); waited += 1) {
        if (waited > 1_200) throw new Error(`${key} was never told the outcome`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }

    const all = proxies.flatMap((proxy) => proxy.log);
    expect(all.filter((entry) => entry.status === 429)).toEqual([]);
    expect(practice.emulator.requestLog.filter((entry) => entry.status === 429)).toEqual([]);
    expect(all.some((entry) => entry.line.includes("/reports/"))).toBe(true);

    // One owner at a time: the inventory reads of one instance never overlap those of the other.
    const spans = proxies
      .map((proxy) => proxy.log.filter((entry) => isInventoryRead(entry.line)))
      .filter((reads) => reads.length > 0)
      .map((reads) => ({
        from: Math.min(...reads.map((r) => r.startMs)),
        to: Math.max(...reads.map((r) => r.endMs)),
      }));
    expect(spans.length).toBeGreaterThanOrEqual(1);
    if (spans.length === 2) {
      const [a, b] = spans as [{ from: number; to: number }, { from: number; to: number }];
      expect(a.to <= b.from || b.to <= a.from, `overlapping owners: ${JSON.stringify(spans)}`).toBe(true);
    }
    console.log(
      `inventory reads per instance: ${proxies.map((p) => p.log.filter((e) => isInventoryRead(e.line)).length).join(" / ")}; Graph requests ${all.length}, 429s 0`,
    );
  }, 240_000);
});
