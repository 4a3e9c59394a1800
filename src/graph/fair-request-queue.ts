import type { RequestPriority } from "./graph-gateway.js";

/** Served in this order: TAP work, then a person waiting in chat, then background jobs. */
export const PRIORITIES = ["tap", "interactive", "background"] as const satisfies readonly RequestPriority[];

/** What the queue needs of a waiting request: its priority and whose it is (`""` for no one in particular). */
export interface FairlyQueued {
  priority: RequestPriority;
  person: string;
}

interface Tagged {
  /** Start-time fair queueing tag: a person's n-th waiting request is served after every other person's first. */
  tag: number;
  seq: number;
}

/**
 * The request scheduler's waiting room: one queue per priority, each in start-time fair order, so one person's flood of
 * re-checks delays nobody else by more than one request. It only orders and counts; when a request may go is the
 * scheduler's business (the throttling buckets).
 */
export class FairRequestQueue<T extends FairlyQueued> {
  private readonly queues: Record<RequestPriority, Array<T & Tagged>> = { tap: [], interactive: [], background: [] };
  private readonly waitingByPerson = new Map<string, number>();
  /** Per person, the finish tag of their last queued request: their next one starts no earlier. */
  private readonly lastTag = new Map<string, number>();
  private virtualTime = 0;
  private seq = 0;

  get size(): number {
    return this.queues.tap.length + this.queues.interactive.length + this.queues.background.length;
  }

  sizeOf(priority: RequestPriority): number {
    return this.queues[priority].length;
  }

  waitingFor(person: string): number {
    return this.waitingByPerson.get(person) ?? 0;
  }

  /** Queues `item` behind everything with an earlier fair-queueing tag. */
  add(item: T): void {
    const tag = Math.max(this.virtualTime, this.lastTag.get(item.person) ?? 0);
    this.lastTag.set(item.person, tag + 1);
    this.waitingByPerson.set(item.person, this.waitingFor(item.person) + 1);
    const job = Object.assign(item, { tag, seq: this.seq++ });
    const queue = this.queues[job.priority];
    let index = queue.length;
    while (index > 0) {
      const before = queue[index - 1] as T & Tagged;
      if (before.tag < job.tag || (before.tag === job.tag && before.seq < job.seq)) break;
      index--;
    }
    queue.splice(index, 0, job);
  }

  /** The waiting requests of one priority, in the order they will be served. */
  inOrder(priority: RequestPriority): readonly T[] {
    return this.queues[priority];
  }

  /** Removes the request at `index` of `priority`'s queue to be sent now. */
  take(priority: RequestPriority, index: number): T {
    const [job] = this.queues[priority].splice(index, 1) as [T & Tagged];
    const left = this.waitingFor(job.person) - 1;
    if (left <= 0) {
      this.waitingByPerson.delete(job.person);
      // A person with nothing waiting starts fresh at the current virtual time: no credit, no debt, no unbounded map.
      if ((this.lastTag.get(job.person) ?? 0) <= this.virtualTime) this.lastTag.delete(job.person);
    } else {
      this.waitingByPerson.set(job.person, left);
    }
    this.virtualTime = Math.max(this.virtualTime, job.tag);
    return job;
  }

  /** A request Graph throttled goes back to the front of its queue: it was next, and still is. */
  putBack(item: T): void {
    this.waitingByPerson.set(item.person, this.waitingFor(item.person) + 1);
    this.queues[item.priority].unshift(item as T & Tagged);
  }
}
