import { describe, expect, it } from "vitest";
import { matchesODataFilter, parseODataFilter, UnsupportedFilterError } from "../../src/emulator/odata-filter.js";

const alice = {
  id: "0a11e3b0-0000-4000-8000-0000000000aa",
  userPrincipalName: "Alice@contosopractice.onmicrosoft.com",
  displayName: "Alice O'Brien",
  accountEnabled: true,
  userType: "Member",
  createdDateTime: "2026-11-22T09:30:00Z",
  employeeId: null,
  age: 41,
  onPremises: { sync: { enabled: false } },
  proxyAddresses: ["SMTP:alice@contoso.example", "smtp:a@contoso.example"],
  targetResources: [
    { id: "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f", type: "Policy" },
    { id: "11111111-2222-4333-8444-555555555555", type: "User" },
  ],
  methodsRegistered: ["passKeyDeviceBound", "microsoftAuthenticatorPush"],
};

function matches(filter: string, entity: object = alice): boolean {
  return matchesODataFilter(parseODataFilter(filter), entity);
}

describe("parseODataFilter and matchesODataFilter", () => {
  it.each([
    ["userPrincipalName eq 'alice@contosopractice.onmicrosoft.com'", true],
    ["userPrincipalName eq 'bob@contosopractice.onmicrosoft.com'", false],
    ["userPrincipalName ne 'bob@contosopractice.onmicrosoft.com'", true],
    ["displayName eq 'Alice O''Brien'", true],
    ["accountEnabled eq true", true],
    ["accountEnabled eq false", false],
    ["employeeId eq null", true],
    ["missingProperty eq null", true],
    ["displayName ne null", true],
    ["age gt 40", true],
    ["age ge 41", true],
    ["age lt 41", false],
    ["age le 41.5", true],
    ["age eq -41", false],
  ])("compares scalar properties: %s → %s", (filter, expected) => {
    expect(matches(filter)).toBe(expected);
  });

  it("compares strings case-insensitively, as the Graph directory does", () => {
    expect(matches("USERPRINCIPALNAME EQ 'ALICE@CONTOSOPRACTICE.ONMICROSOFT.COM'")).toBe(true);
    expect(matches("displayName gt 'alice'")).toBe(true);
    expect(matches("displayName lt 'B'")).toBe(true);
  });

  it("compares unquoted DateTimeOffset literals with ISO date strings by instant", () => {
    expect(matches("createdDateTime ge 2026-11-22T09:00:00Z")).toBe(true);
    expect(matches("createdDateTime ge 2026-11-22T10:00:00Z")).toBe(false);
    expect(matches("createdDateTime le 2026-11-22T11:30:00+02:00")).toBe(true);
    expect(matches("createdDateTime lt 2026-11-22T09:30:00.001Z")).toBe(true);
    expect(matches("createdDateTime eq 2026-11-22T09:30:00Z")).toBe(true);
  });

  it("accepts GUIDs quoted and unquoted, case-insensitively", () => {
    expect(matches("id eq '0A11E3B0-0000-4000-8000-0000000000AA'")).toBe(true);
    expect(matches("id eq 0a11e3b0-0000-4000-8000-0000000000aa")).toBe(true);
    expect(matches("id eq deadbeef-0000-4000-8000-0000000000aa")).toBe(false);
  });

  it("follows property paths a/b/c", () => {
    expect(matches("onPremises/sync/enabled eq false")).toBe(true);
    expect(matches("onPremises/missing/enabled eq null")).toBe(true);
  });

  it("combines with and, or, not and parentheses with not > and > or precedence", () => {
    expect(matches("accountEnabled eq true and age gt 50")).toBe(false);
    expect(matches("accountEnabled eq true or age gt 50")).toBe(true);
    expect(matches("age gt 50 and age gt 60 or accountEnabled eq true")).toBe(true);
    expect(matches("age gt 50 and (age gt 60 or accountEnabled eq true)")).toBe(false);
    expect(matches("not (age gt 50)")).toBe(true);
    expect(matches("not age gt 30 and accountEnabled eq true")).toBe(false);
    expect(matches("NOT(accountEnabled eq false)")).toBe(true);
  });

  it("evaluates startswith and endswith case-insensitively and false on non-strings", () => {
    expect(matches("startswith(userPrincipalName,'ALICE@')")).toBe(true);
    expect(matches("startsWith(userPrincipalName, 'bob')")).toBe(false);
    expect(matches("endswith(userPrincipalName,'@ContosoPractice.onmicrosoft.com')")).toBe(true);
    expect(matches("startswith(age,'4')")).toBe(false);
    expect(matches("startswith(displayName,'Alice O''')")).toBe(true);
  });

  it("evaluates in (…) against every listed literal", () => {
    expect(matches("userType in ('Guest', 'member')")).toBe(true);
    expect(matches("userType in ('Guest')")).toBe(false);
    expect(matches("id in ('0a11e3b0-0000-4000-8000-0000000000aa', 'x')")).toBe(true);
  });

  it("evaluates any/all lambdas over scalar and object collections", () => {
    expect(matches("proxyAddresses/any(x:x eq 'smtp:alice@contoso.example')")).toBe(true);
    expect(matches("proxyAddresses/any(x:startswith(x,'smtp:a@'))")).toBe(true);
    expect(matches("methodsRegistered/any(m:m eq 'passKeySynced')")).toBe(false);
    expect(matches("targetResources/any(t:t/id eq '11111111-2222-4333-8444-555555555555')")).toBe(true);
    expect(matches("targetResources/any(t: t/id eq '5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f' and t/type eq 'user')")).toBe(
      false,
    );
    expect(matches("targetResources/all(t:t/id ne null)")).toBe(true);
    expect(matches("missing/any(t:t eq 'a')")).toBe(false);
    expect(matches("not methodsRegistered/any(m:m eq 'passKeySynced') and accountEnabled eq true")).toBe(true);
  });

  it("keeps the lambda variable bound only inside its lambda and reads the entity outside it", () => {
    const entity = { x: "outer", items: ["inner"] };
    expect(matches("items/any(x:x eq 'inner') and x eq 'outer'", entity)).toBe(true);
  });

  it.each([
    "x' or 1 eq 1",
    "' or ''='",
    "'; DROP TABLE users; --",
    "a%27b",
    "100% #EXT# / & ? + =",
    "external-guest_fabrikam.example#EXT#@contosopractice.onmicrosoft.com",
    ") or (1 eq 1",
    "eq",
    "",
  ])("treats the injection-looking value %j as one literal", (value) => {
    const literal = `'${value.replaceAll("'", "''")}'`;
    const node = parseODataFilter(`displayName eq ${literal}`);
    expect(node).toEqual({
      kind: "comparison",
      operator: "eq",
      left: { kind: "property", path: ["displayName"] },
      right: { kind: "literal", value },
    });
    expect(matchesODataFilter(node, { displayName: value })).toBe(true);
    expect(matchesODataFilter(node, { displayName: "someone else" })).toBe(false);
  });

  it("does not let an unescaped quote smuggle in an extra clause", () => {
    expect(() => parseODataFilter("displayName eq 'x' or 1 eq 1'")).toThrow(UnsupportedFilterError);
  });

  it.each([
    "",
    "   ",
    "displayName",
    "displayName eq",
    "displayName eq 'unterminated",
    "displayName like 'a%'",
    "contains(displayName,'a')",
    "tolower(displayName) eq 'a'",
    "startswith(displayName, 3)",
    "startswith('a', displayName)",
    "(displayName eq 'a'",
    "displayName eq 'a')",
    "displayName eq 'a' and",
    "userType in (displayName)",
    "items/count(x:x eq 1)",
    "items/any(eq:eq eq 1)",
    "displayName eq 'a' ; drop",
    'displayName eq "double"',
    "$search eq 'a' eq 'b'",
  ])("rejects %j with a Graph-like UnsupportedFilterError", (filter) => {
    expect(() => parseODataFilter(filter)).toThrow(UnsupportedFilterError);
    try {
      parseODataFilter(filter);
    } catch (error) {
      expect((error as UnsupportedFilterError).code).toBe("Request_UnsupportedQuery");
      expect((error as Error).message).toMatch(/^Invalid filter clause: /);
    }
  });
});
