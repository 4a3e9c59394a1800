import {
  agentQuestionTitle,
  type CardMessage,
  platformLabel,
  type Translate,
  VERDICT_ICONS,
} from "../triage/triage-card-data.js";
import type { Ticket } from "./ticket.js";

/**
 * The ticket card in the help-desk channel, for agents: the questions are about the requester, in the third person.
 * Rendered in the channel's locale; the same card is updated for everyone
 * when an agent takes the ticket.
 */
export function buildTicketCard(t: Translate, ticket: Ticket): CardMessage<"ticket-helpdesk"> {
  const d = ticket.diagnosis;
  return {
    name: "ticket-helpdesk",
    data: {
      ticketId: ticket.id,
      title: t("tickets.cardTitle", { ticketId: ticket.id }),
      requester: `${ticket.requester.displayName} (${ticket.requester.userPrincipalName})`,
      created: `${ticket.createdDateTime.slice(0, 16).replace("T", " ")} UTC`,
      platform: platformLabel(t, d.platform),
      authenticator: d.authenticatorName ?? d.aaGuid ?? "—",
      firstBlocking: d.firstBlocking ? agentQuestionTitle(t, d.firstBlocking) : t("tickets.noneBlocking"),
      verdicts: d.verdicts.map((v) => ({ icon: VERDICT_ICONS[v.verdict], title: agentQuestionTitle(t, v.question) })),
      needsTap: d.needsTemporaryAccessPass,
      needsTapText: t("triage.evidenceNeedsTap"),
      status: ticket.assignee
        ? t("tickets.statusAssigned", { name: ticket.assignee.displayName })
        : t("tickets.statusOpen"),
      isOpen: ticket.status === "open",
    },
  };
}
