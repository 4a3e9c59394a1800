import { type CardText, joinedText, type LocalizedText, localizedText } from "../../cards/localized-text.js";
import type { WhatIfResult } from "../rollout/predict-what-if.js";
import type { RingReadiness } from "../rollout/ring-readiness.js";
import { diagnosisLocaleKey } from "../triage/engine/diagnosis-text.js";
import type { InventoryInsights } from "./find-insights.js";

/** Text of the `inventory` locale namespace, resolved when the card is rendered in its reader's language. */
const t = (key: string, params?: Record<string, string | number>) => localizedText(`inventory.${key}`, params);

/** Teams shows at most this many slices / rows before a card gets unwieldy; the CSV and HTML report hold the rest. */
const MAX_ROWS = 8;

/** The data of cards/inventory-summary.card.json. */
export type InventoryCardData = {
  title: LocalizedText;
  subtitle: LocalizedText;
  mix: Array<{ legend: string; value: number; count: string }>;
  insights: Array<{ label: LocalizedText; count: string }>;
  /** A short-lived read-only link to the CSV; "" when none could be made. */
  csvUrl: string;
};

export function inventoryCardData(insights: InventoryInsights, snapshotId: string, csvUrl = ""): InventoryCardData {
  const totals = insights.totals;
  return {
    title: t("summaryTitle"),
    subtitle: t("summarySubtitle", {
      users: totals.users,
      disabled: totals.disabled,
      withPasskey: totals.withPasskey,
      passkeys: totals.passkeys,
      snapshot: snapshotId,
    }),
    mix: insights.aaguids
      .slice(0, MAX_ROWS)
      .map((entry) => ({ legend: entry.name, value: entry.count, count: String(entry.count) })),
    insights: [
      { label: t("insightNoPhishingResistant"), count: String(insights.noPhishingResistant.count) },
      { label: t("insightUnaccepted"), count: String(insights.unacceptedPasskeys.count) },
      { label: t("insightSynced"), count: String(insights.syncedWhereDeviceBound.count) },
      { label: t("insightBulk"), count: String(insights.bulkRegistrations.length) },
      { label: t("insightIncomplete"), count: String(insights.incompleteRegistrations.count) },
      { label: t("insightTaps"), count: String(insights.outstandingTaps.count) },
    ],
    csvUrl,
  };
}

/** The data of cards/rings-summary.card.json. */
export type RingsCardData = {
  rings: Array<{
    name: string;
    nextStep: LocalizedText;
    funnel: Array<{ label: LocalizedText; value: number; count: string }>;
    blockers: Array<{ question: CardText; text: CardText }>;
    allowList: string;
  }>;
};

export function ringsCardData(rings: RingReadiness[]): RingsCardData {
  return {
    rings: rings.map((ring) => {
      const f = ring.funnel;
      const steps: Array<[string, number]> = [
        ["funnelMembers", f.members],
        ["funnelInPolicy", f.inPolicy],
        ["funnelCanProve", f.canProveIdentity],
        ["funnelPlatform", f.platformReady],
        ["funnelAuthenticator", f.authenticatorAccepted],
        ["funnelRegistered", f.registered],
      ];
      return {
        name: ring.ringName,
        nextStep: t(`nextStep_${ring.nextStep}`),
        funnel: steps.map(([key, value]) => ({ label: t(key), value, count: String(value) })),
        blockers: ring.blockers.slice(0, MAX_ROWS).map((blocker) => ({
          question: joinedText([t(`question_${blocker.question}`), `(${blocker.count})`], " "),
          text: blocker.fix ? localizedText(diagnosisLocaleKey(blocker.fix), blocker.fix.params) : "—",
        })),
        allowList:
          ring.recommendedAllowList
            .slice(0, MAX_ROWS)
            .map((entry) => `${entry.name} (${entry.count})`)
            .join(", ") || "—",
      };
    }),
  };
}

/** The data of cards/whatif-result.card.json. */
export type WhatIfCardData = {
  change: string;
  summary: LocalizedText;
  breaks: Array<{ person: string; what: CardText }>;
};

export function whatIfCardData(result: WhatIfResult, changeText: string): WhatIfCardData {
  return {
    change: changeText,
    summary: t("whatifSummary", {
      members: result.membersJudged,
      signIn: result.signInBreaks.length,
      registration: result.registrationBreaks.length,
    }),
    breaks: [
      ...result.signInBreaks.map((b) => ({
        person: b.userPrincipalName,
        what: joinedText([t("whatifSignInBreaks"), b.passkey], ": "),
      })),
      ...result.registrationBreaks.map((b) => ({
        person: b.userPrincipalName,
        what: joinedText([t("whatifRegistrationBreaks"), t(`question_${b.question}`)], ": "),
      })),
    ].slice(0, 20),
  };
}

/** Ring readiness was asked for before any inventory: the card says how to take one (its text is all in the locales). */
export type InventoryNeededData = Record<string, never>;

declare module "../../cards/card-message.js" {
  interface CardDataByName {
    "inventory-needed": InventoryNeededData;
    "inventory-summary": InventoryCardData;
    "rings-summary": RingsCardData;
    "whatif-result": WhatIfCardData;
  }
}
