import type { TicketPerson } from "./ticket.js";

/** Two agents pressed "Assign to me"; the first write won. */
export class TicketAlreadyAssignedError extends Error {
  constructor(
    readonly ticketId: string,
    readonly assignee: TicketPerson,
  ) {
    super(`A ticket has one assignee: ${ticketId} is already assigned to ${assignee.userPrincipalName}`);
    this.name = "TicketAlreadyAssignedError";
  }
}

export class TicketNotFoundError extends Error {
  constructor(readonly ticketId: string) {
    super(`A ticket must exist to be changed: ${ticketId} was not found`);
    this.name = "TicketNotFoundError";
  }
}

/** The stored ticket changed between our read and our write (412 on the ETag-conditional update). */
export class StaleTicketError extends Error {
  constructor(readonly ticketId: string) {
    super(`A ticket must be updated from its latest version: ${ticketId} changed since it was read`);
    this.name = "StaleTicketError";
  }
}

/** Only members of the help-desk agents group may take tickets or triage other people. */
export class NotAnAgentError extends Error {
  constructor(readonly userId: string) {
    super(`Only help-desk agents may do this: ${userId} is not in the agents group`);
    this.name = "NotAnAgentError";
  }
}
