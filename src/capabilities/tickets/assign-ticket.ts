import type { CardMessage } from "../../cards/card-message.js";
import type { HelpdeskChannel, NotifyUser } from "./helpdesk-channel.js";
import type { Ticket, TicketPerson } from "./ticket.js";
import { buildTicketCard } from "./ticket-card-data.js";
import { NotAnAgentError, StaleTicketError, TicketAlreadyAssignedError, TicketNotFoundError } from "./ticket-errors.js";
import type { TicketStore } from "./ticket-store.js";

export interface AssignTicketDependencies {
  tickets: TicketStore;
  helpdesk: HelpdeskChannel;
  /** Decided from Graph group membership on every call, never from card data. */
  isAgent(userId: string): Promise<boolean>;
  /** The caller's name as the directory has it. */
  describeUser(userId: string): Promise<TicketPerson>;
  notifyUser: NotifyUser;
  now?: () => Date;
}

export interface AssignTicketResult {
  ticket: Ticket;
  card: CardMessage<"ticket-helpdesk">;
}

/**
 * "Assign to me": an agent takes an open ticket. The write is ETag-conditional, so of two agents pressing at once one
 * wins and the other is told who did. The channel card is updated for everyone and the requester is told who has it.
 */
export async function assignTicket(
  deps: AssignTicketDependencies,
  callerId: string,
  ticketId: string,
): Promise<AssignTicketResult> {
  if (!(await deps.isAgent(callerId))) throw new NotAnAgentError(callerId, "tickets.agentsOnly");
  const stored = await deps.tickets.get(ticketId);
  if (!stored) throw new TicketNotFoundError(ticketId);
  if (stored.value.assignee) {
    if (stored.value.assignee.id === callerId) return { ticket: stored.value, card: buildTicketCard(stored.value) };
    throw new TicketAlreadyAssignedError(ticketId, stored.value.assignee);
  }
  const agent = await deps.describeUser(callerId);
  const assigned: Ticket = {
    ...stored.value,
    status: "assigned",
    assignee: agent,
    assignedDateTime: (deps.now?.() ?? new Date()).toISOString(),
  };
  try {
    await deps.tickets.update(assigned, stored.etag);
  } catch (error) {
    if (!(error instanceof StaleTicketError)) throw error;
    const winner = await deps.tickets.get(ticketId);
    if (winner?.value.assignee && winner.value.assignee.id !== callerId) {
      throw new TicketAlreadyAssignedError(ticketId, winner.value.assignee);
    }
    throw error;
  }
  const card = buildTicketCard(assigned);
  if (assigned.channelActivityId) await deps.helpdesk.update(assigned.channelActivityId, card);
  await deps.notifyUser(assigned.requester.id, assigned.requesterLocale, "tickets.requesterTold", {
    agent: agent.displayName,
    ticketId: assigned.id,
  });
  return { ticket: assigned, card };
}
