import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/bot/create-logger.js";
import { requiredPermissions } from "../../src/graph/graph-permissions.js";
import { type RunningApp, startApp } from "../../src/index.js";
import { translate } from "../../src/locales/translate.js";
import { botConfigOver } from "../support/bot-config.js";
import {
  cardOf,
  cardTexts,
  executeCardAction,
  expectReplies,
  practicePersona,
  teamsActivity,
} from "../support/bot-http.js";
import { usePracticeServices } from "../support/practice-services.js";

const LIMITED_APP = {
  GRAPH_CLIENT_ID: "6a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
  GRAPH_CLIENT_SECRET: "contoso-practice-limited-secret",
};

const practice = usePracticeServices();
let app: RunningApp;

beforeAll(async () => {
  app = await startApp(
    botConfigOver(practice, {
      // Graph's buckets ×100 here and in the emulator: each setup check spends reports requests, and at the real
      // 5 per 10 s the second check in this file waited ten seconds for the first one's.
      GRAPH_EMULATOR_THROTTLE_SCALE: "100",
    }),
    { logger: createLogger("silent") },
  );
}, 60_000);
afterAll(async () => {
  await app?.close();
});

describe("the admin's `doctor` in chat", () => {
  it("answers an admin with the setup card: every permission, storage and the registration, all ok", async () => {
    const admin = practicePersona("admin");
    const [reply] = await expectReplies(app.url, teamsActivity(admin, { type: "message", text: "doctor" }));
    const texts = cardTexts(cardOf(reply)).join("\n");
    expect(texts).toContain(translate("en", "doctor.title"));
    expect(texts).toContain(translate("en", "doctor.summaryAllOk", { total: requiredPermissions().length + 6 }));
    for (const { permission } of requiredPermissions()) expect(texts).toContain(`**permission ${permission}**: ok`);
    expect(texts).toContain("**storage: queues**: ok");
  });

  it("runs from the admin help card's button, in Czech for a Czech client", async () => {
    const admin = practicePersona("admin");
    const response = await executeCardAction(app.url, admin, "doctor.run", {}, "cs-CZ");
    const texts = cardTexts(response.body.value).join("\n");
    expect(texts).toContain("Kontrola nastavení");
    expect(texts).toContain("**storage: tables**: v pořádku");
  });

  it("refuses anyone who is not in Helpdesk Admins, agents included, and shows them nothing of the setup", async () => {
    for (const key of ["agent-1", "all-good"]) {
      const replies = await expectReplies(
        app.url,
        teamsActivity(practicePersona(key), { type: "message", text: "doctor" }),
      );
      const all = JSON.stringify(replies);
      expect(all).toContain(translate("en", "doctor.adminsOnly"));
      expect(all).not.toContain("permission User.Read.All");
    }
  });
});

describe("a missing permission disables only its feature", () => {
  it("without GroupMember.Read.All: the setup check is refused naming it, and everyone still gets help, told why", async () => {
    const limited = await startApp(
      botConfigOver(practice, {
        GRAPH_EMULATOR_THROTTLE_SCALE: "100",
        ...LIMITED_APP,
      }),
      { logger: createLogger("silent") },
    );
    try {
      // The limited app cannot read group memberships, so nobody is recognized as an admin: the check is refused
      // with the permission named, while the end user's help still works.
      const admin = practicePersona("admin");
      const doctor = JSON.stringify(
        await expectReplies(limited.url, teamsActivity(admin, { type: "message", text: "doctor" })),
      );
      expect(doctor).toContain("GroupMember.Read.All");
      const help = await expectReplies(
        limited.url,
        teamsActivity(practicePersona("all-good"), { type: "message", text: "help" }),
      );
      expect(cardTexts(cardOf(help[0])).join("\n")).toContain(translate("en", "common.helpTitleUser"));
    } finally {
      await limited.close();
    }
  });
});

describe("FORCE_LOCALE (npm start -- --locale cs)", () => {
  it("answers in Czech although the client (the Playground) says en-US", async () => {
    const czech = await startApp(
      botConfigOver(practice, {
        GRAPH_EMULATOR_THROTTLE_SCALE: "100",
        FORCE_LOCALE: "cs",
      }),
      { logger: createLogger("silent") },
    );
    try {
      const [reply] = await expectReplies(
        czech.url,
        teamsActivity(practicePersona("all-good"), { type: "message", text: "help", locale: "en-US" }),
      );
      expect(cardTexts(cardOf(reply)).join("\n")).toContain(translate("cs", "common.helpTitleUser"));
    } finally {
      await czech.close();
    }
  });
});
