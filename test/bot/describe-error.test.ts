import { describe, expect, it } from "vitest";
import { describeError } from "../../src/bot/error-boundary.js";
import { AccessDeniedError, GraphUnavailableError, ThrottledError } from "../../src/graph/graph-errors.js";
import { translate } from "../../src/locales/translate.js";

const PERMISSION = "UserAuthenticationMethod.Read.All";

/** What a person reads for each Graph failure, in every language: the same reading as problemOf gives. */
describe.each(["en", "cs"])("describeError (%s)", (locale) => {
  it.each([
    {
      failure: "403 naming the permission",
      error: new AccessDeniedError("Forbidden", 403, "Authorization_RequestDenied", "r1", PERMISSION),
      expected: translate(locale, "common.errorAccessDenied", { permission: PERMISSION }),
    },
    {
      failure: "401, the app's credentials rejected",
      error: new AccessDeniedError("Unauthorized", 401, "InvalidAuthenticationToken", "r2", null),
      expected: translate(locale, "common.errorGraphUnavailable"),
    },
    {
      failure: "503",
      error: new GraphUnavailableError("Service unavailable", 503, null, "r3"),
      expected: translate(locale, "common.errorGraphUnavailable"),
    },
    {
      failure: "429 after retries",
      error: new ThrottledError("Too many requests", 429, null, "r4", 7.2),
      expected: translate(locale, "common.errorThrottled", { seconds: 8 }),
    },
  ])("a $failure reads as its own sentence", ({ error, expected }) => {
    expect(describeError(error, locale)).toBe(expected);
  });

  it("never tells a person to grant a permission when the credentials were rejected", () => {
    const text = describeError(new AccessDeniedError("Unauthorized", 401, null, null, null), locale);
    expect(text).not.toContain("?");
  });
});
