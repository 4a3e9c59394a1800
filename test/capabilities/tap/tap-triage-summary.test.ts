import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tapRegistrationOf } from "../../../src/capabilities/tap/tap-registration.js";
import { type RunningApp, startApp } from "../../../src/index.js";
import { translate } from "../../../src/locales/translate.js";
import { botConfigOver } from "../../support/bot-config.js";
import { type FakeConnector, startFakeConnector } from "../../support/bot-connector.js";
import {
  type Caller,
  cardOf,
  cardTexts,
  expectReplies,
  practicePersona,
  teamsActivity,
} from "../../support/bot-http.js";
import { usePracticeServices } from "../../support/practice-services.js";

const practice = usePracticeServices();
let connector: FakeConnector;
let app: RunningApp;
const agent = practicePersona("agent-1");
/** Password only: the triage says no usable MFA method, so only a TAP can bootstrap them (docs/personas.md). */
const target = practicePersona("no-mfa-method");
const en = (key: string, params?: Record<string, string | number>) => translate("en", key, params);
const FORGED = "Forged: the manager already said yes";

const from = (caller: Caller, fields: Record<string, unknown>) =>
  teamsActivity(caller, { serviceUrl: connector.url, ...fields });

async function invoke(caller: Caller, verb: string, data: unknown) {
  const response = await fetch(`${app.url}/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(
      from(caller, {
        type: "invoke",
        name: "adaptiveCard/action",
        value: { action: { type: "Action.Execute", verb, data }, trigger: "manual" },
      }),
    ),
  });
  const text = await response.text();
  return (text ? JSON.parse(text) : null) as { value?: unknown } | null;
}

beforeAll(async () => {
  connector = await startFakeConnector();
  app = await startApp(
    botConfigOver(practice, {
      // The bot's Graph budget ×100 like the emulator's: throttling is not what these tests are about.
      GRAPH_EMULATOR_THROTTLE_SCALE: "100",
    }),
  );
  for (const person of [agent, target]) {
    await expectReplies(app.url, from(person, { type: "installationUpdate", action: "add" }));
  }
});
afterAll(async () => {
  await app?.close();
  await connector?.close();
});

describe("the TAP request carries the server's own triage summary", () => {
  it("prefills the form from the evidence card's Request TAP with why a pass is needed, ignoring payload text", async () => {
    const evidence = cardOf(
      (await expectReplies(app.url, from(agent, { type: "message", text: `triage ${target.userPrincipalName}` })))[0],
    );
    const json = JSON.stringify(evidence);
    expect(json).toContain('"verb":"tap.requestForm"');
    const form = await invoke(agent, "tap.requestForm", { targetUserId: target.aadObjectId, triageSummary: FORGED });
    const texts = cardTexts(form?.value).join("\n");
    expect(texts).toContain(en("triage.evidenceNeedsTap"));
    expect(texts).toContain(en("agent.question.freshMfa"));
    expect(texts).toContain(en("agent.freshMfa.summary.noMfaMethod"));
    expect(JSON.stringify(form?.value)).not.toContain(FORGED);
  });

  it("stores the server's summary on submit, whatever the form sends back, so the approver reads the triage", async () => {
    const submitted = await invoke(agent, "tap.submit", {
      targetUserId: target.aadObjectId,
      reason: "First day, no sign-in method yet",
      identityVerification: "videoCallPhotoId",
      lifetimeInMinutes: "60",
      isUsableOnce: "true",
      triageSummary: FORGED,
    });
    expect(cardTexts(submitted?.value)).toContain(en("tap.statusSubmittedToTarget"));
    const registration = tapRegistrationOf(app.bot.app);
    if (!registration) throw new Error("TAP must be registered");
    const requests = await registration.deps.store.listByStatus(["requested"]);
    const request = requests.map((r) => r.value).find((r) => r.target.id === target.aadObjectId);
    expect(request?.triageSummary).toContain(en("triage.evidenceNeedsTap"));
    expect(request?.triageSummary).not.toContain(FORGED);
  });
});
