import type { ThrottlingBucket } from "./shared-throttle-budget.js";

/** What one Graph request (or one `$batch`, summed over its items) takes from each throttling bucket. */
export interface RequestCost {
  /** Requests against the identity-and-access-reports bucket (sign-ins, audits, authentication methods). */
  reports: number;
  /** Identity-and-access ResourceUnits (graph.md §2.3). */
  resourceUnits: number;
}

/** The throttling buckets a request of this cost draws from. */
export function bucketsOf(cost: RequestCost): ThrottlingBucket[] {
  const buckets: ThrottlingBucket[] = [];
  if (cost.reports > 0) buckets.push("reports");
  if (cost.resourceUnits > 0) buckets.push("directory");
  return buckets;
}

/** Reads of the reports bucket: sign-ins, audits, registration reports and every authentication-method endpoint. */
function isReportsPath(path: string): boolean {
  return /^\/(auditLogs|reports)\//i.test(path) || /^\/users\/[^/]+\/authentication\//i.test(path);
}

/** What one request spends of the tenant's throttling buckets (graph.md §2.3). */
export function requestCost(request: { method: string; url: string }): RequestCost {
  const [path = "", query = ""] = request.url.split("?");
  if (isReportsPath(path)) return { reports: 1, resourceUnits: 0 };
  return { reports: 0, resourceUnits: resourceUnitCost({ method: request.method, path, query }) };
}

/** A `$batch` costs what its items cost: Graph evaluates each item against its bucket. */
export function sumCosts(costs: RequestCost[]): RequestCost {
  return costs.reduce(
    (sum, cost) => ({ reports: sum.reports + cost.reports, resourceUnits: sum.resourceUnits + cost.resourceUnits }),
    { reports: 0, resourceUnits: 0 },
  );
}

/**
 * ResourceUnits of one directory request (graph.md §2.3): base cost by endpoint, `$select` −1, `$expand` +1,
 * `$top` < 20 −1, never below 1; writes cost one more.
 */
export function resourceUnitCost(request: { method: string; path: string; query?: string }): number {
  const method = request.method.toUpperCase();
  const path = request.path.toLowerCase();
  const query = request.query ?? "";
  let cost = 1;
  if (method === "GET") {
    if (/^\/users\/?$/.test(path) || /\/(memberof|transitivememberof|ownedobjects|licensedetails)(\/|$)/.test(path)) {
      cost = 2;
    } else if (/^\/users\/[^/]+$/.test(path) || path === "/me") {
      cost = 2;
    } else if (/^\/groups\/[^/]+\/transitivemembers/.test(path)) {
      cost = 5;
    }
    if (/(^|[?&])\$select=/.test(query)) cost -= 1;
    if (/(^|[?&])\$expand=/.test(query)) cost += 1;
    const top = /(?:^|[?&])\$top=(\d+)/.exec(query);
    if (top && Number(top[1]) < 20) cost -= 1;
    return Math.max(1, cost);
  }
  if (/\/checkmembergroups$/.test(path)) return 4;
  if (/\/getmembergroups$/.test(path)) return 2;
  return 2;
}
