import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackgroundLease, InvalidLeaseDurationError } from "../../src/jobs/background-lease.js";
import { createJobQueue } from "../../src/jobs/job-queue.js";
import { runJobWorker } from "../../src/jobs/run-job-worker.js";
import { type RunningAzurite, startAzurite } from "../support/azurite.js";

let azurite: RunningAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => azurite?.stop());

const storage = () => ({ kind: "connectionString" as const, connectionString: azurite.connectionString });
const container = () => BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient("leases");

describe("the background lease", () => {
  it("is held by one instance at a time and free again once released", async () => {
    const first = createBackgroundLease(container(), "budget", 15);
    const second = createBackgroundLease(container(), "budget", 15);
    const held = await first.tryAcquire();
    expect(held).not.toBeNull();
    expect(await second.tryAcquire()).toBeNull();
    await held?.renew();
    await held?.release();
    const taken = await second.tryAcquire();
    expect(taken).not.toBeNull();
    await taken?.release();
  });

  it("refuses a duration Azure Storage does not grant", () => {
    expect(() => createBackgroundLease(container(), "x", 5)).toThrow(InvalidLeaseDurationError);
    expect(() => createBackgroundLease(container(), "x", 120)).toThrow(InvalidLeaseDurationError);
  });
});

describe("the job worker", () => {
  it("leaves a failed job on the queue for the next delivery, which resumes it, then deletes it", async () => {
    const queue = createJobQueue(storage(), "jobs-retry");
    await queue.ensure();
    await queue.enqueue({ id: "job-1", kind: "count", payload: {} });
    const deliveries: number[] = [];
    const lease = createBackgroundLease(container(), "worker-budget", 15);
    const handlers = {
      count: async (_job: unknown, context: { dequeueCount: number }) => {
        deliveries.push(context.dequeueCount);
        if (context.dequeueCount === 1) throw new Error("instance lost its Graph connection");
      },
    };
    await runJobWorker({ queue, lease, handlers, untilEmpty: true, visibilitySeconds: 1, pollMs: 200 });
    expect(deliveries).toEqual([1, 2]);
    expect(await queue.depth()).toBe(0);
  });

  it("gives up a job whose kind no handler knows instead of retrying it forever", async () => {
    const queue = createJobQueue(storage(), "jobs-unknown");
    await queue.ensure();
    await queue.enqueue({ id: "job-2", kind: "nobody.handles.this", payload: {} });
    const events: string[] = [];
    await runJobWorker({
      queue,
      lease: createBackgroundLease(container(), "unknown-budget", 15),
      handlers: {},
      untilEmpty: true,
      pollMs: 200,
      onEvent: (event) => events.push(event.kind),
    });
    expect(events).toContain("gaveUp");
    expect(await queue.depth()).toBe(0);
  });

  it("gives up at its first delivery a job whose failure the caller says no retry cures, and says why", async () => {
    const queue = createJobQueue(storage(), "jobs-permanent");
    await queue.ensure();
    await queue.enqueue({ id: "job-3", kind: "denied", payload: {} });
    const deliveries: number[] = [];
    const events: Array<{ kind: string; attempt?: number; permanent?: boolean }> = [];
    class PermissionMissing extends Error {}
    await runJobWorker({
      queue,
      lease: createBackgroundLease(container(), "permanent-budget", 15),
      handlers: {
        denied: async (_job, context) => {
          deliveries.push(context.dequeueCount);
          throw new PermissionMissing("AuditLog.Read.All not granted");
        },
      },
      untilEmpty: true,
      visibilitySeconds: 1,
      pollMs: 200,
      isPermanent: (error) => error instanceof PermissionMissing,
      onEvent: (event) => {
        if (event.kind === "failed" || event.kind === "gaveUp")
          events.push({
            kind: event.kind,
            attempt: event.attempt,
            ...("permanent" in event ? { permanent: event.permanent } : {}),
          });
      },
    });
    expect(deliveries).toEqual([1]);
    expect(events).toEqual([{ kind: "gaveUp", attempt: 1, permanent: true }]);
    expect(await queue.depth()).toBe(0);
  });
});
