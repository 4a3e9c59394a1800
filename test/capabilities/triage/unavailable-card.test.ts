import { describe, expect, it } from "vitest";
import { renderCard } from "../../../src/bot/render-card.js";
import { buildUnavailableCard } from "../../../src/capabilities/triage/build-result-card.js";
import { parseChoices } from "../../../src/capabilities/triage/conversation-choices.js";
import { translate } from "../../../src/locales/translate.js";
import { cardWords } from "../../support/card-words.js";

const PERMISSION = "UserAuthenticationMethod.Read.All";

describe("the end user's card when the helpdesk app lacks a permission", () => {
  it.each(["en", "cs"])(
    "(%s) says the help desk must fix it, in plain words, without naming the permission",
    (locale) => {
      const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
      const card = buildUnavailableCard("Wanda Hello", parseChoices({}), {
        kind: "accessDenied",
        missingPermission: PERMISSION,
      });
      const rendered = JSON.stringify(renderCard("triage-result", card.data, locale));
      expect(cardWords(card, locale).headline).toContain(t("triage.accessDenied"));
      expect(rendered).not.toContain(PERMISSION);
      expect(rendered).not.toMatch(/\bGraph\b|Read\.All/);
    },
  );

  it.each(["en", "cs"])("(%s) names the permission on the agent's card, for whoever grants it", (locale) => {
    const card = buildUnavailableCard(
      "wanda@contoso.example",
      parseChoices({}),
      { kind: "accessDenied", missingPermission: PERMISSION },
      "agent",
    );
    expect(JSON.stringify(renderCard("triage-result", card.data, locale))).toContain(PERMISSION);
  });
});
