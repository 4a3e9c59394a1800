import { describe, expect, it } from "vitest";
import { evaluatePlatform } from "../../../../src/capabilities/triage/engine/evaluate-platform.js";
import {
  authenticatorApp,
  buildInput,
  device,
  failed,
  type InputOverrides,
  ok,
  PASSWORD,
  READ_PROBLEMS,
  whfb,
} from "./triage-fixtures.js";

const iphone = (version: string) =>
  device({
    displayName: "Pat's iPhone",
    operatingSystem: "iOS",
    operatingSystemVersion: version,
    trustType: "Workplace",
  });
const pixel = (version: string) =>
  device({
    displayName: "Pixel",
    operatingSystem: "AndroidForWork",
    operatingSystemVersion: version,
    trustType: "Workplace",
  });

const TABLE: Array<[string, InputOverrides, string, string]> = [
  ["an unstated platform is unknown", {}, "unknown", "platform.summary.unknown"],
  [
    "WHfB on an Entra-joined Windows device conflicts",
    { platform: "windows", methods: ok([PASSWORD, whfb()]), devices: ok([device()]) },
    "fail",
    "platform.summary.whfbConflict",
  ],
  [
    "WHfB on a registered (Workplace) Windows device conflicts",
    {
      platform: "windows",
      methods: ok([PASSWORD, whfb("HOME-PC")]),
      devices: ok([device({ displayName: "HOME-PC", trustType: "Workplace" })]),
    },
    "fail",
    "platform.summary.whfbConflict",
  ],
  [
    "WHfB without any joined or registered Windows device does not conflict",
    { platform: "windows", methods: ok([PASSWORD, whfb()]), devices: ok([device({ trustType: null })]) },
    "pass",
    "platform.summary.needsAnswers",
  ],
  [
    "Windows without answers passes and asks about PIN and TPM",
    { platform: "windows" },
    "pass",
    "platform.summary.needsAnswers",
  ],
  [
    "Windows with a PIN and a ready TPM passes",
    { platform: "windows", answers: { windowsPinSet: true, tpmReady: true } },
    "pass",
    "platform.summary.windowsReady",
  ],
  [
    "Windows without a PIN fails",
    { platform: "windows", answers: { windowsPinSet: false, tpmReady: true } },
    "fail",
    "platform.summary.windowsNoPin",
  ],
  [
    "Windows with a TPM not ready fails",
    { platform: "windows", answers: { windowsPinSet: true, tpmReady: false } },
    "fail",
    "platform.summary.tpmNotReady",
  ],
  [
    "Windows older than 10 fails",
    { platform: "windows", devices: ok([device({ operatingSystemVersion: "6.3.9600", trustType: null })]) },
    "fail",
    "platform.summary.windowsTooOld",
  ],
  ["iOS 16 is too old", { platform: "ios", devices: ok([iphone("16.7.2")]) }, "fail", "platform.summary.osTooOld"],
  [
    "iOS 17 with a current Authenticator, saved in Authenticator, passes",
    { platform: "ios", devices: ok([iphone("17.5.1")]), answers: { registeredInIcloudKeychain: false } },
    "pass",
    "platform.summary.iosReady",
  ],
  [
    "an old Authenticator on iOS is a warning",
    {
      platform: "ios",
      methods: ok([PASSWORD, authenticatorApp("6.7.1")]),
      answers: { registeredInIcloudKeychain: false },
    },
    "warn",
    "platform.summary.authenticatorOutdated",
  ],
  [
    "no Authenticator signed in on iOS fails",
    {
      platform: "ios",
      methods: ok([PASSWORD]),
      answers: { authenticatorSignedIn: false, registeredInIcloudKeychain: false },
    },
    "fail",
    "platform.summary.authenticatorMissing",
  ],
  [
    "a passkey saved in iCloud Keychain fails",
    { platform: "ios", answers: { registeredInIcloudKeychain: true } },
    "fail",
    "platform.summary.icloudKeychain",
  ],
  ["Android 13 is too old", { platform: "android", devices: ok([pixel("13")]) }, "fail", "platform.summary.osTooOld"],
  [
    "several Google accounts on Android is a warning",
    {
      platform: "android",
      devices: ok([pixel("14")]),
      methods: ok([PASSWORD, authenticatorApp("6.2508.1000", "Pixel")]),
      answers: { severalGoogleAccounts: true },
    },
    "warn",
    "platform.summary.severalGoogleAccounts",
  ],
  [
    "Android 14 with a current Authenticator passes",
    {
      platform: "android",
      devices: ok([pixel("14")]),
      methods: ok([PASSWORD, authenticatorApp("6.2508.1000", "Pixel")]),
      answers: { severalGoogleAccounts: false },
    },
    "pass",
    "platform.summary.androidReady",
  ],
  [
    "cross-device with Bluetooth off fails",
    { platform: "otherDeviceQr", answers: { bluetoothOn: false } },
    "fail",
    "platform.summary.bluetoothOff",
  ],
  [
    "cross-device passes and asks about Bluetooth",
    { platform: "otherDeviceQr" },
    "pass",
    "platform.summary.needsAnswers",
  ],
  [
    "cross-device with Bluetooth on passes",
    { platform: "otherDeviceQr", answers: { bluetoothOn: true } },
    "pass",
    "platform.summary.crossDeviceReady",
  ],
  [
    "a U2F-only key fails",
    { platform: "securityKey", answers: { securityKeyIsFido2: false } },
    "fail",
    "platform.summary.u2fOnly",
  ],
  [
    "a browser without USB permission fails",
    { platform: "securityKey", answers: { securityKeyIsFido2: true, browserHasUsbPermission: false } },
    "fail",
    "platform.summary.browserPermission",
  ],
  [
    "a FIDO2 key the browser may use passes",
    { platform: "securityKey", answers: { securityKeyIsFido2: true, browserHasUsbPermission: true } },
    "pass",
    "platform.summary.securityKeyReady",
  ],
];

describe("evaluatePlatform", () => {
  it.each(TABLE)("%s", (_name, overrides, verdict, summary) => {
    const result = evaluatePlatform(buildInput(overrides));
    expect(result.verdict).toBe(verdict);
    expect(result.summary.key).toBe(summary);
  });

  it("explains how to free a device WHfB already holds, with the Event Viewer evidence to look at", () => {
    const result = evaluatePlatform(
      buildInput({ platform: "windows", methods: ok([PASSWORD, whfb()]), devices: ok([device()]) }),
    );
    expect(result.summary.params).toEqual({ device: "CONTOSO-LT-042" });
    expect(result.adminFix.map((f) => f.key)).toEqual([
      "platform.adminFix.whfbDeleteMethod",
      "platform.adminFix.whfbDeleteContainer",
      "platform.adminFix.whfbRecommended",
      "platform.adminFix.eventViewer",
    ]);
    expect(result.evidence.map((e) => e.value).join(" ")).toContain("10.0.22631.3880");
  });

  it("asks the follow-ups it cannot read from Graph and records the answers as evidence", () => {
    expect(evaluatePlatform(buildInput({ platform: "windows" })).followUps).toEqual(["windowsPinSet", "tpmReady"]);
    const answered = evaluatePlatform(buildInput({ platform: "windows", answers: { windowsPinSet: true } }));
    expect(answered.followUps).toEqual(["tpmReady"]);
    expect(answered.evidence).toContainEqual({ label: { key: "evidence.answer.windowsPinSet" }, value: "true" });
  });

  it("points to Get-Tpm when the TPM is not ready", () => {
    const result = evaluatePlatform(
      buildInput({ platform: "windows", answers: { windowsPinSet: true, tpmReady: false } }),
    );
    expect(result.userFix.map((f) => f.key)).toContain("platform.userFix.checkTpm");
  });

  it("asks whether Authenticator is signed in only when Graph shows no Authenticator", () => {
    expect(evaluatePlatform(buildInput({ platform: "ios" })).followUps).toEqual(["registeredInIcloudKeychain"]);
    expect(evaluatePlatform(buildInput({ platform: "ios", methods: ok([PASSWORD]) })).followUps).toEqual([
      "authenticatorSignedIn",
      "registeredInIcloudKeychain",
    ]);
  });

  it.each(READ_PROBLEMS)(
    "is unknown when Windows needs the device list and it cannot be read (%s)",
    (_n, problem, kind) => {
      const result = evaluatePlatform(
        buildInput({ platform: "windows", methods: ok([PASSWORD, whfb()]), devices: failed(problem) }),
      );
      expect(result.verdict).toBe("unknown");
      expect(result.missing?.key).toBe(`missing.devices.${kind}`);
    },
  );

  it.each(READ_PROBLEMS)("is unknown when methods cannot be read (%s)", (_n, problem, kind) => {
    for (const platform of ["windows", "ios", "android"] as const) {
      const result = evaluatePlatform(buildInput({ platform, methods: failed(problem) }));
      expect(result.verdict).toBe("unknown");
      expect(result.missing?.key).toBe(`missing.methods.${kind}`);
    }
  });

  it("is unknown on a phone when its device list cannot be read", () => {
    const result = evaluatePlatform(
      buildInput({ platform: "android", devices: failed({ kind: "throttled", retryAfterSeconds: 3 }) }),
    );
    expect(result.verdict).toBe("unknown");
    expect(result.missing).toEqual({ key: "missing.devices.throttled", params: { seconds: 3 } });
  });
});
