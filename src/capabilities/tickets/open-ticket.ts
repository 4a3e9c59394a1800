import type { DiagnosisHeadline } from "../../diagnosis/diagnosis-terms.js";
import type { HelpdeskChannel } from "./helpdesk-channel.js";
import { newTicketId, type Ticket, type TicketDiagnosisSummary, type TicketPerson } from "./ticket.js";
import { buildTicketCard } from "./ticket-card-data.js";
import type { TicketStore } from "./ticket-store.js";

export interface OpenTicketDependencies {
  tickets: TicketStore;
  helpdesk: HelpdeskChannel;
  now?: () => Date;
  newId?: () => string;
}

export interface OpenTicketResult {
  ticket: Ticket;
  /** false when the requester already had a ticket open: the help desk is not paged twice for one problem. */
  isNew: boolean;
}

/** Only verdicts and choices travel to the help desk: evidence values stay in Graph, read again by the agent. */
export function summarizeDiagnosis(diagnosis: DiagnosisHeadline): TicketDiagnosisSummary {
  return {
    platform: diagnosis.platform,
    aaGuid: diagnosis.aaGuid,
    authenticatorName: diagnosis.authenticatorName,
    firstBlocking: diagnosis.firstBlocking,
    verdicts: diagnosis.questions.map((q) => ({ question: q.question, verdict: q.verdict })),
    needsTemporaryAccessPass: diagnosis.needsTemporaryAccessPass,
    checkedDateTime: diagnosis.checkedDateTime,
  };
}

/** Stores a ticket with the diagnosis summary and posts its card to the help-desk channel. */
export async function openTicket(
  deps: OpenTicketDependencies,
  requester: TicketPerson,
  requesterLocale: string,
  diagnosis: DiagnosisHeadline,
): Promise<OpenTicketResult> {
  const existing = await deps.tickets.listOpenByRequester(requester.id);
  const first = existing[0];
  if (first) return { ticket: first.value, isNew: false };
  const ticket: Ticket = {
    id: deps.newId?.() ?? newTicketId(),
    status: "open",
    requester,
    requesterLocale,
    diagnosis: summarizeDiagnosis(diagnosis),
    assignee: null,
    assignedDateTime: null,
    createdDateTime: (deps.now?.() ?? new Date()).toISOString(),
    channelActivityId: null,
  };
  const stored = await deps.tickets.create(ticket);
  const activityId = await deps.helpdesk.post(buildTicketCard(ticket));
  const posted = { ...ticket, channelActivityId: activityId };
  await deps.tickets.update(posted, stored.etag);
  return { ticket: posted, isNew: true };
}
