import { describe, expect, it } from "vitest";
import { resolveCardText } from "../../../src/bot/resolve-card-text.js";
import { assignTicket } from "../../../src/capabilities/tickets/assign-ticket.js";
import type { HelpdeskChannel } from "../../../src/capabilities/tickets/helpdesk-channel.js";
import { openTicket } from "../../../src/capabilities/tickets/open-ticket.js";
import type { VersionedTicket } from "../../../src/capabilities/tickets/ticket.js";
import {
  NotAnAgentError,
  StaleTicketError,
  TicketAlreadyAssignedError,
} from "../../../src/capabilities/tickets/ticket-errors.js";
import type { TicketStore } from "../../../src/capabilities/tickets/ticket-store.js";
import type { CardMessage } from "../../../src/cards/card-message.js";
import { diagnosisFixture } from "../triage/conversation-fixtures.js";

const REQUESTER = { id: "11111111-2222-4333-8444-555555555555", userPrincipalName: "r@x", displayName: "Rita" };

/** An in-memory store with the same ETag rule as the Table repository. */
function memoryStore(): TicketStore & { rows: Map<string, VersionedTicket> } {
  const rows = new Map<string, VersionedTicket>();
  let version = 0;
  return {
    rows,
    async create(ticket) {
      if (rows.has(ticket.id)) throw new StaleTicketError(ticket.id);
      const stored = { value: structuredClone(ticket), etag: `v${++version}` };
      rows.set(ticket.id, stored);
      return structuredClone(stored);
    },
    async get(id) {
      const row = rows.get(id);
      return row ? structuredClone(row) : null;
    },
    async update(ticket, etag) {
      if (rows.get(ticket.id)?.etag !== etag) throw new StaleTicketError(ticket.id);
      const stored = { value: structuredClone(ticket), etag: `v${++version}` };
      rows.set(ticket.id, stored);
      return structuredClone(stored);
    },
    async listOpenByRequester(requesterId) {
      return [...rows.values()].filter((r) => r.value.requester.id === requesterId);
    },
  };
}

function channel(): HelpdeskChannel & { posted: CardMessage[]; updated: Array<[string, CardMessage]> } {
  const posted: CardMessage[] = [];
  const updated: Array<[string, CardMessage]> = [];
  return {
    posted,
    updated,
    async post(card) {
      posted.push(card);
      return `activity-${posted.length}`;
    },
    async update(id, card) {
      updated.push([id, card]);
    },
  };
}

describe("openTicket", () => {
  it("stores the diagnosis summary, posts the ticket card and remembers the channel activity", async () => {
    const tickets = memoryStore();
    const helpdesk = channel();
    const { ticket, isNew } = await openTicket({ tickets, helpdesk }, REQUESTER, "cs", diagnosisFixture());
    expect(isNew).toBe(true);
    expect(helpdesk.posted[0]?.name).toBe("ticket-helpdesk");
    expect(helpdesk.posted[0]?.data.ticketId).toBe(ticket.id);
    const stored = await tickets.get(ticket.id);
    expect(stored?.value.channelActivityId).toBe("activity-1");
    expect(stored?.value.diagnosis.firstBlocking).toBe("platform");
    expect(JSON.stringify(stored?.value)).not.toContain("evidence");
  });

  it("does not page the help desk twice for a requester who already has a ticket", async () => {
    const tickets = memoryStore();
    const helpdesk = channel();
    const first = await openTicket({ tickets, helpdesk }, REQUESTER, "en", diagnosisFixture());
    const second = await openTicket({ tickets, helpdesk }, REQUESTER, "en", diagnosisFixture());
    expect(second.isNew).toBe(false);
    expect(second.ticket.id).toBe(first.ticket.id);
    expect(helpdesk.posted).toHaveLength(1);
  });
});

describe("assignTicket", () => {
  async function setUp() {
    const tickets = memoryStore();
    const helpdesk = channel();
    const notices: Array<{ userId: string; locale: string; key: string; params: Record<string, string | number> }> = [];
    const { ticket } = await openTicket({ tickets, helpdesk }, REQUESTER, "cs", diagnosisFixture());
    const deps = {
      tickets,
      helpdesk,
      isAgent: async (id: string) => id.startsWith("agent"),
      describeUser: async (id: string) => ({ id, userPrincipalName: `${id}@x`, displayName: `Agent ${id}` }),
      notifyUser: async (userId: string, locale: string, key: string, params: Record<string, string | number>) => {
        notices.push({ userId, locale, key, params });
      },
    };
    return { tickets, helpdesk, notices, ticket, deps };
  }

  it("assigns the ticket, updates the channel card for everyone and tells the requester who has it", async () => {
    const { helpdesk, notices, ticket, deps } = await setUp();
    const result = await assignTicket(deps, "agent-1", ticket.id);
    expect(result.ticket.assignee?.id).toBe("agent-1");
    expect(helpdesk.updated[0]?.[0]).toBe("activity-1");
    expect(helpdesk.updated[0]?.[1].data.isOpen).toBe(false);
    expect(String(resolveCardText(helpdesk.updated[0]?.[1].data.status, "en"))).toContain("Agent agent-1");
    expect(notices).toEqual([
      {
        userId: REQUESTER.id,
        locale: "cs",
        key: "tickets.requesterTold",
        params: { agent: "Agent agent-1", ticketId: ticket.id },
      },
    ]);
  });

  it("lets one of two agents win when both press Assign to me at once", async () => {
    const { tickets, ticket, deps } = await setUp();
    const results = await Promise.allSettled([
      assignTicket(deps, "agent-1", ticket.id),
      assignTicket(deps, "agent-2", ticket.id),
    ]);
    const fulfilled = results.filter(
      (r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof assignTicket>>> => r.status === "fulfilled",
    );
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(fulfilled).toHaveLength(1);
    expect(rejected[0]?.reason).toBeInstanceOf(TicketAlreadyAssignedError);
    expect((await tickets.get(ticket.id))?.value.assignee?.id).toBe(fulfilled[0]?.value.ticket.assignee?.id);
  });

  it("refuses someone who is not an agent", async () => {
    const { ticket, deps } = await setUp();
    await expect(assignTicket(deps, "user-1", ticket.id)).rejects.toBeInstanceOf(NotAnAgentError);
  });
});
