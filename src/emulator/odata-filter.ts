import { GUID_SOURCE } from "../text/is-guid.js";

/**
 * The subset of OData `$filter` that Microsoft Graph accepts on the endpoints the bot calls:
 * comparisons (eq ne gt ge lt le), and/or/not, parentheses, startswith/endswith, `in (...)`,
 * lambdas `coll/any(x:…)` and `coll/all(x:…)`, property paths `a/b/c`, and literals (strings with ''
 * escaping, GUIDs, numbers, true/false/null, unquoted DateTimeOffset).
 * Anything else is rejected the way Graph rejects it: a 400 with `Request_UnsupportedQuery`.
 */

export type ComparisonOperator = "eq" | "ne" | "gt" | "ge" | "lt" | "le";

export type Literal = string | number | boolean | null | Date;

export type FilterOperand = { kind: "property"; path: string[] } | { kind: "literal"; value: Literal };

export type FilterNode =
  | { kind: "comparison"; operator: ComparisonOperator; left: FilterOperand; right: FilterOperand }
  | { kind: "and" | "or"; left: FilterNode; right: FilterNode }
  | { kind: "not"; operand: FilterNode }
  | { kind: "in"; path: string[]; values: Literal[] }
  | { kind: "startswith" | "endswith"; path: string[]; value: string }
  | { kind: "lambda"; quantifier: "any" | "all"; path: string[]; variable: string; predicate: FilterNode };

/** Graph answers these with 400 `Request_UnsupportedQuery` (directory) or `BadRequest`. */
export class UnsupportedFilterError extends Error {
  readonly code = "Request_UnsupportedQuery";
  constructor(detail: string) {
    super(`Invalid filter clause: ${detail}`);
    this.name = "UnsupportedFilterError";
  }
}

type Token =
  | { type: "string"; value: string; at: number }
  | { type: "number"; value: number; at: number }
  | { type: "guid"; value: string; at: number }
  | { type: "date"; value: Date; at: number }
  | { type: "word"; value: string; at: number }
  | { type: "punct"; value: "(" | ")" | "," | ":" | "/"; at: number };

/** A GUID token: the shared GUID text, not followed by more of a word. */
const guidPattern = new RegExp(`^${GUID_SOURCE}(?![\\w-])`);
const datePattern = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2}))?(?![\w:])/;
const numberPattern = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.])/;
const wordPattern = /^[A-Za-z_@$][\w.@$]*/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "'") {
      let value = "";
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new UnsupportedFilterError(`unterminated string literal at position ${i}`);
        const c = text.charAt(j);
        if (c === "'") {
          if (text.charAt(j + 1) === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += c;
        j++;
      }
      tokens.push({ type: "string", value, at: i });
      i = j + 1;
      continue;
    }
    if (ch === "(" || ch === ")" || ch === "," || ch === ":" || ch === "/") {
      tokens.push({ type: "punct", value: ch, at: i });
      i++;
      continue;
    }
    const rest = text.slice(i);
    const guid = guidPattern.exec(rest);
    if (guid) {
      tokens.push({ type: "guid", value: guid[0], at: i });
      i += guid[0].length;
      continue;
    }
    const date = datePattern.exec(rest);
    if (date) {
      const value = new Date(date[0]);
      if (Number.isNaN(value.getTime())) throw new UnsupportedFilterError(`invalid DateTimeOffset '${date[0]}'`);
      tokens.push({ type: "date", value, at: i });
      i += date[0].length;
      continue;
    }
    const number = numberPattern.exec(rest);
    if (number) {
      tokens.push({ type: "number", value: Number(number[0]), at: i });
      i += number[0].length;
      continue;
    }
    const word = wordPattern.exec(rest);
    if (word) {
      tokens.push({ type: "word", value: word[0], at: i });
      i += word[0].length;
      continue;
    }
    throw new UnsupportedFilterError(`unexpected character '${ch}' at position ${i}`);
  }
  return tokens;
}

const comparisonOperators = new Set<string>(["eq", "ne", "gt", "ge", "lt", "le"]);
const reservedWords = new Set<string>([...comparisonOperators, "and", "or", "not", "in", "true", "false", "null"]);

class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): FilterNode {
    if (this.tokens.length === 0) throw new UnsupportedFilterError("the filter is empty");
    const node = this.parseOr();
    const extra = this.peek();
    if (extra) throw new UnsupportedFilterError(`unexpected '${describe(extra)}' at position ${extra.at}`);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private next(): Token {
    const token = this.tokens[this.position];
    if (!token) throw new UnsupportedFilterError("the filter ends too early");
    this.position++;
    return token;
  }

  private isWord(value: string): boolean {
    const token = this.peek();
    return token?.type === "word" && token.value.toLowerCase() === value;
  }

  private isPunct(value: string): boolean {
    const token = this.peek();
    return token?.type === "punct" && token.value === value;
  }

  private expectPunct(value: string): void {
    const token = this.next();
    if (token.type !== "punct" || token.value !== value) {
      throw new UnsupportedFilterError(`expected '${value}' but found '${describe(token)}' at position ${token.at}`);
    }
  }

  private parseOr(): FilterNode {
    let left = this.parseAnd();
    while (this.isWord("or")) {
      this.position++;
      left = { kind: "or", left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    while (this.isWord("and")) {
      this.position++;
      left = { kind: "and", left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): FilterNode {
    if (this.isWord("not")) {
      this.position++;
      return { kind: "not", operand: this.parseUnary() };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): FilterNode {
    if (this.isPunct("(")) {
      this.position++;
      const inner = this.parseOr();
      this.expectPunct(")");
      return inner;
    }
    const token = this.peek();
    if (token?.type === "word") {
      const name = token.value.toLowerCase();
      if ((name === "startswith" || name === "endswith") && this.tokens[this.position + 1]?.type === "punct") {
        return this.parseStringFunction(name);
      }
    }
    const left = this.parseOperand();
    if (left.kind === "property") {
      if (this.isPunct("/")) return this.parseLambda(left.path);
      if (this.isWord("in")) return this.parseIn(left.path);
    }
    const operatorToken = this.next();
    const operator = operatorToken.type === "word" ? operatorToken.value.toLowerCase() : "";
    if (!comparisonOperators.has(operator)) {
      throw new UnsupportedFilterError(
        `expected a comparison operator but found '${describe(operatorToken)}' at position ${operatorToken.at}`,
      );
    }
    const right = this.parseOperand();
    return { kind: "comparison", operator: operator as ComparisonOperator, left, right };
  }

  private parseStringFunction(name: "startswith" | "endswith"): FilterNode {
    this.position++;
    this.expectPunct("(");
    const target = this.parseOperand();
    if (target.kind !== "property") throw new UnsupportedFilterError(`${name} needs a property as first argument`);
    this.expectPunct(",");
    const value = this.next();
    if (value.type !== "string") throw new UnsupportedFilterError(`${name} needs a string literal as second argument`);
    this.expectPunct(")");
    return { kind: name, path: target.path, value: value.value };
  }

  private parseIn(path: string[]): FilterNode {
    this.position++;
    this.expectPunct("(");
    const values: Literal[] = [];
    for (;;) {
      const operand = this.parseOperand();
      if (operand.kind !== "literal") throw new UnsupportedFilterError("'in' accepts only literal values");
      values.push(operand.value);
      if (this.isPunct(",")) {
        this.position++;
        continue;
      }
      break;
    }
    this.expectPunct(")");
    return { kind: "in", path, values };
  }

  private parseLambda(path: string[]): FilterNode {
    this.expectPunct("/");
    const quantifierToken = this.next();
    const quantifier = quantifierToken.type === "word" ? quantifierToken.value.toLowerCase() : "";
    if (quantifier !== "any" && quantifier !== "all") {
      throw new UnsupportedFilterError(`expected 'any' or 'all' after '${path.join("/")}/'`);
    }
    this.expectPunct("(");
    const variableToken = this.next();
    if (variableToken.type !== "word" || reservedWords.has(variableToken.value.toLowerCase())) {
      throw new UnsupportedFilterError(`expected a lambda variable at position ${variableToken.at}`);
    }
    this.expectPunct(":");
    const predicate = this.parseOr();
    this.expectPunct(")");
    return { kind: "lambda", quantifier, path, variable: variableToken.value, predicate };
  }

  private parseOperand(): FilterOperand {
    const token = this.next();
    switch (token.type) {
      case "string":
      case "guid":
      case "number":
      case "date":
        return { kind: "literal", value: token.value };
      case "punct":
        throw new UnsupportedFilterError(`unexpected '${token.value}' at position ${token.at}`);
      case "word": {
        const lower = token.value.toLowerCase();
        if (lower === "true") return { kind: "literal", value: true };
        if (lower === "false") return { kind: "literal", value: false };
        if (lower === "null") return { kind: "literal", value: null };
        if (reservedWords.has(lower)) {
          throw new UnsupportedFilterError(`unexpected '${token.value}' at position ${token.at}`);
        }
        if (this.isPunct("(")) throw new UnsupportedFilterError(`function '${token.value}' is not supported`);
        const path = [token.value];
        // A '/' followed by any( or all( starts a lambda, which the caller handles.
        while (this.isPunct("/") && !this.isLambdaAhead()) {
          this.position++;
          const segment = this.next();
          if (segment.type !== "word") {
            throw new UnsupportedFilterError(`expected a property name at position ${segment.at}`);
          }
          path.push(segment.value);
        }
        return { kind: "property", path };
      }
    }
  }

  private isLambdaAhead(): boolean {
    const name = this.tokens[this.position + 1];
    const paren = this.tokens[this.position + 2];
    return (
      name?.type === "word" &&
      ["any", "all"].includes(name.value.toLowerCase()) &&
      paren?.type === "punct" &&
      paren.value === "("
    );
  }
}

function describe(token: Token): string {
  return token.type === "date" ? token.value.toISOString() : String(token.value);
}

export function parseODataFilter(text: string): FilterNode {
  return new Parser(tokenize(text)).parse();
}

type Scope = ReadonlyMap<string, unknown>;

function resolve(path: string[], entity: unknown, scope: Scope): unknown {
  const [first, ...rest] = path;
  let current: unknown = first !== undefined && scope.has(first) ? scope.get(first) : readProperty(entity, first);
  for (const segment of rest) current = readProperty(current, segment);
  return current;
}

function readProperty(value: unknown, name: string | undefined): unknown {
  if (name === undefined || value === null || typeof value !== "object") return undefined;
  const record = value as Record<string, unknown>;
  if (name in record) return record[name];
  // Graph property names are case-insensitive in $filter.
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : record[key];
}

function operandValue(operand: FilterOperand, entity: unknown, scope: Scope): unknown {
  return operand.kind === "literal" ? operand.value : resolve(operand.path, entity, scope);
}

const isoDateLike = /^\d{4}-\d{2}-\d{2}(T|$)/;

/** Orders two values the way Graph does: strings case-insensitively, dates by instant; undefined when incomparable. */
function compare(left: unknown, right: unknown): number | undefined {
  if (left instanceof Date || right instanceof Date) {
    const a = toTime(left);
    const b = toTime(right);
    return a === undefined || b === undefined ? undefined : Math.sign(a - b);
  }
  if (typeof left === "string" && typeof right === "string") {
    const a = left.toLowerCase();
    const b = right.toLowerCase();
    return a === b ? 0 : a < b ? -1 : 1;
  }
  if (typeof left === "number" && typeof right === "number") return Math.sign(left - right);
  if (typeof left === "boolean" && typeof right === "boolean") return left === right ? 0 : left ? 1 : -1;
  return undefined;
}

function toTime(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === "string" && isoDateLike.test(value)) {
    const time = Date.parse(value);
    return Number.isNaN(time) ? undefined : time;
  }
  return undefined;
}

function isNullish(value: unknown): boolean {
  return value === null || value === undefined;
}

function equals(left: unknown, right: unknown): boolean {
  if (isNullish(left) || isNullish(right)) return isNullish(left) && isNullish(right);
  return compare(left, right) === 0;
}

function evaluate(node: FilterNode, entity: unknown, scope: Scope): boolean {
  switch (node.kind) {
    case "and":
      return evaluate(node.left, entity, scope) && evaluate(node.right, entity, scope);
    case "or":
      return evaluate(node.left, entity, scope) || evaluate(node.right, entity, scope);
    case "not":
      return !evaluate(node.operand, entity, scope);
    case "in": {
      const value = resolve(node.path, entity, scope);
      return node.values.some((candidate) => equals(value, candidate));
    }
    case "startswith":
    case "endswith": {
      const value = resolve(node.path, entity, scope);
      if (typeof value !== "string") return false;
      const a = value.toLowerCase();
      const b = node.value.toLowerCase();
      return node.kind === "startswith" ? a.startsWith(b) : a.endsWith(b);
    }
    case "lambda": {
      const collection = resolve(node.path, entity, scope);
      const items = Array.isArray(collection) ? collection : [];
      const test = (item: unknown) => evaluate(node.predicate, entity, new Map(scope).set(node.variable, item));
      return node.quantifier === "any" ? items.some(test) : items.every(test);
    }
    case "comparison": {
      const left = operandValue(node.left, entity, scope);
      const right = operandValue(node.right, entity, scope);
      if (node.operator === "eq") return equals(left, right);
      if (node.operator === "ne") return !equals(left, right);
      const order = compare(left, right);
      if (order === undefined) return false;
      switch (node.operator) {
        case "gt":
          return order > 0;
        case "ge":
          return order >= 0;
        case "lt":
          return order < 0;
        case "le":
          return order <= 0;
      }
    }
  }
}

export function matchesODataFilter(node: FilterNode, entity: object): boolean {
  return evaluate(node, entity, new Map());
}
