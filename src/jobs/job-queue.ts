import type { TokenCredential } from "@azure/identity";
import { QueueClient, QueueServiceClient } from "@azure/storage-queue";
import type { StorageConfig } from "../config.js";
import { expandDevelopmentStorage } from "../storage/storage-account.js";

/** A unit of background work: `kind` picks the handler, `id` names its checkpoint. */
export interface JobMessage<T = unknown> {
  id: string;
  kind: string;
  payload: T;
}

/** A job taken from the queue: invisible to other instances until its visibility timeout ends. */
export interface ReceivedJob<T = unknown> {
  job: JobMessage<T>;
  messageId: string;
  popReceipt: string;
  /** How often the message has been handed out, this time included: > 1 means an earlier owner did not finish. */
  dequeueCount: number;
}

/** The queue's message text is not a job this code wrote: it is parked, never retried forever. */
export class MalformedJobMessageError extends Error {
  constructor(messageId: string) {
    super(`A job message must be base64 JSON with id, kind and payload (message ${messageId})`);
    this.name = "MalformedJobMessageError";
  }
}

export interface JobQueue {
  readonly name: string;
  ensure(): Promise<void>;
  enqueue<T>(job: JobMessage<T>): Promise<void>;
  /** Takes the next visible job, hiding it for `visibilitySeconds`; null when the queue is empty. */
  receive<T>(visibilitySeconds: number): Promise<ReceivedJob<T> | null>;
  /** Keeps a job hidden for another `visibilitySeconds` while it runs; the new pop receipt replaces the old one. */
  extend<T>(received: ReceivedJob<T>, visibilitySeconds: number): Promise<ReceivedJob<T>>;
  /** The job is done: delete it. */
  complete(received: ReceivedJob): Promise<void>;
  /** Approximate number of messages waiting (visible or hidden). */
  depth(): Promise<number>;
}

/**
 * Jobs on Azure Queue Storage (Azurite locally): a message stays in the queue until its handler deletes it, so a job
 * whose instance dies becomes visible again after its visibility timeout and another instance takes it over.
 */
export function createJobQueue(config: StorageConfig, queueName: string, credential?: TokenCredential): JobQueue {
  const client: QueueClient =
    config.kind === "connectionString"
      ? QueueServiceClient.fromConnectionString(expandDevelopmentStorage(config.connectionString)).getQueueClient(
          queueName,
        )
      : new QueueClient(`${config.blobUrl.replace(".blob.", ".queue.").replace(/\/+$/, "")}/${queueName}`, credential);
  const encode = (job: JobMessage<unknown>) => Buffer.from(JSON.stringify(job), "utf8").toString("base64");
  const decode = <T>(text: string, messageId: string): JobMessage<T> => {
    try {
      const job = JSON.parse(Buffer.from(text, "base64").toString("utf8")) as JobMessage<T>;
      if (typeof job.id === "string" && typeof job.kind === "string") return job;
    } catch {}
    throw new MalformedJobMessageError(messageId);
  };
  return {
    name: queueName,
    async ensure() {
      await client.createIfNotExists();
    },
    async enqueue(job) {
      await client.sendMessage(encode(job));
    },
    async receive<T>(visibilitySeconds: number) {
      const response = await client.receiveMessages({ numberOfMessages: 1, visibilityTimeout: visibilitySeconds });
      const message = response.receivedMessageItems[0];
      if (!message) return null;
      let job: JobMessage<T>;
      try {
        job = decode<T>(message.messageText, message.messageId);
      } catch (error) {
        await client.deleteMessage(message.messageId, message.popReceipt);
        throw error;
      }
      return { job, messageId: message.messageId, popReceipt: message.popReceipt, dequeueCount: message.dequeueCount };
    },
    async extend(received, visibilitySeconds) {
      const response = await client.updateMessage(
        received.messageId,
        received.popReceipt,
        undefined,
        visibilitySeconds,
      );
      return { ...received, popReceipt: response.popReceipt ?? received.popReceipt };
    },
    async complete(received) {
      await client.deleteMessage(received.messageId, received.popReceipt);
    },
    async depth() {
      const properties = await client.getProperties();
      return properties.approximateMessagesCount ?? 0;
    },
  };
}
