import { type RequestCost, resourceUnitCost } from "./request-scheduler.js";

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
