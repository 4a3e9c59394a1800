import { describe, expect, it } from "vitest";
import { renderCard } from "../../../src/bot/render-card.js";
import type { InventoryInsights } from "../../../src/capabilities/inventory/find-insights.js";
import {
  inventoryCardData,
  ringsCardData,
  whatIfCardData,
} from "../../../src/capabilities/inventory/inventory-card-data.js";
import type { WhatIfResult } from "../../../src/capabilities/rollout/predict-what-if.js";
import type { RingReadiness } from "../../../src/capabilities/rollout/ring-readiness.js";
import { translate } from "../../../src/locales/translate.js";

const person = {
  id: "0a11e3b0-0000-4000-8000-000000000001",
  userPrincipalName: "ada@contoso.test",
  displayName: "Ada",
};
const none = { count: 0, people: [] };

const insights: InventoryInsights = {
  totals: { users: 10, enabled: 9, disabled: 1, withPasskey: 4, passkeys: 5 },
  noPhishingResistant: { count: 1, people: [person] },
  aaguids: [{ aaGuid: null, name: "iCloud Keychain", count: 3, acceptedBy: [], refusedBy: [] }],
  unacceptedPasskeys: none,
  bulkRegistrations: [],
  incompleteRegistrations: none,
  outstandingTaps: none,
  syncedWhereDeviceBound: none,
  registrationsByDay: [],
};

const ring: RingReadiness = {
  ringId: "0a11e3b0-0000-4000-8000-000000000010",
  ringName: "Passkey pilot ring",
  funnel: { members: 5, inPolicy: 4, canProveIdentity: 3, platformReady: 3, authenticatorAccepted: 2, registered: 1 },
  blockers: [{ question: "policyScope", fix: { key: "policyScope.adminFix.addToTarget" }, count: 2, people: [] }],
  recommendedAllowList: [],
  withoutPhishingResistant: 4,
  nextStep: "fixBlockers",
  isSafeToRequirePhishingResistant: false,
};

const whatIf: WhatIfResult = {
  change: { kind: "enforceAttestation", profile: "Default" },
  signInBreaks: [{ ...person, passkey: "YubiKey 5" }],
  registrationBreaks: [{ ...person, question: "authenticator" }],
  membersJudged: 5,
};

/** A rendered card as text: every word the reader sees is in it. */
const words = (card: object) => JSON.stringify(card);

describe("the rollout cards speak the reader's language, resolved when rendered", () => {
  it.each(["en", "cs"])("inventory summary, rings and what-if in %s", (locale) => {
    const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
    const summary = words(renderCard("inventory-summary", inventoryCardData(insights, "snap-1"), locale));
    expect(summary).toContain(t("inventory.summaryTitle"));
    expect(summary).toContain(t("inventory.insightNoPhishingResistant"));

    const rings = words(renderCard("rings-summary", ringsCardData([ring]), locale));
    expect(rings).toContain(t("inventory.nextStep_fixBlockers"));
    expect(rings).toContain(`${t("inventory.question_policyScope")} (2)`);
    expect(rings).toContain(JSON.stringify(t("diagnosis.policyScope.adminFix.addToTarget")).slice(1, -1));

    const change = words(renderCard("whatif-result", whatIfCardData(whatIf, "attestation Default on"), locale));
    expect(change).toContain(`${t("inventory.whatifSignInBreaks")}: YubiKey 5`);
    expect(change).toContain(`${t("inventory.whatifRegistrationBreaks")}: ${t("inventory.question_authenticator")}`);
  });

  it("keeps the text as keys in the card data, so one card can go to readers of different languages", () => {
    expect(ringsCardData([ring]).rings[0]?.nextStep).toEqual({ key: "inventory.nextStep_fixBlockers" });
  });
});
