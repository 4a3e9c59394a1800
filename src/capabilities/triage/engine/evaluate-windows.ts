import type { DirectoryDevice, WindowsHelloForBusinessMethod } from "../../../graph/model.js";
import { describeReadProblem } from "./describe-read-problem.js";
import type { TriageInput } from "./diagnosis.js";
import { diagnosisText, LINKS } from "./diagnosis-text.js";
import {
  deviceEvidence,
  latestDevice,
  majorVersion,
  type PlatformFindings,
  type PlatformOutcome,
  withFollowUps,
} from "./with-follow-ups.js";

const WHFB_TYPE = "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod";
/** Entra joined, hybrid joined, registered: the device states in which a WHfB key blocks a Windows Hello passkey. */
const DEVICE_TRUST_TYPES = new Set(["azuread", "serverad", "workplace"]);

/** Question 3 on Windows: Windows 10+, no Windows Hello for Business key in the way, PIN and TPM (asked). */
export function evaluateWindows(input: TriageInput): PlatformOutcome {
  const { snapshot } = input;
  if (!snapshot.methods.ok) return { missing: describeReadProblem("methods", snapshot.methods.problem) };
  const whfb = snapshot.methods.value.filter((m): m is WindowsHelloForBusinessMethod => m["@odata.type"] === WHFB_TYPE);
  const findings: PlatformFindings = {
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
