import type { BotDependencies } from "../../bot/bot-dependencies.js";
import type { CardMessage } from "../../cards/card-message.js";
import type { DiagnosisHeadline } from "../../diagnosis/diagnosis-terms.js";
import { NotFoundError } from "../../graph/graph-errors.js";
import type { DirectoryUser } from "../../graph/model.js";
import { translate } from "../../locales/translate.js";
import { TICKETS_TABLE, TicketRepository } from "../../storage/ticket-repository.js";
import { type AssignTicketResult, assignTicket } from "./assign-ticket.js";
import type { HelpdeskChannel } from "./helpdesk-channel.js";
import { type OpenTicketResult, openTicket } from "./open-ticket.js";
import type { Ticket, TicketPerson } from "./ticket.js";
import { buildTicketCard } from "./ticket-card-data.js";
import { NotAnAgentError, TicketNotFoundError } from "./ticket-errors.js";

/** The help desk's tickets as the routes use them; the channel itself is handed in by the route (a bot mechanic). */
export interface TicketDesk {
  tickets: TicketRepository;
  channelId: string;
  /** Cards in the help-desk channel follow the channel's configured language, whoever caused them. */
  channelLocale: string;
  /** Opens the requester's ticket (or finds the one already open) and posts it to the channel. */
  open(
    helpdesk: HelpdeskChannel,
    requester: DirectoryUser,
    locale: string,
    diagnosis: DiagnosisHeadline,
  ): Promise<OpenTicketResult>;
  /** "Assign to me", for `callerId`; refused for anyone not an agent. */
  assign(helpdesk: HelpdeskChannel, callerId: string, ticketId: string): Promise<AssignTicketResult>;
  /** The stored ticket; TicketNotFoundError when there is none. */
  ticket(ticketId: string): Promise<Ticket>;
  /** The ticket's card, in the channel's language. */
  card(ticket: Ticket): CardMessage<"ticket-helpdesk">;
}

export function personOf(user: DirectoryUser): TicketPerson {
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    displayName: user.displayName ?? user.userPrincipalName,
  };
}

const desks = new WeakMap<BotDependencies, TicketDesk>();

/** The one ticket desk of a bot (its dependencies object), shared by the triage and ticket routes. */
export function ticketDeskOf(bot: BotDependencies): TicketDesk {
  const known = desks.get(bot);
  if (known) return known;
  const tickets = new TicketRepository(bot.storage.account.tableClient(TICKETS_TABLE));
  const channelLocale = bot.config.helpdeskChannelLocale ?? "en";
  const isAgent = async (userId: string) => (await bot.roles.resolveCallerRoles(userId)).isAgent;
  const notifyUser = async (userId: string, locale: string, key: string, params: Record<string, string | number>) => {
    const result = await bot.proactive.sendToUser(userId, { type: "message", text: translate(locale, key, params) });
    if (result.status !== "delivered") {
      bot.logger.warn(
        { event: "tickets.requesterNotReached", recipient: userId, status: result.status },
        "requester not told",
      );
    }
  };
  const desk: TicketDesk = {
    tickets,
    channelId: bot.config.helpdeskChannelId,
    channelLocale,
    open: (helpdesk, requester, locale, diagnosis) =>
      openTicket({ tickets, helpdesk, now: bot.clock }, personOf(requester), locale, diagnosis),
    assign: (helpdesk, callerId, ticketId) =>
      assignTicket(
        {
          tickets,
          helpdesk,
          isAgent,
          describeUser: async (userId) => {
            try {
              return personOf(await bot.graph.getUser(userId, "interactive"));
            } catch (error) {
              if (error instanceof NotFoundError) throw new NotAnAgentError(userId, "tickets.agentsOnly");
              throw error;
            }
          },
          notifyUser,
          now: bot.clock,
        },
        callerId,
        ticketId,
      ),
    async ticket(ticketId) {
      const stored = await tickets.get(ticketId);
      if (!stored) throw new TicketNotFoundError(ticketId);
      return stored.value;
    },
    card: (ticket) => buildTicketCard(ticket),
  };
  desks.set(bot, desk);
  return desk;
}
