import type { MicrosoftAuthenticatorMethod } from "../../../graph/model.js";
import { normalizeAaguid } from "../../authenticators/normalize-aaguid.js";
import { type ProviderRequirements, providerRequirements } from "../../authenticators/provider-requirements.js";
import { describeReadProblem } from "./describe-read-problem.js";
import type { TriageInput } from "./diagnosis.js";
import { diagnosisText } from "./diagnosis-text.js";
import {
  deviceEvidence,
  latestDevice,
  majorVersion,
  type PlatformFindings,
  type PlatformOutcome,
  withFollowUps,
} from "./with-follow-ups.js";

const AUTHENTICATOR_TYPE = "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod";

export const MINIMUM_IOS_MAJOR = 17;
export const MINIMUM_ANDROID_MAJOR = 14;
/** Authenticator versions that offer passkeys for profiles allowing device-bound and synced (graph.md §5). */
export const MINIMUM_AUTHENTICATOR_IOS = "6.8.37";
export const MINIMUM_AUTHENTICATOR_ANDROID = "6.2507.4749";

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split(/[.-]/).map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** The provider the person named (picker, error page, audit event); null when only the platform is known. */
function namedProvider(input: TriageInput): ProviderRequirements | null {
  const aaGuid = normalizeAaguid(input.aaGuid);
  return aaGuid ? providerRequirements(aaGuid, input.catalog.lookup(aaGuid)) : null;
}

/** Question 3 on a phone: the provider's OS minimum, Authenticator's version, and the questions Graph cannot answer. */
export function evaluatePhone(input: TriageInput, os: "ios" | "android"): PlatformOutcome {
  const { snapshot } = input;
  // OS minimums belong to the provider: Authenticator iOS 17 / Android 14, Apple Passwords iOS 16, Google Password
  // Manager Android 9 (passkey-domain.md). Without a named provider, a phone means Microsoft Authenticator.
  const provider = namedProvider(input);
  const isAuthenticator = !provider || provider.kind === "microsoftAuthenticator" || provider.kind === "other";
  if (!snapshot.methods.ok) return { missing: describeReadProblem("methods", snapshot.methods.problem) };
  if (!snapshot.devices.ok) return { missing: describeReadProblem("devices", snapshot.devices.problem) };
  const findings: PlatformFindings = {
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
