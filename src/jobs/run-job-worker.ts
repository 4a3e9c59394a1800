import type { BackgroundLease, HeldLease } from "./background-lease.js";
import type { JobMessage, JobQueue, ReceivedJob } from "./job-queue.js";

/** What a handler is given besides its job: a signal that fires when this instance must stop (lease lost, shutdown). */
export interface JobContext {
  signal: AbortSignal;
  /** > 1 when an earlier owner took the job and did not finish: the handler resumes from its checkpoint. */
  dequeueCount: number;
}

export type JobHandler = (job: JobMessage, context: JobContext) => Promise<void>;

export interface JobWorkerOptions {
  queue: JobQueue;
  lease: BackgroundLease;
  handlers: Record<string, JobHandler>;
  /** How long a taken job stays hidden without a heartbeat; a dead instance's job reappears after this. */
  visibilitySeconds?: number;
  /** Wait between polls of an empty queue or a lease held elsewhere. */
  pollMs?: number;
  /** After this many deliveries a job is given up (it keeps failing), and `onEvent` is told (`gaveUp`). */
  maxAttempts?: number;
  /**
   * Failures no later delivery can cure (a permission not granted, a rule the request breaks): the job is given up at
   * once rather than retried for minutes. An unknown job kind always is.
   */
  isPermanent?: (error: unknown) => boolean;
  signal?: AbortSignal;
  /** Stop once the queue holds no message, visible or hidden (CLI runs and tests); a bot instance keeps polling. */
  untilEmpty?: boolean;
  onEvent?: (event: JobWorkerEvent) => void;
}

export type JobWorkerEvent =
  | { kind: "leaseBusy" }
  | { kind: "started"; job: JobMessage; dequeueCount: number }
  | { kind: "completed"; job: JobMessage }
  /** The job stays on the queue: the next delivery (after its visibility timeout) tries again. */
  | { kind: "failed"; job: JobMessage; error: unknown; attempt: number }
  /** The job is deleted: it failed `attempt` times (maxAttempts), or with a failure no retry cures. */
  | { kind: "gaveUp"; job: JobMessage; error: unknown; attempt: number; permanent: boolean };

/** No handler is registered for a job's kind: the job cannot ever succeed on this version of the code. */
export class UnknownJobKindError extends Error {
  constructor(kind: string) {
    super(`A job's kind must have a handler; none for '${kind}'`);
    this.name = "UnknownJobKindError";
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/**
 * Runs background jobs from an Azure Storage queue on the one instance that holds the background lease. While a job
 * runs, a heartbeat renews the lease and the message's visibility; if either fails the job's signal aborts and the
 * message is left for whoever takes the lease next, who resumes from the job's checkpoint.
 */
export async function runJobWorker(options: JobWorkerOptions): Promise<void> {
  const visibilitySeconds = options.visibilitySeconds ?? 60;
  const pollMs = options.pollMs ?? 2_000;
  const maxAttempts = options.maxAttempts ?? 5;
  const emit = options.onEvent ?? (() => {});
  while (!options.signal?.aborted) {
    const lease = await options.lease.tryAcquire();
    if (!lease) {
      emit({ kind: "leaseBusy" });
      await sleep(pollMs, options.signal);
      continue;
    }
    try {
      const received = await options.queue.receive(visibilitySeconds);
      if (!received) {
        // Hidden messages count too: a job a dead instance held comes back after its visibility timeout.
        if (options.untilEmpty && (await options.queue.depth()) === 0) return;
        await sleep(pollMs, options.signal);
        continue;
      }
      await runOne(options, lease, received, visibilitySeconds, maxAttempts, emit);
    } finally {
      await lease.release();
    }
  }
}

async function runOne(
  options: JobWorkerOptions,
  lease: HeldLease,
  first: ReceivedJob,
  visibilitySeconds: number,
  maxAttempts: number,
  emit: (event: JobWorkerEvent) => void,
): Promise<void> {
  let received = first;
  const stop = new AbortController();
  const onOuterAbort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onOuterAbort, { once: true });
  // A third of the shorter of the two lifetimes: two heartbeats may fail before either runs out.
  const beatMs = Math.min(options.lease.seconds, visibilitySeconds) * 333;
  let beating = Promise.resolve();
  const heartbeat = setInterval(() => {
    beating = beating.then(async () => {
      try {
        await lease.renew();
        received = await options.queue.extend(received, visibilitySeconds);
      } catch (error) {
        stop.abort(error);
      }
    });
  }, beatMs);
  try {
    const handler = options.handlers[received.job.kind];
    if (!handler) throw new UnknownJobKindError(received.job.kind);
    emit({ kind: "started", job: received.job, dequeueCount: received.dequeueCount });
    await handler(received.job, { signal: stop.signal, dequeueCount: received.dequeueCount });
    clearInterval(heartbeat);
    await beating;
    await options.queue.complete(received);
    emit({ kind: "completed", job: received.job });
  } catch (error) {
    clearInterval(heartbeat);
    await beating;
    const attempt = received.dequeueCount;
    const permanent = error instanceof UnknownJobKindError || (options.isPermanent?.(error) ?? false);
    if (permanent || attempt >= maxAttempts) {
      await options.queue.complete(received).catch(() => {});
      emit({ kind: "gaveUp", job: received.job, error, attempt, permanent });
    } else {
      emit({ kind: "failed", job: received.job, error, attempt });
    }
  } finally {
    clearInterval(heartbeat);
    options.signal?.removeEventListener("abort", onOuterAbort);
  }
}
