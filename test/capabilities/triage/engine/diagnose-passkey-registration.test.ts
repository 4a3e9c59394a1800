import { describe, expect, it } from "vitest";
import { diagnosePasskeyRegistration } from "../../../../src/capabilities/triage/engine/diagnose-passkey-registration.js";
import { QUESTION_ORDER } from "../../../../src/capabilities/triage/engine/diagnosis.js";
import {
  allowList,
  buildInput,
  EMAIL,
  fido2Policy,
  NOW,
  ok,
  PASSWORD,
  policyChange,
  profile,
  USER_ID,
  WH_HARDWARE,
  WH_SOFTWARE,
  WH_VBS,
  YUBIKEY_5,
} from "./triage-fixtures.js";

describe("diagnosePasskeyRegistration", () => {
  it("answers the four questions in order and blocks on none when everything passes", () => {
    const diagnosis = diagnosePasskeyRegistration(
      buildInput({
        platform: "windows",
        answers: { windowsPinSet: true, tpmReady: true },
        fido2: ok(
          fido2Policy({ passkeyProfiles: [profile({ keyRestrictions: allowList(WH_HARDWARE, WH_VBS, WH_SOFTWARE) })] }),
        ),
      }),
    );
    expect(diagnosis.questions.map((q) => q.question)).toEqual(QUESTION_ORDER);
    expect(diagnosis.questions.map((q) => q.verdict)).toEqual(["pass", "pass", "pass", "pass"]);
    expect(diagnosis).toMatchObject({
      userId: USER_ID,
      userPrincipalName: "pat@contoso.example",
      displayName: "Pat Example",
      platform: "windows",
      firstBlocking: null,
      needsTemporaryAccessPass: false,
      checkedDateTime: NOW.toISOString(),
      authenticatorName:
        "Windows Hello Hardware Authenticator / Windows Hello VBS Hardware Authenticator / Windows Hello Software Authenticator",
    });
  });

  it("names the first failing question in walking order, while still evaluating the later ones", () => {
    const diagnosis = diagnosePasskeyRegistration(
      buildInput({
        platform: "securityKey",
        aaGuid: WH_HARDWARE.toUpperCase(),
        methods: ok([PASSWORD, EMAIL]),
        fido2: ok(fido2Policy({ passkeyProfiles: [profile({ keyRestrictions: allowList(YUBIKEY_5) })] })),
      }),
    );
    expect(diagnosis.firstBlocking).toBe("freshMfa");
    expect(diagnosis.needsTemporaryAccessPass).toBe(true);
    expect(diagnosis.questions.find((q) => q.question === "authenticator")?.verdict).toBe("fail");
    expect(diagnosis.aaGuid).toBe(WH_HARDWARE);
    expect(diagnosis.authenticatorName).toBe("Windows Hello Hardware Authenticator");
  });

  it("suggests where to start from the symptom, and prefers the policy after a fresh change", () => {
    expect(diagnosePasskeyRegistration(buildInput({ symptomText: "Sign-in interrupted" })).suggestedStart).toBe(
      "freshMfa",
    );
    expect(diagnosePasskeyRegistration(buildInput({ symptomText: "Passkey not registered" })).suggestedStart).toBe(
      "authenticator",
    );
    expect(
      diagnosePasskeyRegistration(
        buildInput({ symptomText: "Passkey not registered", recentPolicyChanges: ok([policyChange(5)]) }),
      ).suggestedStart,
    ).toBe("policyScope");
    expect(diagnosePasskeyRegistration(buildInput()).suggestedStart).toBeNull();
  });

  it("is pure: the same input gives the same diagnosis", () => {
    const input = buildInput({ platform: "ios" });
    expect(diagnosePasskeyRegistration(input)).toEqual(diagnosePasskeyRegistration(input));
  });
});
