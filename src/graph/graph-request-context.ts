import { AsyncLocalStorage } from "node:async_hooks";
import type { RequestPriority } from "./graph-gateway.js";

/**
 * Who a Graph request is for and how urgent it is, carried along a bot turn without threading it through every
 * capability: the scheduler queues each person's requests fairly (one person's flood cannot starve another's verdict)
 * and serves TAP work before triage.
 */
export interface GraphRequestContext {
  /** The person the turn serves (their Entra object id); requests with none share one anonymous lane. */
  person?: string;
  /** Replaces the default "interactive" for requests made in this context ("tap" in a TAP turn). */
  priority?: RequestPriority;
}

const storage = new AsyncLocalStorage<GraphRequestContext>();

/** Runs `work` with `context` visible to every Graph request it makes, however deep. */
export function runWithGraphRequestContext<T>(context: GraphRequestContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentGraphRequestContext(): GraphRequestContext {
  return storage.getStore() ?? {};
}
