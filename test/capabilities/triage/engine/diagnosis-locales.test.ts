import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { answerCommonQuestion } from "../../../../src/capabilities/triage/answer-common-question.js";
import { diagnosePasskeyRegistration } from "../../../../src/capabilities/triage/engine/diagnose-passkey-registration.js";
import type { Diagnosis, LocalizedText, Platform } from "../../../../src/capabilities/triage/engine/diagnosis.js";
import { supportedLocales, translate } from "../../../../src/locales/translate.js";
import {
  AUTHENTICATOR_IOS,
  allowList,
  blockList,
  buildInput,
  device,
  EMAIL,
  EXCLUDED_GROUP,
  failed,
  fido2Policy,
  GOOGLE_PASSWORD_MANAGER,
  type InputOverrides,
  ok,
  PASSWORD,
  PILOT_GROUP,
  policyChange,
  profile,
  READ_PROBLEMS,
  signIn,
  TAP_GROUP,
  tap,
  tapPolicy,
  tapSignIn,
  whfb,
  YUBIKEY_5,
} from "./triage-fixtures.js";

const ROOT = join(__dirname, "../../../..");
const diagnosisTable = (locale: string) =>
  JSON.parse(readFileSync(join(ROOT, "src/locales", locale, "diagnosis.json"), "utf8")) as Record<string, string>;
const en = diagnosisTable("en");
const cs = diagnosisTable("cs");
/** Every other language the bot speaks is held to English's keys and placeholders, not only Czech. */
const others = supportedLocales().filter((locale) => locale !== "en");
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** A sweep wide enough to make every evaluator walk each of its branches at least once. */
function sweep(): Diagnosis[] {
  const variants: InputOverrides[] = [
    {},
    { userType: "Guest" },
    { fido2: ok(fido2Policy({ state: "disabled" })) },
    {
      fido2: ok(fido2Policy({ excludeTargets: [{ id: EXCLUDED_GROUP, targetType: "group" }] })),
      memberOf: ok([PILOT_GROUP, EXCLUDED_GROUP]),
    },
    { memberOf: ok([]) },
    { fido2: ok(fido2Policy({ isSelfServiceRegistrationAllowed: false })) },
    {
      fido2: ok(
        fido2Policy({ includeTargets: [{ id: PILOT_GROUP, targetType: "group", allowedPasskeyProfiles: ["gone"] }] }),
      ),
    },
    { recentPolicyChanges: ok([policyChange(10)]) },
    { recentPolicyChanges: failed({ kind: "throttled", retryAfterSeconds: 4 }) },
    { fido2: ok(fido2Policy({ passkeyProfiles: null, isAttestationEnforced: true })) },
    { signIns: ok([signIn(30)]) },
    { signIns: ok([]) },
    { methods: ok([PASSWORD, EMAIL]) },
    { methods: ok([PASSWORD, EMAIL]), tapPolicy: ok(tapPolicy({ state: "disabled" })) },
    { methods: ok([PASSWORD, tap()]) },
    { methods: ok([PASSWORD, tap({ isUsableOnce: false })]) },
    {
      methods: ok([PASSWORD, tap()]),
      tapPolicy: ok(tapPolicy({ includeTargets: [{ id: TAP_GROUP, targetType: "group" }] })),
    },
    {
      methods: ok([PASSWORD, tap({ isUsable: false, methodUsabilityReason: "OneTimeUsed" })]),
      signIns: ok([tapSignIn(3)]),
    },
    {
      methods: ok([PASSWORD, tap({ isUsable: false, methodUsabilityReason: "OneTimeUsed" })]),
      signIns: ok([tapSignIn(40)]),
    },
    {
      methods: ok([PASSWORD, tap({ isUsable: false, methodUsabilityReason: "OneTimeUsed" })]),
      signIns: failed({ kind: "notRequested" }),
    },
    { methods: ok([PASSWORD, tap({ isUsable: false, methodUsabilityReason: "Expired" })]) },
    { methods: ok([PASSWORD, tap({ isUsable: false, methodUsabilityReason: "NotYetValid" })]) },
    { methods: ok([PASSWORD, tap({ isUsable: false, methodUsabilityReason: "DisabledByPolicy" })]) },
    { methods: ok([PASSWORD, tap()]), tapPolicy: failed({ kind: "accessDenied", missingPermission: null }) },
    { methods: ok([PASSWORD, whfb()]), devices: ok([device()]) },
    { devices: ok([device({ operatingSystemVersion: "6.1", trustType: null })]) },
    {
      devices: ok([
        device({ operatingSystem: "iOS", operatingSystemVersion: "16.1" }),
        device({ operatingSystem: "Android", operatingSystemVersion: "12" }),
      ]),
    },
    { methods: ok([PASSWORD]) },
    {
      methods: ok([
        PASSWORD,
        {
          "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
          id: "a",
          displayName: "Old",
          deviceTag: null,
          phoneAppVersion: "6.1.0",
        },
      ]),
    },
    { fido2: ok(fido2Policy({ passkeyProfiles: [profile({ keyRestrictions: allowList(YUBIKEY_5) })] })) },
    {
      fido2: ok(
        fido2Policy({ passkeyProfiles: [profile({ keyRestrictions: blockList(YUBIKEY_5, AUTHENTICATOR_IOS) })] }),
      ),
    },
    { fido2: ok(fido2Policy({ passkeyProfiles: [profile({ attestationEnforcement: "registrationOnly" })] })) },
    {
      fido2: ok(
        fido2Policy({
          passkeyProfiles: [profile({ keyRestrictions: allowList(YUBIKEY_5) }), profile({ id: "p2", name: "Phones" })],
        }),
      ),
    },
    { aaGuid: GOOGLE_PASSWORD_MANAGER },
    {
      aaGuid: "0000aaaa-0000-4000-8000-00000000abcd",
      fido2: ok(fido2Policy({ passkeyProfiles: [profile({ attestationEnforcement: "registrationOnly" })] })),
    },
    ...READ_PROBLEMS.flatMap(([, problem]): InputOverrides[] => [
      { fido2: failed(problem) },
      { memberOf: failed(problem) },
      { methods: failed(problem) },
      { devices: failed(problem), methods: ok([PASSWORD, whfb()]) },
      { signIns: failed(problem) },
    ]),
  ];
  const platforms: Array<Platform | undefined> = [
    undefined,
    "windows",
    "ios",
    "android",
    "otherDeviceQr",
    "securityKey",
  ];
  const answerSets = [
    undefined,
    Object.fromEntries(
      [
        "windowsPinSet",
        "tpmReady",
        "bluetoothOn",
        "authenticatorSignedIn",
        "securityKeyIsFido2",
        "browserHasUsbPermission",
      ].map((k) => [k, false]),
    ),
    {
      windowsPinSet: true,
      tpmReady: true,
      bluetoothOn: true,
      authenticatorSignedIn: true,
      registeredInIcloudKeychain: true,
      severalGoogleAccounts: true,
      securityKeyIsFido2: true,
      browserHasUsbPermission: true,
    },
  ];
  return variants.flatMap((variant) =>
    platforms.flatMap((platform) =>
      answerSets.map((answers) => diagnosePasskeyRegistration(buildInput({ ...variant, platform, answers }))),
    ),
  );
}

function textsOf(diagnosis: Diagnosis): LocalizedText[] {
  return diagnosis.questions.flatMap((q) => [
    q.summary,
    ...q.evidence.map((e) => e.label),
    ...q.userFix,
    ...q.adminFix,
    ...q.links.map((l) => l.title),
    ...(q.missing ? [q.missing] : []),
  ]);
}

describe("diagnosis locale tables", () => {
  it.each(others)("have the same keys and the same placeholders in English and %s", (locale) => {
    const other = diagnosisTable(locale);
    expect(Object.keys(other).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en)) {
      expect(placeholders(other[key] ?? ""), key).toEqual(placeholders(en[key] ?? ""));
      expect(en[key]?.trim(), key).not.toBe("");
      expect(other[key]?.trim(), key).not.toBe("");
    }
  });

  it("hold every key a diagnosis can emit, rendering with every placeholder filled in both languages", () => {
    const emitted = new Map<string, LocalizedText>();
    for (const diagnosis of sweep())
      for (const text of textsOf(diagnosis)) emitted.set(`${text.key}|${JSON.stringify(text.params ?? {})}`, text);
    const faq = [
      "another tenant",
      "yesterday today blocked",
      "sms backup passkey",
      "phone works but not on desktop",
      "move passkey",
    ];
    for (const question of faq)
      for (const text of answerCommonQuestion(question)?.answer ?? []) emitted.set(text.key, text);
    expect(emitted.size).toBeGreaterThan(150);
    for (const text of emitted.values()) {
      expect(Object.keys(en), text.key).toContain(text.key);
      for (const locale of supportedLocales()) {
        const rendered = translate(locale, `diagnosis.${text.key}`, text.params);
        expect(rendered, `${locale} ${text.key}`).not.toMatch(/\{\w+\}/);
      }
    }
  });

  it("cover every literal key written in the engine's sources", () => {
    const dir = join(ROOT, "src/capabilities/triage");
    const sources = readdirSync(dir, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"))
      .map((f) => readFileSync(join(dir, f), "utf8"))
      .join("\n");
    const literal = [...sources.matchAll(/diagnosisText\(\s*"([^"]+)"/g)].map((m) => m[1] as string);
    expect(literal.length).toBeGreaterThan(100);
    for (const key of literal) {
      expect(en, key).toHaveProperty([key]);
      expect(cs, key).toHaveProperty([key]);
    }
  });

  it("speak Czech with diacritics, not ASCII transliteration", () => {
    const withDiacritics = Object.values(cs).filter((s) => /[áčďéěíňóřšťúůýž]/i.test(s)).length;
    expect(withDiacritics / Object.keys(cs).length).toBeGreaterThan(0.8);
  });
});
