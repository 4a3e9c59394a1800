import type { PasskeyProfile } from "../../../graph/model.js";
import type { ProfileCheck, Rejection } from "./check-profile.js";
import type { LocalizedText } from "./diagnosis.js";
import { diagnosisText } from "./diagnosis-text.js";
import type { AuthenticatorCandidate } from "./infer-authenticator.js";

/** The admin's changes that would make one profile accept the rejected candidates, one per reason. */
export function profileAdminFixes(
  profile: PasskeyProfile,
  rejected: Array<{ candidate: AuthenticatorCandidate; check: ProfileCheck }>,
) {
  const fixes: LocalizedText[] = [];
  const withReason = (reason: Rejection) => rejected.filter((r) => r.check.rejections.includes(reason));
  const aaguids = (rows: typeof rejected) => [...new Set(rows.map((r) => r.candidate.aaGuid))].join(", ");
  const notAllowed = withReason("notAllowed");
  if (notAllowed.length > 0) {
    fixes.push(
      diagnosisText("authenticator.adminFix.addToAllowList", { aaguids: aaguids(notAllowed), profile: profile.name }),
    );
  }
  const blocked = withReason("blocked");
  if (blocked.length > 0) {
    fixes.push(
      diagnosisText("authenticator.adminFix.removeFromBlockList", { aaguids: aaguids(blocked), profile: profile.name }),
    );
  }
  if (withReason("windowsHelloNotAllowListed").length > 0) {
    fixes.push(diagnosisText("authenticator.adminFix.windowsHelloAllowList", { profile: profile.name }));
  }
  if (withReason("attestation").length > 0) {
    fixes.push(diagnosisText("authenticator.adminFix.turnOffAttestation", { profile: profile.name }));
  }
  const wrongType = withReason("passkeyType");
  if (wrongType.length > 0) {
    fixes.push(
      diagnosisText("authenticator.adminFix.allowPasskeyType", {
        profile: profile.name,
        type: wrongType[0]?.candidate.passkeyType ?? "",
      }),
    );
  }
  return fixes;
}
