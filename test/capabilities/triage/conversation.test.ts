import { describe, expect, it } from "vitest";
import { NotAnAgentError } from "../../../src/capabilities/tickets/ticket-errors.js";
import {
  acknowledgement,
  checkOwnRegistration,
  resolveAgentTarget,
  type TriageConversationDependencies,
} from "../../../src/capabilities/triage/conversation.js";
import { parseChoices } from "../../../src/capabilities/triage/conversation-choices.js";
import { ThrottledError } from "../../../src/graph/graph-errors.js";
import { translate } from "../../../src/locales/translate.js";
import { cardWords } from "../../support/card-words.js";
import { diagnosisFixture, policyFixture, USER_ID, userSnapshotFixture } from "./conversation-fixtures.js";

const t = (key: string, params?: Record<string, string | number>) => translate("en", key, params);

function deps(overrides: Partial<TriageConversationDependencies> = {}) {
  const refusals: string[] = [];
  const requests: string[] = [];
  const value: TriageConversationDependencies = {
    runTriage: async (request) => {
      requests.push(request.userId);
      return { diagnosis: diagnosisFixture(), policy: policyFixture(), user: userSnapshotFixture(), groupNames: {} };
    },
    schedulerStatus: () => ({ queuedInteractive: 0, queuedBackground: 0, reportsBucketWaitSeconds: 0 }),
    getUser: async () => userSnapshotFixture().user,
    findUsers: async () => [],
    isAgent: async () => false,
    classifySymptom: () => null,
    authenticatorName: () => null,
    authenticatorsForPicker: () => [],
    securityKeyModels: () => [],
    logRefusal: (caller, action) => refusals.push(`${caller}:${action}`),
    ...overrides,
  };
  return { value, refusals, requests };
}

describe("the end user's own check", () => {
  it("always checks the caller, whatever user id the card data carries", async () => {
    const { value, requests } = deps();
    const choices = parseChoices({ platform: "windows", targetUserId: "99999999-2222-4333-8444-555555555555" });
    await checkOwnRegistration(value, USER_ID, "Wanda", choices, true);
    expect(requests).toEqual([USER_ID]);
  });

  it("highlights the first blocking question and offers the follow-ups not yet answered", async () => {
    const { value } = deps();
    const { card } = await checkOwnRegistration(
      value,
      USER_ID,
      "Wanda",
      parseChoices({ platform: "windows", answers: "windowsPinSet=y" }),
      true,
    );
    const questions = card.data.questions as Array<{ id: string; isBlocking: boolean }>;
    expect(questions.filter((q) => q.isBlocking).map((q) => q.id)).toEqual(["platform"]);
    const followUps = card.data.followUps as Array<{ id: string; isOpen: boolean }>;
    expect(followUps).toEqual([
      expect.objectContaining({ id: "windowsPinSet", isOpen: false }),
      expect.objectContaining({ id: "tpmReady", isOpen: true }),
    ]);
  });

  it("says when to try again instead of timing out when Graph stays throttled", async () => {
    const { value } = deps({
      runTriage: async () => {
        throw new ThrottledError("throttled", 429, "TooManyRequests", null, 7.2);
      },
    });
    const { card, outcome } = await checkOwnRegistration(value, USER_ID, "Wanda", parseChoices({}), true);
    expect(outcome).toBeNull();
    expect(cardWords(card).headline).toBe("Microsoft's account service is busy. Try again in 8 s.");
  });
});

describe("the Checking your account… acknowledgement", () => {
  it("gives the queue position and wait only when the reports budget is spent, counting the person's own request", () => {
    const status = (queuedInteractive: number, reportsBucketWaitSeconds: number) =>
      deps({ schedulerStatus: () => ({ queuedInteractive, queuedBackground: 5, reportsBucketWaitSeconds }) }).value;
    expect(cardWords(acknowledgement(status(0, 0)))).toEqual({ queueText: "", hasQueue: false });
    expect(cardWords(acknowledgement(status(3, 4.2))).queueText).toBe(
      t("triage.checkingQueue", { position: 3, seconds: 5 }),
    );
    expect(cardWords(acknowledgement(status(0, 1))).queueText).toBe(
      t("triage.checkingQueue", { position: 1, seconds: 1 }),
    );
  });
});

describe("agent commands", () => {
  it("refuses a non-agent politely and logs who tried", async () => {
    const { value, refusals } = deps();
    await expect(
      resolveAgentTarget(value, "en", USER_ID, "someone@contosopractice.onmicrosoft.com"),
    ).rejects.toBeInstanceOf(NotAnAgentError);
    expect(refusals).toEqual([`${USER_ID}:triage.user`]);
  });

  it("offers a picker when a name matches several people", async () => {
    const user = userSnapshotFixture().user;
    const { value } = deps({
      isAgent: async () => true,
      findUsers: async () => [user, { ...user, id: "other", userPrincipalName: "w2@x" }],
    });
    const target = await resolveAgentTarget(value, "en", USER_ID, "Wanda");
    expect(target.kind).toBe("choose");
  });
});
