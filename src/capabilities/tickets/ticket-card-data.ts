import type { CardMessage } from "../../cards/card-message.js";
import { type CardText, localizedText } from "../../cards/localized-text.js";
import { VERDICT_ICONS } from "../../cards/verdict-icons.js";
import type { Platform } from "../../diagnosis/diagnosis-terms.js";
import type { Ticket } from "./ticket.js";

/** `windows` → `triage.platformWindows`: the same labels the triage cards use. */
const platformKey = (platform: Platform) => `triage.platform${platform.charAt(0).toUpperCase()}${platform.slice(1)}`;

/** The data of cards/ticket-helpdesk.card.json. */
export type TicketCardData = {
  ticketId: string;
  title: CardText;
  requester: string;
  created: string;
  platform: CardText;
  authenticator: string;
  firstBlocking: CardText;
  verdicts: Array<{ icon: string; title: CardText }>;
  needsTap: boolean;
  needsTapText: CardText;
  status: CardText;
  isOpen: boolean;
};

declare module "../../cards/card-message.js" {
  interface CardDataByName {
    "ticket-helpdesk": TicketCardData;
  }
}

/**
 * The ticket card in the help-desk channel, for agents: the questions are about the requester, in the third person.
 * Its text is LocalizedText, rendered in the channel's locale; the same card is updated for everyone when an agent
 * takes the ticket.
 */
export function buildTicketCard(ticket: Ticket): CardMessage<"ticket-helpdesk"> {
  const d = ticket.diagnosis;
  return {
    name: "ticket-helpdesk",
    data: {
      ticketId: ticket.id,
      title: localizedText("tickets.cardTitle", { ticketId: ticket.id }),
      requester: `${ticket.requester.displayName} (${ticket.requester.userPrincipalName})`,
      created: `${ticket.createdDateTime.slice(0, 16).replace("T", " ")} UTC`,
      platform: localizedText(platformKey(d.platform)),
      authenticator: d.authenticatorName ?? d.aaGuid ?? "—",
      firstBlocking: d.firstBlocking
        ? localizedText(`agent.question.${d.firstBlocking}`)
        : localizedText("tickets.noneBlocking"),
      verdicts: d.verdicts.map((v) => ({
        icon: VERDICT_ICONS[v.verdict],
        title: localizedText(`agent.question.${v.question}`),
      })),
      needsTap: d.needsTemporaryAccessPass,
      needsTapText: localizedText("triage.evidenceNeedsTap"),
      status: ticket.assignee
        ? localizedText("tickets.statusAssigned", { name: ticket.assignee.displayName })
        : localizedText("tickets.statusOpen"),
      isOpen: ticket.status === "open",
    },
  };
}
