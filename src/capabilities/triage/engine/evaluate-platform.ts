import type {
  DirectoryDevice,
  MicrosoftAuthenticatorMethod,
  WindowsHelloForBusinessMethod,
} from "../../../graph/model.js";
import { normalizeAaguid } from "../../authenticators/normalize-aaguid.js";
import { type ProviderRequirements, providerRequirements } from "../../authenticators/provider-requirements.js";
import { describeReadProblem } from "./describe-read-problem.js";
import type { Evidence, FollowUpId, LocalizedText, QuestionResult, TriageInput } from "./diagnosis.js";
import { diagnosisText, LINKS } from "./diagnosis-text.js";

const WHFB_TYPE = "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod";
const AUTHENTICATOR_TYPE = "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod";
/** Entra joined, hybrid joined, registered: the device states in which a WHfB key blocks a Windows Hello passkey. */
const DEVICE_TRUST_TYPES = new Set(["azuread", "serverad", "workplace"]);

export const MINIMUM_IOS_MAJOR = 17;
export const MINIMUM_ANDROID_MAJOR = 14;
/** Authenticator versions that offer passkeys for profiles allowing device-bound and synced (graph.md §5). */
export const MINIMUM_AUTHENTICATOR_IOS = "6.8.37";
export const MINIMUM_AUTHENTICATOR_ANDROID = "6.2507.4749";

interface Findings {
  verdict: "pass" | "fail" | "warn";
  summary: LocalizedText;
  evidence: Evidence[];
  userFix: LocalizedText[];
  adminFix: LocalizedText[];
  followUps: FollowUpId[];
  links?: QuestionResult["links"];
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split(/[.-]/).map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

function majorVersion(version: string | null): number | null {
  const major = Number.parseInt(version ?? "", 10);
  return Number.isFinite(major) ? major : null;
}

/** The device of that OS the person used most recently, when Entra knows one. */
function latestDevice(devices: DirectoryDevice[], os: RegExp): DirectoryDevice | null {
  return (
    devices
      .filter((d) => os.test(d.operatingSystem ?? ""))
      .sort((a, b) =>
        (b.approximateLastSignInDateTime ?? "").localeCompare(a.approximateLastSignInDateTime ?? ""),
      )[0] ?? null
  );
}

function deviceEvidence(device: DirectoryDevice): Evidence {
  return {
    label: diagnosisText("evidence.device"),
    value: `${device.displayName ?? device.deviceId ?? device.id} — ${device.operatingSystem ?? "?"} ${device.operatingSystemVersion ?? "?"} (${device.trustType ?? "—"})`,
  };
}

/** Unanswered follow-ups leave a warning that names them; a "no" is a failure with its fix. */
function withFollowUps(
  input: TriageInput,
  findings: Findings,
  questions: Array<{
    id: FollowUpId;
    blocksWhen: boolean;
    summary: LocalizedText;
    userFix: LocalizedText[];
    adminFix?: LocalizedText[];
    verdict?: "fail" | "warn";
  }>,
): Findings {
  const answers = input.answers ?? {};
  const result = { ...findings };
  for (const q of questions) {
    const answer = answers[q.id];
    if (answer === undefined) {
      result.followUps = [...result.followUps, q.id];
      continue;
    }
    result.evidence = [...result.evidence, { label: diagnosisText(`evidence.answer.${q.id}`), value: String(answer) }];
    if (answer === q.blocksWhen) {
      const verdict = q.verdict ?? "fail";
      if (result.verdict !== "fail" && (verdict === "fail" || result.verdict === "pass")) {
        result.verdict = verdict;
        result.summary = q.summary;
      }
      result.userFix = [...result.userFix, ...q.userFix];
      result.adminFix = [...result.adminFix, ...(q.adminFix ?? [])];
    }
  }
  // docs/personas.md: unanswered follow-ups leave `pass` (nothing Graph can see argues against the platform); they
  // are still offered, and a blocking answer turns the verdict to warn or fail.
  if (result.verdict === "pass" && result.followUps.length > 0) {
    result.summary = diagnosisText("platform.summary.needsAnswers");
  }
  return result;
}

function evaluateWindows(input: TriageInput): Findings | { missing: LocalizedText } {
  const { snapshot } = input;
  if (!snapshot.methods.ok) return { missing: describeReadProblem("methods", snapshot.methods.problem) };
  const whfb = snapshot.methods.value.filter((m): m is WindowsHelloForBusinessMethod => m["@odata.type"] === WHFB_TYPE);
  const findings: Findings = {
    verdict: "pass",
    summary: diagnosisText("platform.summary.windowsReady"),
    evidence: [],
    userFix: [],
    adminFix: [],
    followUps: [],
  };
  if (whfb.length > 0 || snapshot.devices.ok) {
    if (!snapshot.devices.ok) return { missing: describeReadProblem("devices", snapshot.devices.problem) };
    const windowsDevices = snapshot.devices.value.filter((d) => /windows/i.test(d.operatingSystem ?? ""));
    const latest = latestDevice(windowsDevices, /windows/i);
    if (latest) findings.evidence.push(deviceEvidence(latest));
    if (latest && (majorVersion(latest.operatingSystemVersion) ?? 10) < 10) {
      findings.verdict = "fail";
      findings.summary = diagnosisText("platform.summary.windowsTooOld", {
        version: latest.operatingSystemVersion ?? "?",
      });
      findings.userFix.push(diagnosisText("platform.userFix.useOtherPath"));
    }
    const joined = windowsDevices.filter((d) => DEVICE_TRUST_TYPES.has((d.trustType ?? "").toLowerCase()));
    if (whfb.length > 0 && joined.length > 0) {
      const names = new Set(whfb.map((m) => (m.displayName ?? "").toLowerCase()));
      const device =
        joined.find((d) => names.has((d.displayName ?? "").toLowerCase())) ?? (joined[0] as DirectoryDevice);
      const method =
        whfb.find((m) => (m.displayName ?? "").toLowerCase() === (device.displayName ?? "").toLowerCase()) ?? whfb[0];
      return {
        verdict: "fail",
        summary: diagnosisText("platform.summary.whfbConflict", { device: device.displayName ?? device.id }),
        evidence: [
          {
            label: diagnosisText("evidence.whfbMethod"),
            value: `${method?.displayName ?? "—"} (${method?.createdDateTime ?? "—"})`,
          },
          deviceEvidence(device),
        ],
        userFix: [diagnosisText("platform.userFix.whfbUseExisting"), diagnosisText("platform.userFix.useOtherPath")],
        adminFix: [
          diagnosisText("platform.adminFix.whfbDeleteMethod", { device: device.displayName ?? device.id }),
          diagnosisText("platform.adminFix.whfbDeleteContainer"),
          diagnosisText("platform.adminFix.whfbRecommended"),
          diagnosisText("platform.adminFix.eventViewer"),
        ],
        followUps: [],
        links: [LINKS.mySecurityInfo, LINKS.userMethods],
      };
    }
  }
  return withFollowUps(input, findings, [
    {
      id: "windowsPinSet",
      blocksWhen: false,
      summary: diagnosisText("platform.summary.windowsNoPin"),
      userFix: [diagnosisText("platform.userFix.setUpPin")],
      adminFix: [diagnosisText("platform.adminFix.eventViewer")],
    },
    {
      id: "tpmReady",
      blocksWhen: false,
      summary: diagnosisText("platform.summary.tpmNotReady"),
      userFix: [diagnosisText("platform.userFix.checkTpm"), diagnosisText("platform.userFix.useOtherPath")],
      adminFix: [diagnosisText("platform.adminFix.fixTpm"), diagnosisText("platform.adminFix.eventViewer")],
    },
  ]);
}

/** The provider the person named (picker, error page, audit event); null when only the platform is known. */
function namedProvider(input: TriageInput): ProviderRequirements | null {
  const aaGuid = normalizeAaguid(input.aaGuid);
  return aaGuid ? providerRequirements(aaGuid, input.catalog.lookup(aaGuid)) : null;
}

function evaluatePhone(input: TriageInput, os: "ios" | "android"): Findings | { missing: LocalizedText } {
  const { snapshot } = input;
  // OS minimums belong to the provider: Authenticator iOS 17 / Android 14, Apple Passwords iOS 16, Google Password
  // Manager Android 9 (passkey-domain.md). Without a named provider, a phone means Microsoft Authenticator.
  const provider = namedProvider(input);
  const isAuthenticator = !provider || provider.kind === "microsoftAuthenticator" || provider.kind === "other";
  if (!snapshot.methods.ok) return { missing: describeReadProblem("methods", snapshot.methods.problem) };
  if (!snapshot.devices.ok) return { missing: describeReadProblem("devices", snapshot.devices.problem) };
  const findings: Findings = {
    verdict: "pass",
    summary: diagnosisText(os === "ios" ? "platform.summary.iosReady" : "platform.summary.androidReady"),
    evidence: [],
    userFix: [],
    adminFix: [],
    followUps: [],
  };
  const minimumOs = isAuthenticator
    ? os === "ios"
      ? MINIMUM_IOS_MAJOR
      : MINIMUM_ANDROID_MAJOR
    : ((os === "ios" ? provider?.minimumIos : provider?.minimumAndroid) ?? null);
  if (!isAuthenticator) {
    findings.summary = diagnosisText("platform.summary.providerReady");
  }
  const device = latestDevice(snapshot.devices.value, os === "ios" ? /ios|iphone|ipad/i : /android/i);
  if (device) {
    findings.evidence.push(deviceEvidence(device));
    // Entra reports an Android work profile as "AndroidForWork": Authenticator must be the one in the work profile.
    if (os === "android" && /forwork|enterprise/i.test(device.operatingSystem ?? "")) {
      findings.userFix.push(diagnosisText("platform.userFix.androidWorkProfile"));
    }
    const major = majorVersion(device.operatingSystemVersion);
    if (major !== null && minimumOs !== null && major < minimumOs) {
      findings.verdict = "fail";
      findings.summary = diagnosisText("platform.summary.osTooOld", {
        version: device.operatingSystemVersion ?? "?",
        minimum: minimumOs,
      });
      findings.userFix.push(diagnosisText("platform.userFix.updateOs", { minimum: minimumOs }));
      findings.userFix.push(diagnosisText("platform.userFix.useOtherPath"));
    }
  }
  if (!isAuthenticator) return findings;
  const authenticators = snapshot.methods.value.filter(
    (m): m is MicrosoftAuthenticatorMethod => m["@odata.type"] === AUTHENTICATOR_TYPE,
  );
  const minimumApp = os === "ios" ? MINIMUM_AUTHENTICATOR_IOS : MINIMUM_AUTHENTICATOR_ANDROID;
  for (const app of authenticators) {
    findings.evidence.push({
      label: diagnosisText("evidence.authenticatorApp"),
      value: `${app.displayName ?? "—"} ${app.phoneAppVersion ?? ""}`.trim(),
    });
  }
  const newest = authenticators
    .map((a) => a.phoneAppVersion)
    .filter((v): v is string => !!v)
    .sort(compareVersions)
    .at(-1);
  if (newest && compareVersions(newest, minimumApp) < 0 && findings.verdict === "pass") {
    findings.verdict = "warn";
    findings.summary = diagnosisText("platform.summary.authenticatorOutdated", {
      version: newest,
      minimum: minimumApp,
    });
    findings.userFix.push(diagnosisText("platform.userFix.updateAuthenticator", { minimum: minimumApp }));
  }
  const questions: Parameters<typeof withFollowUps>[2] = [];
  if (authenticators.length === 0) {
    questions.push({
      id: "authenticatorSignedIn",
      blocksWhen: false,
      summary: diagnosisText("platform.summary.authenticatorMissing"),
      userFix: [diagnosisText("platform.userFix.installAuthenticator")],
    });
  }
  if (os === "ios") {
    questions.push({
      id: "registeredInIcloudKeychain",
      blocksWhen: true,
      summary: diagnosisText("platform.summary.icloudKeychain"),
      userFix: [diagnosisText("platform.userFix.useAuthenticatorNotIcloud")],
    });
  } else {
    questions.push({
      id: "severalGoogleAccounts",
      blocksWhen: true,
      verdict: "warn",
      summary: diagnosisText("platform.summary.severalGoogleAccounts"),
      userFix: [diagnosisText("platform.userFix.pickAuthenticatorProvider")],
    });
  }
  return withFollowUps(input, findings, questions);
}

function evaluateCrossDevice(input: TriageInput): Findings {
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

function evaluateSecurityKey(input: TriageInput): Findings {
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
  let outcome: Findings | { missing: LocalizedText };
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
