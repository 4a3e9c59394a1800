import { describe, expect, it } from "vitest";
import { evaluateFreshMfa } from "../../../../src/capabilities/triage/engine/evaluate-fresh-mfa.js";
import {
  buildInput,
  EMAIL,
  failed,
  type InputOverrides,
  ok,
  PASSWORD,
  READ_PROBLEMS,
  signIn,
  TAP_GROUP,
  tap,
  tapPolicy,
  tapSignIn,
} from "./triage-fixtures.js";

const NO_MFA = ok([PASSWORD, EMAIL]);

const TABLE: Array<[string, InputOverrides, string, string, boolean]> = [
  ["an MFA sign-in 2 minutes ago is fresh", {}, "pass", "freshMfa.summary.fresh", false],
  ["an MFA sign-in 30 minutes ago is stale", { signIns: ok([signIn(30)]) }, "warn", "freshMfa.summary.stale", false],
  [
    "single-factor sign-ins do not count as MFA",
    { signIns: ok([signIn(1, { authenticationRequirement: "singleFactorAuthentication" })]) },
    "warn",
    "freshMfa.summary.noRecentMfa",
    false,
  ],
  [
    "failed sign-ins do not count",
    { signIns: ok([signIn(1, { status: { errorCode: 50074 } })]) },
    "warn",
    "freshMfa.summary.noRecentMfa",
    false,
  ],
  ["password and e-mail only means no MFA method", { methods: NO_MFA }, "fail", "freshMfa.summary.noMfaMethod", true],
  [
    "a usable one-time TAP for a targeted user bootstraps",
    { methods: ok([PASSWORD, tap()]) },
    "pass",
    "freshMfa.summary.tapReadyOneTime",
    false,
  ],
  [
    "a usable multi-use TAP bootstraps where the TAP policy allows multi-use passes",
    { methods: ok([PASSWORD, tap({ isUsableOnce: false })]), tapPolicy: ok(tapPolicy({ isUsableOnce: false })) },
    "pass",
    "freshMfa.summary.tapReady",
    false,
  ],
  [
    "a multi-use TAP is refused at sign-in while the TAP policy demands one-time passes",
    { methods: ok([PASSWORD, tap({ isUsableOnce: false })]) },
    "fail",
    "freshMfa.summary.tapMultiUseRefused",
    true,
  ],
  [
    "a TAP the policy does not target will be blocked",
    {
      methods: ok([PASSWORD, tap()]),
      tapPolicy: ok(tapPolicy({ includeTargets: [{ id: TAP_GROUP, targetType: "group" }] })),
    },
    "fail",
    "freshMfa.summary.tapNotTargeted",
    true,
  ],
  [
    "a TAP under a disabled TAP policy will be blocked",
    { methods: ok([PASSWORD, tap()]), tapPolicy: ok(tapPolicy({ state: "disabled" })) },
    "fail",
    "freshMfa.summary.tapNotTargeted",
    true,
  ],
  [
    "a used one-time TAP leaves the rest of its 10-minute window",
    {
      methods: ok([PASSWORD, tap({ isUsable: false, methodUsabilityReason: "OneTimeUsed" })]),
      signIns: ok([tapSignIn(4)]),
    },
    "warn",
    "freshMfa.summary.tapWindowOpen",
    false,
  ],
  [
    "a used one-time TAP whose window closed needs a new one",
    {
      methods: ok([PASSWORD, tap({ isUsable: false, methodUsabilityReason: "OneTimeUsed" })]),
      signIns: ok([tapSignIn(30)]),
    },
    "fail",
    "freshMfa.summary.tapUsed",
    true,
  ],
  [
    "a used one-time TAP with unreadable sign-ins is unknown",
    {
      methods: ok([PASSWORD, tap({ isUsable: false, methodUsabilityReason: "OneTimeUsed" })]),
      signIns: failed({ kind: "throttled", retryAfterSeconds: 8 }),
    },
    "unknown",
    "freshMfa.summary.tapUsedWindowUnknown",
    false,
  ],
  [
    "an expired TAP needs a new one",
    { methods: ok([PASSWORD, tap({ isUsable: false, methodUsabilityReason: "Expired" })]) },
    "fail",
    "freshMfa.summary.tapExpired",
    true,
  ],
  [
    "a TAP that starts later is a warning with its start time",
    { methods: ok([PASSWORD, tap({ isUsable: false, methodUsabilityReason: "NotYetValid" })]) },
    "warn",
    "freshMfa.summary.tapNotYetValid",
    false,
  ],
  [
    "a TAP disabled by policy is a policy fix, and the person still holds no usable TAP",
    { methods: ok([PASSWORD, tap({ isUsable: false, methodUsabilityReason: "DisabledByPolicy" })]) },
    "fail",
    "freshMfa.summary.tapDisabledByPolicy",
    true,
  ],
  [
    "a usable TAP with an unreadable TAP policy is unknown",
    { methods: ok([PASSWORD, tap()]), tapPolicy: failed({ kind: "accessDenied", missingPermission: null }) },
    "unknown",
    "freshMfa.summary.tapTargetingUnknown",
    false,
  ],
];

describe("evaluateFreshMfa", () => {
  it.each(TABLE)("%s", (_name, overrides, verdict, summary, needsTap) => {
    const result = evaluateFreshMfa(buildInput(overrides));
    expect(result.verdict).toBe(verdict);
    expect(result.summary.key).toBe(summary);
    expect(result.needsTemporaryAccessPass).toBe(needsTap);
  });

  it("sends a person with no MFA method to the agent TAP path and says never by e-mail", () => {
    const result = evaluateFreshMfa(buildInput({ methods: NO_MFA }));
    expect(result.userFix.map((f) => f.key)).toEqual(["freshMfa.userFix.askForTap"]);
    expect(result.adminFix.map((f) => f.key)).toEqual([
      "freshMfa.adminFix.issueTap",
      "freshMfa.adminFix.conditionalAccessLoop",
    ]);
  });

  it("adds the TAP policy fix when the TAP policy would not let the person sign in", () => {
    const result = evaluateFreshMfa(
      buildInput({
        methods: NO_MFA,
        tapPolicy: ok(tapPolicy({ includeTargets: [{ id: TAP_GROUP, targetType: "group" }] })),
      }),
    );
    expect(result.adminFix.map((f) => f.key)).toContain("freshMfa.adminFix.targetTapPolicy");
  });

  it("shows the TAP's state, one-time flag and expiry as evidence", () => {
    const result = evaluateFreshMfa(buildInput({ methods: ok([PASSWORD, tap()]) }));
    const byLabel = Object.fromEntries(result.evidence.map((e) => [e.label.key, e.value]));
    expect(byLabel["evidence.tapState"]).toBe("EnabledByPolicy");
    expect(byLabel["evidence.tapOneTime"]).toBe("true");
    expect(byLabel["evidence.tapExpires"]).toBe("2026-11-22T11:30:00.000Z");
  });

  it("states how many minutes of the one-time TAP window are left", () => {
    const result = evaluateFreshMfa(
      buildInput({
        methods: ok([PASSWORD, tap({ isUsable: false, methodUsabilityReason: "OneTimeUsed" })]),
        signIns: ok([tapSignIn(4)]),
      }),
    );
    expect(result.summary.params).toEqual({ minutes: 6 });
  });

  it.each(READ_PROBLEMS)("is unknown, naming why, when methods cannot be read (%s)", (_n, problem, kind) => {
    const result = evaluateFreshMfa(buildInput({ methods: failed(problem) }));
    expect(result.verdict).toBe("unknown");
    expect(result.missing?.key).toBe(`missing.methods.${kind}`);
    expect(result.needsTemporaryAccessPass).toBe(false);
  });

  it.each(READ_PROBLEMS)("is unknown about freshness when sign-ins cannot be read (%s)", (_n, problem, kind) => {
    const result = evaluateFreshMfa(buildInput({ signIns: failed(problem) }));
    expect(result.verdict).toBe("unknown");
    expect(result.missing?.key).toBe(`missing.signIns.${kind}`);
    expect(result.evidence[0]?.value).toBe("Microsoft Authenticator");
  });

  it("is unknown about TAP targeting when group membership is needed and unreadable", () => {
    const result = evaluateFreshMfa(
      buildInput({
        methods: ok([PASSWORD, tap()]),
        tapPolicy: ok(tapPolicy({ includeTargets: [{ id: TAP_GROUP, targetType: "group" }] })),
        memberOf: failed({ kind: "unavailable", detail: "timeout" }),
      }),
    );
    expect(result.verdict).toBe("unknown");
    expect(result.missing?.key).toBe("missing.groupMembership.unavailable");
  });
});
