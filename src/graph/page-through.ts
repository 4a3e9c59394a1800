import type { GraphHttpRequest } from "./graph-transport.js";

export interface GraphPage<T> {
  value: T[];
  "@odata.nextLink"?: string;
}

/** A collection longer than this is a runaway loop (a nextLink pointing at itself), not data the bot can use. */
const defaultMaxPages = 500;

/**
 * Reads every page of a Graph collection: follows `@odata.nextLink` exactly as Graph wrote it (it already carries the
 * query options and skip token; adding them again breaks paging). Each page is one request through `fetchPage`,
 * which runs it through the scheduler.
 */
export async function pageThrough<T>(
  first: GraphHttpRequest,
  fetchPage: (request: GraphHttpRequest) => Promise<GraphPage<T>>,
  linkToRequest: (nextLink: string) => GraphHttpRequest,
  options: { maxItems?: number; maxPages?: number } = {},
): Promise<T[]> {
  const items: T[] = [];
  const maxItems = options.maxItems ?? Number.POSITIVE_INFINITY;
  let request: GraphHttpRequest | null = first;
  for (let page = 0; request; page++) {
    if (page >= (options.maxPages ?? defaultMaxPages)) {
      throw new Error(`A Graph collection must end within ${options.maxPages ?? defaultMaxPages} pages`);
    }
    const response: GraphPage<T> = await fetchPage(request);
    items.push(...(response.value ?? []));
    if (items.length >= maxItems) return items.slice(0, maxItems);
    const nextLink = response["@odata.nextLink"];
    request = nextLink ? linkToRequest(nextLink) : null;
  }
  return items;
}
