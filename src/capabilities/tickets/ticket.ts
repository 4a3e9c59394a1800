import type { Platform, QuestionId, Verdict } from "../../diagnosis/diagnosis-terms.js";

/** The diagnosis as the help desk sees it on a ticket: verdicts and keys only, never evidence values or secrets. */
export interface TicketDiagnosisSummary {
  platform: Platform;
  aaGuid: string | null;
  authenticatorName: string | null;
  firstBlocking: QuestionId | null;
  verdicts: Array<{ question: QuestionId; verdict: Verdict }>;
  needsTemporaryAccessPass: boolean;
  checkedDateTime: string;
}

export interface TicketPerson {
  id: string;
  userPrincipalName: string;
  displayName: string;
}

export type TicketStatus = "open" | "assigned";

/** A request for help that the triage could not settle by itself, posted to the help-desk channel. */
export interface Ticket {
  /** Short, readable, unique: "PK-" and 8 hex digits. */
  id: string;
  status: TicketStatus;
  requester: TicketPerson;
  /** The locale the requester talks to the bot in, for messages sent back to them. */
  requesterLocale: string;
  diagnosis: TicketDiagnosisSummary;
  assignee: TicketPerson | null;
  assignedDateTime: string | null;
  createdDateTime: string;
  /** The ticket card's activity in the help-desk channel, so every change updates the same card for everyone. */
  channelActivityId: string | null;
}

/** A stored record with the ETag its next conditional write must match. */
export interface VersionedTicket {
  value: Ticket;
  etag: string;
}

export function newTicketId(random: () => number = Math.random): string {
  let hex = "";
  for (let i = 0; i < 8; i++) hex += Math.floor(random() * 16).toString(16);
  return `PK-${hex.toUpperCase()}`;
}

export const TICKET_ID_PATTERN = /^PK-[0-9A-F]{8}$/;
