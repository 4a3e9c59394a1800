import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PendingRequestExistsError, StaleRequestError } from "../../src/capabilities/tap/tap-errors.js";
import { tapStateMachine } from "../../src/capabilities/tap/tap-state-machine.js";
import { TapRequestRepository } from "../../src/storage/tap-request-repository.js";
import { aTapRequest } from "../capabilities/tap/tap-request-fixture.js";
import { type RunningAzurite, startAzurite } from "../support/azurite.js";

let azurite: RunningAzurite;
let repository: TapRequestRepository;
const now = "2026-11-22T10:05:00.000Z";

beforeAll(async () => {
  azurite = await startAzurite();
  repository = TapRequestRepository.fromConnectionString(azurite.connectionString, `Tap${randomUUID().slice(0, 8)}`);
});
afterAll(async () => azurite?.stop());

describe("TapRequestRepository", () => {
  it("stores a request and reads it back with an etag", async () => {
    const request = aTapRequest();
    const created = await repository.create(request);
    expect(created.etag).not.toBe("");
    const read = await repository.get(request.id);
    expect(read?.value).toEqual(request);
  });

  it("refuses a second pending request for the same target, naming the pending one", async () => {
    const first = aTapRequest();
    await repository.create(first);
    const second = aTapRequest({ target: first.target });
    const error = await repository.create(second).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PendingRequestExistsError);
    expect((error as PendingRequestExistsError).pendingRequestId).toBe(first.id);
    expect(await repository.get(second.id)).toBeNull();
  });

  it("lets a new request for the target in once the previous one reached a final status", async () => {
    const first = aTapRequest();
    const created = await repository.create(first);
    await repository.update(tapStateMachine(first, { type: "expire" }, now), created.etag);
    await expect(repository.create(aTapRequest({ target: first.target }))).resolves.toBeDefined();
  });

  it("lets only one of two writers holding the same etag win a transition", async () => {
    const request = { ...aTapRequest(), confirmation: "unreachable" as const };
    const created = await repository.create(request);
    const approved = tapStateMachine(request, { type: "approve", by: request.requester, issueBy: now }, now);
    const denied = tapStateMachine(request, { type: "deny", by: request.requester, reason: "no" }, now);
    const results = await Promise.allSettled([
      repository.update(approved, created.etag),
      repository.update(denied, created.etag),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(StaleRequestError);
  });

  it("returns an etag after an update that the next conditional write accepts", async () => {
    const request = aTapRequest();
    const created = await repository.create(request);
    const confirmed = tapStateMachine(request, { type: "confirm" }, now);
    const afterConfirm = await repository.update(confirmed, created.etag);
    const denied = tapStateMachine(confirmed, { type: "deny", by: request.requester, reason: "x" }, now);
    const afterDeny = await repository.update(denied, afterConfirm.etag);
    expect((await repository.get(request.id))?.value.status).toBe("denied");
    await expect(repository.update(denied, created.etag)).rejects.toBeInstanceOf(StaleRequestError);
    expect(afterDeny.etag).not.toBe(afterConfirm.etag);
  });

  it("lists requests by status", async () => {
    const request = aTapRequest({ status: "confirmed", confirmation: "confirmed" });
    await repository.create(request);
    const listed = await repository.listByStatus(["confirmed"]);
    expect(listed.map((r) => r.value.id)).toContain(request.id);
    expect(listed.every((r) => r.value.status === "confirmed")).toBe(true);
  });

  it("answers null for an unknown id or a lock row key", async () => {
    expect(await repository.get(randomUUID())).toBeNull();
    expect(await repository.get("pending-target-x")).toBeNull();
  });
});
