import { describe, expect, it } from "vitest";
import { renderCard } from "../../../src/bot/render-card.js";
import {
  approvalCard,
  confirmCard,
  issuedCard,
  literal,
  noticeCard,
  statusCard,
} from "../../../src/capabilities/tap/tap-card-data.js";
import type { TapCard } from "../../../src/capabilities/tap/tap-ports.js";
import { localizedText } from "../../../src/cards/localized-text.js";
import { aTapRequest } from "./tap-request-fixture.js";

/** What people type into a reason, a note or their display name: placeholders, markdown, card syntax. */
const HOSTILE = [
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal "${…}" a person types is what is under test
  "Call me first: ${phone}",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a typed card-template expression must stay text
  "${$root.t.tap.approvalTitle} ${if(true,'x','y')}",
  "**urgent** _now_ [click](https://evil.example) `code` ~~gone~~",
  '# Heading\n- item\n1. first\n> quote {"type":"Action.OpenUrl"}',
];

const render = (card: TapCard, locale = "en") => renderCard(card.name, card.data, locale);

describe("free text on TAP cards stays text", () => {
  it.each(HOSTILE)("renders every TAP card with %j in reason, note, names and denial reason", (typed) => {
    const request = aTapRequest({
      status: "denied",
      reason: typed,
      identityVerificationNote: typed,
      triageSummary: typed,
      multiUseJustification: typed,
      confirmation: "unreachable",
      requester: { id: "agent-id", userPrincipalName: "agent-1@contosopractice.onmicrosoft.com", displayName: typed },
      decidedBy: { id: "manager-id", userPrincipalName: "manager@contosopractice.onmicrosoft.com", displayName: typed },
      denialReason: typed,
    });
    const cards = [
      approvalCard(request),
      approvalCard(request, { askReason: true }),
      confirmCard(request),
      issuedCard(request),
      noticeCard(request),
      statusCard(
        request,
        localizedText("tap.statusDeniedTitle"),
        localizedText("tap.statusDeniedNotice", { reason: literal(typed) }),
      ),
    ];
    for (const locale of ["en", "cs"]) {
      for (const card of cards) {
        const rendered = JSON.stringify(render(card, locale));
        // Shown as typed: a "${…}" survives literally (no error, no evaluation) and markdown is escaped.
        if (typed.includes("${")) expect(rendered, card.name).toContain(JSON.stringify(literal(typed)).slice(1, -1));
        expect(rendered).not.toContain("\uE000");
      }
    }
  });

  it("escapes markdown so Teams shows the characters, not formatting", () => {
    expect(literal("**urgent** [x](y)")).toBe("\\*\\*urgent\\*\\* \\[x\\](y)");
    expect(literal("# title\n- item\n2. two")).toBe("\\# title\n\\- item\n2\\. two");
    expect(literal("Plain words, 3 items.")).toBe("Plain words, 3 items.");
  });
});
