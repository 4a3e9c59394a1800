import { describe, expect, it } from "vitest";
import { evaluateAuthenticator } from "../../../../src/capabilities/triage/engine/evaluate-authenticator.js";
import {
  AUTHENTICATOR_IOS,
  allowList,
  blockList,
  buildInput,
  DEFAULT_PROFILE_ID,
  failed,
  failedPasskeyAdd,
  fido2Method,
  fido2Policy,
  GOOGLE_PASSWORD_MANAGER,
  type InputOverrides,
  ok,
  PASSWORD,
  PILOT_GROUP,
  profile,
  READ_PROBLEMS,
  WH_HARDWARE,
  WH_SOFTWARE,
  WH_VBS,
  WINDOWS_PROFILE_ID,
  YUBIKEY_5,
  YUBIKEY_5_NFC,
} from "./triage-fixtures.js";

const withProfile = (overrides: Parameters<typeof profile>[0]): InputOverrides => ({
  fido2: ok(fido2Policy({ passkeyProfiles: [profile(overrides)] })),
});
const UNKNOWN_KEY = "0000aaaa-0000-4000-8000-00000000abcd";

const TABLE: Array<[string, InputOverrides, string, string]> = [
  [
    "Windows Hello under a profile with no key restrictions is refused (it needs an explicit allow list)",
    { platform: "windows" },
    "fail",
    "authenticator.summary.windowsHelloNeedsAllowList",
  ],
  [
    "Windows Hello missing from an allow list is rejected",
    { platform: "windows", ...withProfile({ keyRestrictions: allowList(YUBIKEY_5) }) },
    "fail",
    "authenticator.summary.notAllowed",
  ],
  [
    "Windows Hello under enforced attestation is rejected",
    { platform: "windows", ...withProfile({ attestationEnforcement: "registrationOnly" }) },
    "fail",
    "authenticator.summary.cannotAttest",
  ],
  [
    "an allow list with only the hardware Windows Hello AAGUID is a partial accept",
    { platform: "windows", ...withProfile({ keyRestrictions: allowList(WH_HARDWARE) }) },
    "warn",
    "authenticator.summary.partlyAccepted",
  ],
  [
    "Authenticator created in the app attests",
    {
      platform: "ios",
      ...withProfile({ attestationEnforcement: "registrationOnly", keyRestrictions: allowList(AUTHENTICATOR_IOS) }),
    },
    "pass",
    "authenticator.summary.accepted",
  ],
  [
    "Authenticator cross-device cannot attest",
    { platform: "otherDeviceQr", ...withProfile({ attestationEnforcement: "registrationOnly" }) },
    "fail",
    "authenticator.summary.cannotAttest",
  ],
  [
    "allow lists compare AAGUIDs case-insensitively",
    {
      platform: "securityKey",
      aaGuid: YUBIKEY_5,
      ...withProfile({ keyRestrictions: allowList(YUBIKEY_5.toUpperCase()) }),
    },
    "pass",
    "authenticator.summary.accepted",
  ],
  [
    "a blocked AAGUID is rejected",
    { platform: "securityKey", aaGuid: YUBIKEY_5, ...withProfile({ keyRestrictions: blockList(YUBIKEY_5) }) },
    "fail",
    "authenticator.summary.blocked",
  ],
  [
    "a synced passkey under a device-bound-only profile is rejected",
    { platform: "android", aaGuid: GOOGLE_PASSWORD_MANAGER },
    "fail",
    "authenticator.summary.wrongPasskeyType",
  ],
  [
    "a synced passkey under a profile allowing synced is accepted",
    { platform: "android", aaGuid: GOOGLE_PASSWORD_MANAGER, ...withProfile({ passkeyTypes: "deviceBound,synced" }) },
    "pass",
    "authenticator.summary.accepted",
  ],
  [
    "an unknown AAGUID under enforced attestation is unknown",
    { platform: "securityKey", aaGuid: UNKNOWN_KEY, ...withProfile({ attestationEnforcement: "registrationOnly" }) },
    "unknown",
    "authenticator.summary.attestationUnknown",
  ],
  [
    "an unknown AAGUID missing from an allow list is rejected",
    { platform: "securityKey", aaGuid: UNKNOWN_KEY, ...withProfile({ keyRestrictions: allowList(YUBIKEY_5) }) },
    "fail",
    "authenticator.summary.notAllowed",
  ],
  [
    "a security key with no model named under a profile with an allow list is unknown (the model decides)",
    { platform: "securityKey", ...withProfile({ keyRestrictions: allowList(YUBIKEY_5) }) },
    "unknown",
    "authenticator.summary.whichKey",
  ],
  [
    "a security key with no model named under a block list is unknown (the model decides)",
    { platform: "securityKey", ...withProfile({ keyRestrictions: blockList(YUBIKEY_5) }) },
    "unknown",
    "authenticator.summary.whichKey",
  ],
  [
    "a security key with no model named under enforced attestation is unknown (the model decides)",
    { platform: "securityKey", ...withProfile({ attestationEnforcement: "registrationOnly" }) },
    "unknown",
    "authenticator.summary.whichKey",
  ],
  [
    "any security key passes a device-bound profile with attestation off and no key restrictions, model unnamed",
    { platform: "securityKey" },
    "pass",
    "authenticator.summary.anyKeyAccepted",
  ],
  [
    "no security key passes synced-only profiles, whatever the model",
    { platform: "securityKey", ...withProfile({ passkeyTypes: "synced" }) },
    "fail",
    "authenticator.summary.noSecurityKeys",
  ],
  [
    "one open profile among restrictive ones accepts any key (any one profile in scope is enough)",
    {
      platform: "securityKey",
      fido2: ok(
        fido2Policy({
          passkeyProfiles: [
            profile({ keyRestrictions: allowList(YUBIKEY_5) }),
            profile({ id: WINDOWS_PROFILE_ID, name: "Open keys" }),
          ],
          includeTargets: [
            { id: PILOT_GROUP, targetType: "group", allowedPasskeyProfiles: [DEFAULT_PROFILE_ID, WINDOWS_PROFILE_ID] },
          ],
        }),
      ),
    },
    "pass",
    "authenticator.summary.anyKeyAccepted",
  ],
  [
    "the failed attempt's AAGUID in the audit log settles an unnamed key: missing from the allow list",
    {
      platform: "securityKey",
      registrationAudits: ok([failedPasskeyAdd(20, UNKNOWN_KEY)]),
      ...withProfile({ keyRestrictions: allowList(YUBIKEY_5) }),
    },
    "fail",
    "authenticator.summary.notAllowed",
  ],
  [
    "the failed attempt's AAGUID in the audit log settles an unnamed key: on the allow list",
    {
      platform: "securityKey",
      registrationAudits: ok([failedPasskeyAdd(20, YUBIKEY_5_NFC)]),
      ...withProfile({ keyRestrictions: allowList(YUBIKEY_5_NFC) }),
    },
    "pass",
    "authenticator.summary.accepted",
  ],
  [
    "an unreadable audit log leaves an unnamed key to its model",
    {
      platform: "securityKey",
      registrationAudits: failed({ kind: "notRequested" }),
      ...withProfile({ keyRestrictions: allowList(YUBIKEY_5) }),
    },
    "unknown",
    "authenticator.summary.whichKey",
  ],
  [
    "a security key falls back to the key the person already registered",
    {
      platform: "securityKey",
      methods: ok([PASSWORD, fido2Method(YUBIKEY_5_NFC)]),
      ...withProfile({ keyRestrictions: allowList(YUBIKEY_5_NFC) }),
    },
    "pass",
    "authenticator.summary.accepted",
  ],
  [
    "a legacy policy enforcing attestation rejects Windows Hello",
    { platform: "windows", fido2: ok(fido2Policy({ passkeyProfiles: null, isAttestationEnforced: true })) },
    "fail",
    "authenticator.summary.cannotAttest",
  ],
  ["an unstated platform without an AAGUID is unknown", {}, "unknown", "authenticator.summary.unknown"],
];

describe("evaluateAuthenticator", () => {
  it.each(TABLE)("%s", (_name, overrides, verdict, summary) => {
    const result = evaluateAuthenticator(buildInput(overrides));
    expect(result.verdict).toBe(verdict);
    expect(result.summary.key).toBe(summary);
  });

  it("gives the exact allow-list change for Windows Hello, and the recipe", () => {
    const result = evaluateAuthenticator(
      buildInput({ platform: "windows", ...withProfile({ keyRestrictions: allowList(YUBIKEY_5) }) }),
    );
    expect(result.adminFix).toEqual([
      {
        key: "authenticator.adminFix.addToAllowList",
        params: { aaguids: [WH_HARDWARE, WH_VBS, WH_SOFTWARE].join(", "), profile: "Default passkey profile" },
      },
      { key: "authenticator.adminFix.windowsHelloRecipe" },
    ]);
    expect(result.userFix[0]).toEqual({
      key: "authenticator.userFix.useAccepted",
      params: { names: "YubiKey 5 Series" },
    });
  });

  it("accepts when any one profile in scope is satisfied and names it", () => {
    const strict = profile({ keyRestrictions: allowList(YUBIKEY_5) });
    const windows = profile({
      id: WINDOWS_PROFILE_ID,
      name: "Windows Hello",
      keyRestrictions: allowList(WH_HARDWARE, WH_VBS, WH_SOFTWARE),
    });
    const result = evaluateAuthenticator(
      buildInput({
        platform: "windows",
        fido2: ok(
          fido2Policy({
            passkeyProfiles: [strict, windows],
            includeTargets: [
              {
                id: PILOT_GROUP,
                targetType: "group",
                allowedPasskeyProfiles: [DEFAULT_PROFILE_ID, WINDOWS_PROFILE_ID],
              },
            ],
          }),
        ),
      }),
    );
    expect(result.verdict).toBe("pass");
    expect(result.summary.params?.profile).toBe("Windows Hello");
  });

  it("proposes targeting a profile outside the person's scope that would accept", () => {
    const strict = profile({ keyRestrictions: allowList(YUBIKEY_5) });
    const windows = profile({
      id: WINDOWS_PROFILE_ID,
      name: "Windows Hello",
      keyRestrictions: allowList(WH_HARDWARE, WH_VBS, WH_SOFTWARE),
    });
    const result = evaluateAuthenticator(
      buildInput({ platform: "windows", fido2: ok(fido2Policy({ passkeyProfiles: [strict, windows] })) }),
    );
    expect(result.verdict).toBe("fail");
    expect(result.adminFix).toContainEqual({
      key: "authenticator.adminFix.targetToProfile",
      params: { profile: "Windows Hello" },
    });
  });

  it("proposes turning off attestation, and registering in the app for Authenticator cross-device", () => {
    const result = evaluateAuthenticator(
      buildInput({ platform: "otherDeviceQr", ...withProfile({ attestationEnforcement: "registrationOnly" }) }),
    );
    expect(result.adminFix).toContainEqual({
      key: "authenticator.adminFix.turnOffAttestation",
      params: { profile: "Default passkey profile" },
    });
    expect(result.userFix.map((f) => f.key)).toContain("authenticator.userFix.registerInApp");
  });

  it("proposes removing a blocked AAGUID and allowing a passkey type", () => {
    const blocked = evaluateAuthenticator(
      buildInput({
        platform: "securityKey",
        aaGuid: YUBIKEY_5,
        ...withProfile({ keyRestrictions: blockList(YUBIKEY_5.toUpperCase()) }),
      }),
    );
    expect(blocked.adminFix).toEqual([
      {
        key: "authenticator.adminFix.removeFromBlockList",
        params: { aaguids: YUBIKEY_5, profile: "Default passkey profile" },
      },
    ]);
    const synced = evaluateAuthenticator(buildInput({ platform: "android", aaGuid: GOOGLE_PASSWORD_MANAGER }));
    expect(synced.adminFix).toEqual([
      {
        key: "authenticator.adminFix.allowPasskeyType",
        params: { profile: "Default passkey profile", type: "synced" },
      },
    ]);
  });

  it("fails with no profile applies while the person is out of scope, yet says which profile would accept", () => {
    const result = evaluateAuthenticator(buildInput({ platform: "ios", memberOf: ok([]) }));
    expect(result.verdict).toBe("fail");
    expect(result.summary.key).toBe("authenticator.summary.noProfileApplies");
    expect(result.adminFix).toEqual([
      { key: "authenticator.adminFix.targetToProfile", params: { profile: "Default passkey profile" } },
    ]);
  });

  it.each(READ_PROBLEMS)("is unknown, naming why, when the policy cannot be read (%s)", (_n, problem, kind) => {
    const result = evaluateAuthenticator(buildInput({ platform: "windows", fido2: failed(problem) }));
    expect(result.verdict).toBe("unknown");
    expect(result.missing?.key).toBe(`missing.fido2Policy.${kind}`);
  });

  it.each(READ_PROBLEMS)(
    "is unknown when group membership decides the profiles and cannot be read (%s)",
    (_n, problem, kind) => {
      const result = evaluateAuthenticator(buildInput({ platform: "ios", memberOf: failed(problem) }));
      expect(result.verdict).toBe("unknown");
      expect(result.missing?.key).toBe(`missing.groupMembership.${kind}`);
    },
  );
});
