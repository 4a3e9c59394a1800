import { TableClient } from "@azure/data-tables";
import { TICKET_ID_PATTERN, type Ticket, type VersionedTicket } from "../capabilities/tickets/ticket.js";
import { StaleTicketError } from "../capabilities/tickets/ticket-errors.js";
import type { TicketStore } from "../capabilities/tickets/ticket-store.js";
import { ConcurrentUpdateError } from "./concurrent-update-error.js";
import { ensureOnce } from "./ensure-once.js";
import { createEntityIfAbsent, isStatus, updateEntityIfMatch } from "./update-entity-if-match.js";

export const TICKETS_TABLE = "Tickets";
const PARTITION = "ticket";
const CHANNEL_PARTITION = "channel";

interface TicketEntity {
  partitionKey: string;
  rowKey: string;
  status: string;
  requesterId: string;
  assigneeId: string;
  createdDateTime: string;
  json: string;
}

/**
 * Help-desk tickets in Azure Tables. Every change is an ETag-conditional replace, so when two agents (or two bot
 * instances) assign the same ticket at once exactly one write lands and the other gets StaleTicketError.
 */
export class TicketRepository implements TicketStore {
  private readonly ensureTable = ensureOnce(async () => {
    await this.client.createTable();
  });

  constructor(private readonly client: TableClient) {}

  static fromConnectionString(connectionString: string, tableName = TICKETS_TABLE): TicketRepository {
    return new TicketRepository(
      TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection: true }),
    );
  }

  async create(ticket: Ticket): Promise<VersionedTicket> {
    await this.ensureTable();
    try {
      const etag = await createEntityIfAbsent(this.client, toEntity(ticket));
      return { value: ticket, etag: etag || (await this.mustGet(ticket.id)).etag };
    } catch (error) {
      if (error instanceof ConcurrentUpdateError) throw new StaleTicketError(ticket.id);
      throw error;
    }
  }

  async get(id: string): Promise<VersionedTicket | null> {
    if (!TICKET_ID_PATTERN.test(id)) return null;
    await this.ensureTable();
    try {
      return fromEntity(await this.client.getEntity<TicketEntity>(PARTITION, id));
    } catch (error) {
      if (isStatus(error, 404)) return null;
      throw error;
    }
  }

  async update(ticket: Ticket, etag: string): Promise<VersionedTicket> {
    await this.ensureTable();
    try {
      const written = await updateEntityIfMatch(this.client, toEntity(ticket), etag);
      return { value: ticket, etag: written || (await this.mustGet(ticket.id)).etag };
    } catch (error) {
      if (error instanceof ConcurrentUpdateError) throw new StaleTicketError(ticket.id);
      throw error;
    }
  }

  async listOpenByRequester(requesterId: string): Promise<VersionedTicket[]> {
    await this.ensureTable();
    const id = requesterId.replace(/'/g, "''");
    const found: VersionedTicket[] = [];
    const entities = this.client.listEntities<TicketEntity>({
      queryOptions: { filter: `PartitionKey eq '${PARTITION}' and requesterId eq '${id}'` },
    });
    for await (const entity of entities) found.push(fromEntity(entity));
    return found.sort((a, b) => b.value.createdDateTime.localeCompare(a.value.createdDateTime));
  }

  /** The help-desk channel's conversation reference, saved whenever the bot hears from that channel. */
  async saveChannelReference(channelId: string, reference: object): Promise<void> {
    await this.ensureTable();
    await this.client.upsertEntity(
      { partitionKey: CHANNEL_PARTITION, rowKey: channelKey(channelId), reference: JSON.stringify(reference) },
      "Replace",
    );
  }

  async findChannelReference(channelId: string): Promise<Record<string, unknown> | null> {
    await this.ensureTable();
    try {
      const entity = await this.client.getEntity<{ reference: string }>(CHANNEL_PARTITION, channelKey(channelId));
      return JSON.parse(entity.reference) as Record<string, unknown>;
    } catch (error) {
      if (isStatus(error, 404)) return null;
      throw error;
    }
  }

  private async mustGet(id: string): Promise<VersionedTicket> {
    const stored = await this.get(id);
    if (!stored) throw new StaleTicketError(id);
    return stored;
  }
}

function toEntity(ticket: Ticket): TicketEntity {
  return {
    partitionKey: PARTITION,
    rowKey: ticket.id,
    status: ticket.status,
    requesterId: ticket.requester.id,
    assigneeId: ticket.assignee?.id ?? "",
    createdDateTime: ticket.createdDateTime,
    json: JSON.stringify(ticket),
  };
}

function fromEntity(entity: TicketEntity & { etag?: string }): VersionedTicket {
  return { value: JSON.parse(entity.json) as Ticket, etag: entity.etag ?? "" };
}

/** Channel ids ("19:…@thread.tacv2") hold characters a RowKey may not; hex keeps them unique and valid. */
function channelKey(channelId: string): string {
  return Buffer.from(channelId, "utf8").toString("hex");
}
