import { describe, expect, it } from "vitest";
import { classifySymptom } from "../../../../src/capabilities/triage/engine/classify-symptom.js";

const TABLE: Array<[string, string, string]> = [
  ["Your device does not support this option", "deviceNotSupported", "platform"],
  ["This device doesn't support this option.", "deviceNotSupported", "platform"],
  ["Vaše zařízení tuto možnost nepodporuje", "deviceNotSupported", "platform"],
  ["vase zarizeni tuto moznost nepodporuje", "deviceNotSupported", "platform"],
  ["We weren't able to add this method", "couldNotAddMethod", "authenticator"],
  ["We weren’t able to add this method", "couldNotAddMethod", "authenticator"],
  ["Passkey not registered", "couldNotAddMethod", "authenticator"],
  ["Nepodařilo se nám přidat tuto metodu", "couldNotAddMethod", "authenticator"],
  ["Klíč pro přístup nebyl zaregistrován", "couldNotAddMethod", "authenticator"],
  ["It says this device is already registered", "deviceAlreadyRegistered", "platform"],
  ["Toto zařízení je už zaregistrováno", "deviceAlreadyRegistered", "platform"],
  ["Sign-in interrupted", "signInInterrupted", "freshMfa"],
  ["Přihlášení bylo přerušeno", "signInInterrupted", "freshMfa"],
  ["There is no passkey option in Security info", "noPasskeyOption", "policyScope"],
  ["I can't see passkey when I click Add sign-in method", "noPasskeyOption", "policyScope"],
  ["V bezpečnostních údajích nevidím možnost passkey", "noPasskeyOption", "policyScope"],
  ["Přístupový klíč v nabídce chybí", "noPasskeyOption", "policyScope"],
  ["I lost my phone and have no MFA", "noMfaMethod", "freshMfa"],
  ["It's my first day, how do I get in?", "noMfaMethod", "freshMfa"],
  ["Potřebuji dočasný přístupový kód", "noMfaMethod", "freshMfa"],
  ["The QR code just hangs", "crossDevice", "platform"],
  ["Bluetooth je vypnutý?", "crossDevice", "platform"],
  ["My YubiKey is rejected", "securityKey", "authenticator"],
  ["Bezpečnostní klíč mi nejde", "securityKey", "authenticator"],
  ["Windows Hello asks for a PIN", "windowsHello", "platform"],
  ["Something about attestation", "attestation", "authenticator"],
];

describe("classifySymptom", () => {
  it.each(TABLE)("%s → %s, start at %s", (text, symptom, start) => {
    expect(classifySymptom(text)).toMatchObject({ symptom, start });
  });

  it("marks exact error messages apart from free-text guesses", () => {
    expect(classifySymptom("Passkey not registered")?.basis).toBe("message");
    expect(classifySymptom("my yubikey")?.basis).toBe("heuristic");
  });

  it("starts from the policy when 'not registered' follows a fresh policy change", () => {
    expect(classifySymptom("Passkey not registered", { hasRecentPolicyChange: true })?.start).toBe("policyScope");
    expect(classifySymptom("Your device does not support this option", { hasRecentPolicyChange: true })?.start).toBe(
      "platform",
    );
  });

  it("returns null for text it does not recognise", () => {
    expect(classifySymptom("hello")).toBeNull();
    expect(classifySymptom("Záleží na tom, co závisí na čem")).toBeNull();
    expect(classifySymptom("   ")).toBeNull();
  });
});
