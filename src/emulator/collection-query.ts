import { randomUUID } from "node:crypto";
import { isGuid } from "../text/is-guid.js";
import { entityProperties } from "./entity-properties.js";
import { listFilterUses } from "./filter-uses.js";
import { GraphHttpError } from "./graph-http-error.js";
import { type FilterNode, matchesODataFilter, parseODataFilter, UnsupportedFilterError } from "./odata-filter.js";

/** Which Graph error codes a family of endpoints speaks (the directory and the newer services differ). */
export type ErrorFamily = "directory" | "authMethods" | "reports" | "teams";

export const errorCodes: Record<
  ErrorFamily,
  { badRequest: string; unsupportedQuery: string; notFound: string; forbidden: string }
> = {
  directory: {
    badRequest: "Request_BadRequest",
    unsupportedQuery: "Request_UnsupportedQuery",
    notFound: "Request_ResourceNotFound",
    forbidden: "Authorization_RequestDenied",
  },
  authMethods: {
    badRequest: "badRequest",
    unsupportedQuery: "badRequest",
    notFound: "itemNotFound",
    forbidden: "accessDenied",
  },
  reports: {
    badRequest: "BadRequest",
    unsupportedQuery: "BadRequest",
    notFound: "Request_ResourceNotFound",
    forbidden: "Authorization_RequestDenied",
  },
  teams: { badRequest: "BadRequest", unsupportedQuery: "BadRequest", notFound: "NotFound", forbidden: "Forbidden" },
};

export type GraphVersion = "v1.0" | "beta";

export interface CollectionOptions {
  family: ErrorFamily;
  /** Which version's members `$select` may name (beta declares more on some types); v1.0 when absent. */
  version?: GraphVersion;
  /** Absolute URL of the request without query, for nextLink. */
  requestUrl: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  context: string;
  /** property path (any() items written `collection/any/item-path`, the item itself as `collection/any`) → operators. */
  filterable?: Record<string, string[]>;
  /** Operators that need `ConsistencyLevel: eventual` + `$count=true` (advanced queries on directory objects). */
  advancedOperators?: string[];
  /** Directory objects: `$filter` only with ConsistencyLevel (memberOf and friends). */
  filterNeedsAdvanced?: boolean;
  orderable?: string[];
  defaultOrder?: { path: string; descending: boolean };
  countable?: boolean;
  expandable?: string[];
  searchable?: string[];
  defaultPageSize: number;
  maxPageSize: number;
  /** Types without an entry in entity-properties.ts: names `$select` may use besides those present on the items. */
  knownProperties?: string[];
  /** Properties returned when there is no `$select` (Graph's default set for users); all when absent. */
  defaultProperties?: string[];
  /** Applies `$expand` to one item. */
  expand?: (item: Record<string, unknown>, expand: string) => Record<string, unknown>;
}

const standardOptions = new Set([
  "$filter",
  "$select",
  "$top",
  "$count",
  "$orderby",
  "$skiptoken",
  "$expand",
  "$search",
]);

export function rejectUnknownOptions(query: URLSearchParams, allowed: string[], family: ErrorFamily): void {
  for (const key of query.keys()) {
    if (!key.startsWith("$")) continue;
    if (!standardOptions.has(key) && key !== "$skip") {
      throw new GraphHttpError(400, errorCodes[family].badRequest, `Query option '${key}' is not supported.`);
    }
    if (!allowed.includes(key)) {
      throw new GraphHttpError(
        400,
        errorCodes[family].badRequest,
        `Query option '${key}' is not allowed for this resource.`,
      );
    }
  }
}

function isEventual(headers: Record<string, string | undefined>): boolean {
  return (headers.consistencylevel ?? "").toLowerCase() === "eventual";
}

export function parseSelect(query: URLSearchParams): string[] | null {
  const select = query.get("$select");
  if (select === null) return null;
  return select
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
}

interface DeclaredMembers {
  properties: ReadonlySet<string>;
  navigation: ReadonlySet<string>;
}

/** The members a type declares in this version (entity-properties.ts); undefined for a type the table lacks. */
export function declaredMembers(typeName: string, version: GraphVersion = "v1.0"): DeclaredMembers | undefined {
  const entry = entityProperties[typeName.replace(/^#/, "")];
  if (!entry || (entry.betaOnly && version !== "beta")) return undefined;
  return {
    properties: new Set([...entry.properties, ...(version === "beta" ? (entry.beta ?? []) : [])]),
    navigation: new Set(entry.navigation),
  };
}

/**
 * Projects an entity: `$select` names (plus `@odata.type`, and `id` as Graph always returns it) or the default set.
 * A declared property the entity lacks comes back as null, as Graph returns unset properties. Judged by the item's
 * own `@odata.type` when it has one, so in a polymorphic directory collection a group omits user-only members;
 * navigation properties appear only when carried inline.
 */
export function project(
  item: Record<string, unknown>,
  select: string[] | null,
  defaults?: string[],
  type?: { typeName: string; version?: GraphVersion },
): Record<string, unknown> {
  const names = select ?? defaults;
  if (!names) return { ...item };
  const ownType = typeof item["@odata.type"] === "string" ? (item["@odata.type"] as string) : type?.typeName;
  const declared = ownType ? declaredMembers(ownType, type?.version) : undefined;
  const projected: Record<string, unknown> = {};
  if (item["@odata.type"] !== undefined) projected["@odata.type"] = item["@odata.type"];
  for (const name of names) {
    if (declared && !(name in item) && !declared.properties.has(name)) continue;
    projected[name] = item[name] ?? null;
  }
  if (!("id" in projected) && item.id !== undefined && select === null) projected.id = item.id;
  return projected;
}

/**
 * Graph answers 400 for a `$select` member the type does not declare, whatever the data holds. Types missing from
 * entity-properties.ts fall back to the members present on the items plus `known`.
 */
export function validateSelect(
  select: string[] | null,
  items: Array<Record<string, unknown>>,
  known: string[] | undefined,
  family: ErrorFamily,
  typeName: string,
  version: GraphVersion = "v1.0",
): void {
  if (!select) return;
  const declared = declaredMembers(typeName, version);
  const present = new Set(known ?? []);
  if (!declared) for (const item of items) for (const key of Object.keys(item)) present.add(key);
  const isDeclared = (name: string) =>
    declared ? declared.properties.has(name) || declared.navigation.has(name) : items.length === 0 || present.has(name);
  for (const name of select) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name) || !isDeclared(name)) {
      throw new GraphHttpError(
        400,
        errorCodes[family].badRequest,
        `Could not find a property named '${name}' on type '${typeName}'.`,
      );
    }
  }
}

function readPath(entity: Record<string, unknown>, path: string): unknown {
  return path
    .split("/")
    .reduce<unknown>((value, segment) => (value as Record<string, unknown> | null)?.[segment], entity);
}

interface SkipToken {
  offset: number;
  /** The result set the first page was cut from; null when the token predates it or it was dropped. */
  snapshot: string | null;
}

function encodeSkipToken(token: SkipToken): string {
  return Buffer.from(
    JSON.stringify(token.snapshot ? { o: token.offset, s: token.snapshot } : { o: token.offset }),
  ).toString("base64url");
}

function decodeSkipToken(token: string, family: ErrorFamily): SkipToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    const snapshot = typeof parsed.s === "string" && isGuid(parsed.s) ? parsed.s : null;
    if (Number.isInteger(parsed.o) && parsed.o >= 0) return { offset: parsed.o, snapshot };
  } catch {}
  throw new GraphHttpError(400, errorCodes[family].badRequest, "Invalid skip token.");
}

/**
 * Result sets of paged queries, kept so that page n+1 is cut from the set page 1 was computed from, instead of
 * filtering and ordering the whole collection again per page (which made paging a 100,000-row report quadratic).
 * Graph's own skip tokens are opaque cursors into a server-side result; this is that cursor. Bounded: the oldest set is
 * dropped first, and a token whose set was dropped (or a different query reusing it) recomputes, which still pages
 * correctly by offset.
 */
const MAX_RESULT_SETS = 8;
const resultSets = new Map<string, { signature: string; items: Array<Record<string, unknown>> }>();

function querySignature(options: CollectionOptions): string {
  const parts = [...options.query.entries()].filter(([key]) => key !== "$skiptoken").map(([k, v]) => `${k}=${v}`);
  const headers = isEventual(options.headers) ? "eventual" : "";
  return `${options.requestUrl}?${parts.sort().join("&")}|${headers}`;
}

function keepResultSet(signature: string, items: Array<Record<string, unknown>>): string {
  const id = randomUUID();
  resultSets.set(id, { signature, items });
  while (resultSets.size > MAX_RESULT_SETS) {
    const oldest = resultSets.keys().next().value as string;
    resultSets.delete(oldest);
  }
  return id;
}

/** Filters, orders, pages and projects a collection the way Graph does, refusing what the endpoint does not support. */
export function respondCollection(
  source: Array<Record<string, unknown>> | (() => Array<Record<string, unknown>>),
  options: CollectionOptions,
  typeName: string,
): Record<string, unknown> {
  const { query, family } = options;
  const skipTokenText = query.get("$skiptoken");
  const skipToken = skipTokenText === null ? null : decodeSkipToken(skipTokenText, family);
  const signature = querySignature(options);
  const kept = skipToken?.snapshot ? resultSets.get(skipToken.snapshot) : undefined;
  if (kept && kept.signature === signature && skipToken) {
    // Every option was validated when the first page was served; the same query only moves the cursor.
    return cutPage(kept.items, skipToken.offset, skipToken.snapshot, options, typeName, signature);
  }
  const all = typeof source === "function" ? source() : source;
  const codes = errorCodes[family];
  const allowed = ["$skiptoken", "$top", "$select"];
  if (options.filterable) allowed.push("$filter");
  if (options.orderable) allowed.push("$orderby");
  if (options.countable) allowed.push("$count");
  if (options.expandable) allowed.push("$expand");
  if (options.searchable) allowed.push("$search");
  rejectUnknownOptions(query, allowed, family);
  const eventual = isEventual(options.headers);
  const count = query.get("$count");
  if (count !== null) {
    if (count !== "true" && count !== "false") {
      throw new GraphHttpError(400, codes.badRequest, `Invalid value '${count}' for $count.`);
    }
    if (family === "directory" && count === "true" && !eventual) {
      throw new GraphHttpError(400, codes.badRequest, "$count is not currently supported.");
    }
  }
  let items = all;
  const filterText = query.get("$filter");
  if (filterText !== null) {
    let expression: FilterNode;
    try {
      expression = parseODataFilter(filterText);
    } catch (error) {
      if (error instanceof UnsupportedFilterError) throw new GraphHttpError(400, codes.unsupportedQuery, error.message);
      throw error;
    }
    const advancedReady = eventual && count === "true";
    if (options.filterNeedsAdvanced && !advancedReady) {
      throw new GraphHttpError(
        400,
        codes.unsupportedQuery,
        "Filter on this relationship requires the ConsistencyLevel header set to 'eventual' and $count=true.",
      );
    }
    for (const use of listFilterUses(expression)) {
      const advanced = options.advancedOperators?.includes(use.operator) ?? false;
      if (advanced && family === "directory") {
        if (!advancedReady) {
          throw new GraphHttpError(
            400,
            codes.unsupportedQuery,
            `Operator '${use.operator}' is not supported because the required parameters might be missing. Try adding $count with a value of true and ConsistencyLevel header with a value of eventual.`,
          );
        }
        if (use.operator === "not") continue;
      }
      const operators = options.filterable?.[use.path];
      if (!operators?.includes(use.operator)) {
        throw new GraphHttpError(
          400,
          codes.unsupportedQuery,
          use.path
            ? `Unsupported or invalid query filter clause specified for property '${use.path}' of resource '${typeName}'.`
            : `Unsupported query operator '${use.operator}'.`,
        );
      }
    }
    items = items.filter((item) => matchesODataFilter(expression, item));
  }
  const search = query.get("$search");
  if (search !== null) {
    if (!eventual) {
      throw new GraphHttpError(
        400,
        codes.badRequest,
        "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
      );
    }
    const match = /^"([A-Za-z]+):([^"]*)"$/.exec(search.trim());
    if (!match || !options.searchable?.includes(match[1] as string)) {
      throw new GraphHttpError(400, codes.badRequest, "Syntax error: the $search expression is not supported.");
    }
    const [, property, term] = match as unknown as [string, string, string];
    items = items.filter((item) =>
      String(item[property] ?? "")
        .toLowerCase()
        .split(/[\s.@_-]+/)
        .some((word) => word.startsWith(term.toLowerCase())),
    );
  }
  const orderText = query.get("$orderby");
  const order = orderText
    ? (() => {
        const [path, direction = "asc"] = orderText.trim().split(/\s+/) as [string, string?];
        if (!options.orderable?.includes(path) || !["asc", "desc"].includes(direction.toLowerCase())) {
          throw new GraphHttpError(400, codes.unsupportedQuery, `Sorting by '${orderText}' is not supported.`);
        }
        return { path, descending: direction.toLowerCase() === "desc" };
      })()
    : options.defaultOrder;
  if (order) {
    items = [...items].sort((a, b) => {
      const left = String(readPath(a, order.path) ?? "");
      const right = String(readPath(b, order.path) ?? "");
      const compared = left < right ? -1 : left > right ? 1 : 0;
      return order.descending ? -compared : compared;
    });
  }
  const select = parseSelect(query);
  validateSelect(select, all, options.knownProperties, family, typeName, options.version);
  const topText = query.get("$top");
  if (topText !== null) {
    const top = Number(topText);
    if (!Number.isInteger(top) || top < 1 || top > options.maxPageSize) {
      throw new GraphHttpError(
        400,
        codes.badRequest,
        `Invalid page size specified: '${topText}'. Must be between 1 and ${options.maxPageSize} inclusive.`,
      );
    }
  }
  const expandText = query.get("$expand");
  if (expandText !== null) {
    const name = expandText.split("(")[0]?.trim() ?? "";
    if (!options.expandable?.includes(name)) {
      throw new GraphHttpError(
        400,
        codes.badRequest,
        `Could not find a property named '${name}' on type '${typeName}'.`,
      );
    }
  }
  return cutPage(items, skipToken?.offset ?? 0, null, options, typeName, signature);
}

function cutPage(
  items: Array<Record<string, unknown>>,
  offset: number,
  resultSet: string | null,
  options: CollectionOptions,
  typeName: string,
  signature: string,
): Record<string, unknown> {
  const { query } = options;
  const pageSize = query.get("$top") === null ? options.defaultPageSize : Number(query.get("$top"));
  const select = parseSelect(query);
  const expandText = query.get("$expand");
  const page = items.slice(offset, offset + pageSize).map((item) => {
    const projected = project(item, select, options.defaultProperties, { typeName, version: options.version });
    return expandText && options.expand ? options.expand(projected, expandText) : projected;
  });
  const body: Record<string, unknown> = { "@odata.context": options.context };
  if (query.get("$count") === "true") body["@odata.count"] = items.length;
  if (offset + pageSize < items.length) {
    const snapshot = resultSet ?? keepResultSet(signature, items);
    const parts = [...query.entries()]
      .filter(([key]) => key !== "$skiptoken")
      .map(([key, value]) => `${key}=${encodeURIComponent(value)}`);
    parts.push(`$skiptoken=${encodeSkipToken({ offset: offset + pageSize, snapshot })}`);
    body["@odata.nextLink"] = `${options.requestUrl}?${parts.join("&")}`;
  }
  body.value = page;
  return body;
}
