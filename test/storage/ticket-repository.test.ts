import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ticket } from "../../src/capabilities/tickets/ticket.js";
import { StaleTicketError } from "../../src/capabilities/tickets/ticket-errors.js";
import { TicketRepository } from "../../src/storage/ticket-repository.js";
import { type RunningAzurite, startAzurite } from "../support/azurite.js";

let azurite: RunningAzurite;
let repository: TicketRepository;

beforeAll(async () => {
  azurite = await startAzurite();
  repository = TicketRepository.fromConnectionString(azurite.connectionString, "TicketsTest");
});
afterAll(async () => {
  await azurite?.stop();
});

function ticket(id: string, requesterId = "11111111-2222-4333-8444-555555555555"): Ticket {
  return {
    id,
    status: "open",
    requester: { id: requesterId, userPrincipalName: "u@contosopractice.onmicrosoft.com", displayName: "U" },
    requesterLocale: "en",
    diagnosis: {
      platform: "windows",
      aaGuid: null,
      authenticatorName: null,
      firstBlocking: "platform",
      verdicts: [{ question: "platform", verdict: "fail" }],
      needsTemporaryAccessPass: false,
      checkedDateTime: "2026-11-22T10:00:00.000Z",
    },
    assignee: null,
    assignedDateTime: null,
    createdDateTime: new Date().toISOString(),
    channelActivityId: null,
  };
}

describe("TicketRepository on Azurite", () => {
  it("stores a ticket and reads it back with an ETag", async () => {
    const created = await repository.create(ticket("PK-00000001"));
    const read = await repository.get("PK-00000001");
    expect(read?.value).toEqual(created.value);
    expect(read?.etag).toBeTruthy();
  });

  it("lets exactly one of two concurrent assignments of the same version win", async () => {
    const stored = await repository.create(ticket("PK-00000002"));
    const assignTo = (id: string) =>
      repository.update(
        { ...stored.value, status: "assigned", assignee: { id, userPrincipalName: `${id}@x`, displayName: id } },
        stored.etag,
      );
    const results = await Promise.allSettled([assignTo("agent-1"), assignTo("agent-2")]);
    const winners = results.filter((r) => r.status === "fulfilled");
    const losers = results.filter((r) => r.status === "rejected");
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expect((losers[0] as PromiseRejectedResult).reason).toBeInstanceOf(StaleTicketError);
    const final = await repository.get("PK-00000002");
    expect(final?.value.assignee?.id).toBe(
      (winners[0] as PromiseFulfilledResult<{ value: Ticket }>).value.value.assignee?.id,
    );
  });

  it("refuses a second ticket with the same id", async () => {
    await repository.create(ticket("PK-00000003"));
    await expect(repository.create(ticket("PK-00000003"))).rejects.toBeInstanceOf(StaleTicketError);
  });

  it("lists a requester's tickets and nobody else's", async () => {
    const requester = "99999999-2222-4333-8444-555555555555";
    await repository.create(ticket("PK-00000004", requester));
    const found = await repository.listOpenByRequester(requester);
    expect(found.map((t) => t.value.id)).toEqual(["PK-00000004"]);
  });

  it("answers null for an id that is not a ticket id instead of querying with it", async () => {
    expect(await repository.get("x' or PartitionKey ne '")).toBeNull();
  });
});
