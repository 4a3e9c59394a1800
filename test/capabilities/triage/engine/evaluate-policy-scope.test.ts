import { describe, expect, it } from "vitest";
import { evaluatePolicyScope } from "../../../../src/capabilities/triage/engine/evaluate-policy-scope.js";
import {
  buildInput,
  DEFAULT_PROFILE_ID,
  EXCLUDED_GROUP,
  failed,
  fido2Policy,
  type InputOverrides,
  ok,
  PILOT_GROUP,
  policyChange,
  profile,
  READ_PROBLEMS,
  USER_ID,
  WINDOWS_PROFILE_ID,
} from "./triage-fixtures.js";

const TABLE: Array<[string, InputOverrides, string, string]> = [
  ["a member of a targeted group is in scope", {}, "pass", "policyScope.summary.inScope"],
  [
    "a disabled method blocks everyone",
    { fido2: ok(fido2Policy({ state: "disabled" })) },
    "fail",
    "policyScope.summary.disabled",
  ],
  ["a guest cannot register", { userType: "Guest" }, "fail", "policyScope.summary.guest"],
  [
    "an exclusion wins over an include target",
    {
      fido2: ok(fido2Policy({ excludeTargets: [{ id: EXCLUDED_GROUP, targetType: "group" }] })),
      memberOf: ok([PILOT_GROUP, EXCLUDED_GROUP]),
    },
    "fail",
    "policyScope.summary.excluded",
  ],
  [
    "group ids match whatever their case",
    { memberOf: ok([PILOT_GROUP.toUpperCase()]) },
    "pass",
    "policyScope.summary.inScope",
  ],
  ["a user in no targeted group is not included", { memberOf: ok([]) }, "fail", "policyScope.summary.notIncluded"],
  [
    "an all_users target needs no group membership read",
    {
      fido2: ok(
        fido2Policy({
          includeTargets: [{ id: "all_users", targetType: "group", allowedPasskeyProfiles: [DEFAULT_PROFILE_ID] }],
        }),
      ),
      memberOf: failed({ kind: "accessDenied", missingPermission: "GroupMember.Read.All" }),
    },
    "pass",
    "policyScope.summary.inScope",
  ],
  [
    "a user target matches by id",
    {
      fido2: ok(fido2Policy({ includeTargets: [{ id: USER_ID, targetType: "user", allowedPasskeyProfiles: [] }] })),
      memberOf: ok([]),
    },
    "pass",
    "policyScope.summary.inScope",
  ],
  [
    "self-service set up off blocks adding in Security info",
    { fido2: ok(fido2Policy({ isSelfServiceRegistrationAllowed: false })) },
    "fail",
    "policyScope.summary.selfServiceOff",
  ],
  [
    "a target naming only a deleted profile leaves no profile",
    {
      fido2: ok(
        fido2Policy({
          includeTargets: [{ id: PILOT_GROUP, targetType: "group", allowedPasskeyProfiles: ["deleted-profile"] }],
        }),
      ),
    },
    "fail",
    "policyScope.summary.noProfile",
  ],
  [
    "a policy change 20 minutes ago may not have applied",
    { recentPolicyChanges: ok([policyChange(20)]) },
    "warn",
    "policyScope.summary.recentChange",
  ],
  [
    "a policy change two hours ago has applied",
    { recentPolicyChanges: ok([policyChange(120)]) },
    "pass",
    "policyScope.summary.inScope",
  ],
  [
    "unreadable recent changes do not turn a pass into a guess",
    { recentPolicyChanges: failed({ kind: "accessDenied", missingPermission: null }) },
    "pass",
    "policyScope.summary.inScope",
  ],
  [
    "a policy without profiles is read through its legacy fields",
    { fido2: ok(fido2Policy({ passkeyProfiles: null, isAttestationEnforced: true })) },
    "pass",
    "policyScope.summary.inScope",
  ],
];

describe("evaluatePolicyScope", () => {
  it.each(TABLE)("%s", (_name, overrides, verdict, summary) => {
    const result = evaluatePolicyScope(buildInput(overrides));
    expect(result.verdict).toBe(verdict);
    expect(result.summary.key).toBe(summary);
  });

  it("names the excluding group and the admin change", () => {
    const result = evaluatePolicyScope(
      buildInput({
        fido2: ok(fido2Policy({ excludeTargets: [{ id: EXCLUDED_GROUP, targetType: "group" }] })),
        memberOf: ok([PILOT_GROUP, EXCLUDED_GROUP]),
      }),
    );
    expect(result.adminFix).toEqual([
      { key: "policyScope.adminFix.removeFromExclusion", params: { group: `Passkey excluded (${EXCLUDED_GROUP})` } },
    ]);
    expect(result.userFix.map((f) => f.key)).toEqual(["common.userFix.askHelpdesk"]);
  });

  it("lists the union of the profiles of every matching target", () => {
    const windows = profile({ id: WINDOWS_PROFILE_ID, name: "Windows Hello" });
    const result = evaluatePolicyScope(
      buildInput({
        fido2: ok(
          fido2Policy({
            passkeyProfiles: [profile(), windows],
            includeTargets: [
              { id: PILOT_GROUP, targetType: "group", allowedPasskeyProfiles: [DEFAULT_PROFILE_ID] },
              { id: "all_users", targetType: "group", allowedPasskeyProfiles: [WINDOWS_PROFILE_ID] },
            ],
          }),
        ),
      }),
    );
    expect(result.evidence.find((e) => e.label.key === "evidence.profilesInScope")?.value).toBe(
      "Default passkey profile, Windows Hello",
    );
  });

  it("tells the person how long to wait after a fresh policy change", () => {
    const result = evaluatePolicyScope(buildInput({ recentPolicyChanges: ok([policyChange(20)]) }));
    expect(result.userFix).toEqual([{ key: "policyScope.userFix.waitAndRetry", params: { minutes: 40 } }]);
  });

  it.each(READ_PROBLEMS)("is unknown, naming why, when the policy read fails (%s)", (_n, problem, kind) => {
    const result = evaluatePolicyScope(buildInput({ fido2: failed(problem) }));
    expect(result.verdict).toBe("unknown");
    expect(result.missing?.key).toBe(`missing.fido2Policy.${kind}`);
  });

  it.each(READ_PROBLEMS)("is unknown when group membership is needed and its read fails (%s)", (_n, problem, kind) => {
    const result = evaluatePolicyScope(buildInput({ memberOf: failed(problem) }));
    expect(result.verdict).toBe("unknown");
    expect(result.missing?.key).toBe(`missing.groupMembership.${kind}`);
  });

  it("names the least-privileged permission when Graph did not say which one is missing", () => {
    const result = evaluatePolicyScope(
      buildInput({ memberOf: failed({ kind: "accessDenied", missingPermission: null }) }),
    );
    expect(result.missing?.params).toEqual({ permission: "GroupMember.Read.All" });
  });
});
