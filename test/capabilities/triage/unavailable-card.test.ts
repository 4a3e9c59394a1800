import { describe, expect, it } from "vitest";
import { renderCard } from "../../../src/bot/render-card.js";
import { parseChoices } from "../../../src/capabilities/triage/conversation-choices.js";
import { buildUnavailableCard } from "../../../src/capabilities/triage/triage-card-data.js";
import { translate } from "../../../src/locales/translate.js";

const PERMISSION = "UserAuthenticationMethod.Read.All";

describe("the end user's card when the helpdesk app lacks a permission", () => {
  it.each(["en", "cs"])(
    "(%s) says the help desk must fix it, in plain words, without naming the permission",
    (locale) => {
      const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
      const card = buildUnavailableCard(t, "Wanda Hello", parseChoices({}), {
        kind: "accessDenied",
        missingPermission: PERMISSION,
      });
      const rendered = JSON.stringify(renderCard("triage-result", card.data, locale));
      expect(card.data.headline).toContain(t("triage.accessDenied"));
      expect(rendered).not.toContain(PERMISSION);
      expect(rendered).not.toMatch(/\bGraph\b|Read\.All/);
    },
  );

  it.each(["en", "cs"])("(%s) names the permission on the agent's card, for whoever grants it", (locale) => {
    const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
    const card = buildUnavailableCard(
      t,
      "wanda@contoso.example",
      parseChoices({}),
      { kind: "accessDenied", missingPermission: PERMISSION },
      "agent",
    );
    expect(JSON.stringify(renderCard("triage-result", card.data, locale))).toContain(PERMISSION);
  });
});
