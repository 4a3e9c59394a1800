import type { QuestionResult, TriageInput } from "./diagnosis.js";
import { diagnosisText, LINKS } from "./diagnosis-text.js";
import { evaluatePhone } from "./evaluate-phone.js";
import { evaluateWindows } from "./evaluate-windows.js";
import { type PlatformFindings, type PlatformOutcome, withFollowUps } from "./with-follow-ups.js";

function evaluateCrossDevice(input: TriageInput): PlatformFindings {
  return withFollowUps(
    input,
    {
      verdict: "pass",
      summary: diagnosisText("platform.summary.crossDeviceReady"),
      evidence: [],
      userFix: [],
      adminFix: [],
      followUps: [],
    },
    [
      {
        id: "bluetoothOn",
        blocksWhen: false,
        summary: diagnosisText("platform.summary.bluetoothOff"),
        userFix: [diagnosisText("platform.userFix.turnOnBluetooth"), diagnosisText("platform.userFix.registerInApp")],
        adminFix: [diagnosisText("platform.adminFix.cableEndpoints")],
      },
    ],
  );
}

function evaluateSecurityKey(input: TriageInput): PlatformFindings {
  return withFollowUps(
    input,
    {
      verdict: "pass",
      summary: diagnosisText("platform.summary.securityKeyReady"),
      evidence: [],
      userFix: [],
      adminFix: [],
      followUps: [],
    },
    [
      {
        id: "securityKeyIsFido2",
        blocksWhen: false,
        summary: diagnosisText("platform.summary.u2fOnly"),
        userFix: [diagnosisText("platform.userFix.getFido2Key")],
      },
      {
        id: "browserHasUsbPermission",
        blocksWhen: false,
        summary: diagnosisText("platform.summary.browserPermission"),
        userFix: [diagnosisText("platform.userFix.browserPermission")],
        adminFix: [diagnosisText("platform.adminFix.linuxUdev")],
      },
    ],
  );
}

/** Question 3: can the device or key the person is using host the passkey? */
export function evaluatePlatform(input: TriageInput): QuestionResult {
  const platform = input.platform ?? "unknown";
  const base: QuestionResult = {
    question: "platform",
    verdict: "unknown",
    summary: diagnosisText("platform.summary.unknown"),
    evidence: [],
    userFix: [],
    adminFix: [],
    links: [LINKS.mySecurityInfo],
    followUps: [],
  };
  let outcome: PlatformOutcome;
  switch (platform) {
    case "windows":
      outcome = evaluateWindows(input);
      break;
    case "ios":
    case "android":
      outcome = evaluatePhone(input, platform);
      break;
    case "otherDeviceQr":
      outcome = evaluateCrossDevice(input);
      break;
    case "securityKey":
      outcome = evaluateSecurityKey(input);
      break;
    default:
      return { ...base, missing: diagnosisText("missing.platformNotStated") };
  }
  if ("missing" in outcome) return { ...base, missing: outcome.missing };
  return { ...base, ...outcome };
}
