import { RefusalError } from "../../refusal/refusal-error.js";
import type { TicketPerson } from "./ticket.js";

/** Two agents pressed "Assign to me"; the first write won. */
export class TicketAlreadyAssignedError extends RefusalError {
  constructor(
    readonly ticketId: string,
    readonly assignee: TicketPerson,
  ) {
    super(
      "ticketAlreadyAssigned",
      `A ticket has one assignee: ${ticketId} is already assigned to ${assignee.userPrincipalName}`,
      "tickets.alreadyAssigned",
      { ticketId, name: assignee.displayName },
    );
  }
}

export class TicketNotFoundError extends RefusalError {
  constructor(readonly ticketId: string) {
    super("ticketNotFound", `A ticket must exist to be changed: ${ticketId} was not found`, "tickets.notFound", {
      ticketId,
    });
  }
}

/** The stored ticket changed between our read and our write (412 on the ETag-conditional update). */
export class StaleTicketError extends Error {
  constructor(readonly ticketId: string) {
    super(`A ticket must be updated from its latest version: ${ticketId} changed since it was read`);
    this.name = "StaleTicketError";
  }
}

/**
 * Only members of the help-desk agents group may take tickets or triage other people. The sentence depends on what
 * was refused: triaging someone else ("triage.agentOnly", the default) or taking a ticket ("tickets.agentsOnly").
 */
export class NotAnAgentError extends RefusalError {
  constructor(
    readonly userId: string,
    messageKey: "triage.agentOnly" | "tickets.agentsOnly" = "triage.agentOnly",
  ) {
    super("notAnAgent", `Only help-desk agents may do this: ${userId} is not in the agents group`, messageKey);
  }
}
