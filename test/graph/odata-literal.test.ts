import { describe, expect, it } from "vitest";
import { parseODataFilter } from "../../src/emulator/odata-filter.js";
import {
  InvalidGraphIdentifierError,
  odataDateTime,
  odataGuidLiteral,
  odataLiteral,
  queryString,
  requireGuid,
  userPathSegment,
} from "../../src/graph/odata-literal.js";

describe("odataLiteral", () => {
  it.each([
    ["O'Brien", "'O''Brien'"],
    ["x' or 1 eq 1", "'x'' or 1 eq 1'"],
    ["'; DROP TABLE users; --", "'''; DROP TABLE users; --'"],
    ["''", "''''''"],
    ["100%", "'100%'"],
  ])("doubles single quotes in %j", (value, expected) => {
    expect(odataLiteral(value)).toBe(expected);
  });

  it.each(["x' or 1 eq 1", "'; DROP", "a'b'c", "%", "#EXT#", "/", "&", "') or startswith(id,'"])(
    "keeps %j as one literal that a filter parser reads back unchanged",
    (value) => {
      const node = parseODataFilter(`displayName eq ${odataLiteral(value)}`);
      expect(node).toMatchObject({ kind: "comparison", right: { kind: "literal", value } });
    },
  );
});

describe("GUID validation", () => {
  it("accepts GUIDs and lower-cases them", () => {
    expect(requireGuid("0A11E3B0-0000-4000-8000-000000000001")).toBe("0a11e3b0-0000-4000-8000-000000000001");
    expect(odataGuidLiteral("0a11e3b0-0000-4000-8000-000000000001")).toBe("'0a11e3b0-0000-4000-8000-000000000001'");
  });

  it.each(["", "not-a-guid", "0a11e3b0-0000-4000-8000-000000000001' or 1 eq 1", "0a11e3b0000040008000000000000001"])(
    "refuses %j before it reaches a filter",
    (value) => {
      expect(() => odataGuidLiteral(value, "principal id")).toThrow(InvalidGraphIdentifierError);
      expect(() => odataGuidLiteral(value, "principal id")).toThrow("principal id must be a GUID");
    },
  );
});

describe("userPathSegment", () => {
  it("encodes an external guest UPN so #EXT# stays in the path", () => {
    expect(userPathSegment("external-guest_fabrikam.example#EXT#@contosopractice.onmicrosoft.com")).toBe(
      "external-guest_fabrikam.example%23EXT%23%40contosopractice.onmicrosoft.com",
    );
  });

  it("encodes quotes, percent, slash and ampersand", () => {
    expect(userPathSegment("o'neil%/&x@contoso.example")).toBe("o%27neil%25%2F%26x%40contoso.example");
  });

  it.each(["", "no at sign", "two@@signs", "a b@contoso.example", "../../admin"])("refuses %j as a user", (value) => {
    expect(() => userPathSegment(value)).toThrow(InvalidGraphIdentifierError);
  });
});

describe("queryString", () => {
  it("percent-encodes each value once and drops undefined options", () => {
    expect(
      queryString({ $select: "id,displayName", $filter: "displayName eq 'a&b=c#d'", $top: 5, $count: undefined }),
    ).toBe("?$select=id%2CdisplayName&$filter=displayName%20eq%20%27a%26b%3Dc%23d%27&$top=5");
  });

  it("is empty without options", () => {
    expect(queryString({})).toBe("");
  });
});

describe("odataDateTime", () => {
  it("normalizes an ISO instant to UTC", () => {
    expect(odataDateTime("2026-11-22T12:00:00+02:00")).toBe("2026-11-22T10:00:00.000Z");
  });

  it.each(["yesterday", "2026-11-22", "2026-11-22T10:00:00Z or 1 eq 1"])("refuses %j", (value) => {
    expect(() => odataDateTime(value)).toThrow(InvalidGraphIdentifierError);
  });
});
