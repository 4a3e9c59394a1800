import type { Ticket, VersionedTicket } from "./ticket.js";

/** Where tickets live; implemented by src/storage/ticket-repository.ts (Azure Tables), faked in memory by tests. */
export interface TicketStore {
  /** Inserts a ticket that must not exist yet. */
  create(ticket: Ticket): Promise<VersionedTicket>;
  get(id: string): Promise<VersionedTicket | null>;
  /** Writes only if the stored ETag is still `etag`; throws StaleTicketError otherwise. */
  update(ticket: Ticket, etag: string): Promise<VersionedTicket>;
  /** The requester's tickets that are still open or assigned, newest first (to avoid duplicate escalations). */
  listOpenByRequester(requesterId: string): Promise<VersionedTicket[]>;
}
