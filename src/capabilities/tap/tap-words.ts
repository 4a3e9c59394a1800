import { type LocalizedText, localizedText } from "../../cards/localized-text.js";
import type { IdentityVerificationMethod, TapFailure, TapRequestStatus, TargetConfirmation } from "./tap-request.js";

/**
 * The TAP words picked by a value (a request's status, how identity was verified, the target's confirmation, a
 * failure), as full locale keys of the `tap` namespace: a key is written out where it is used, as everywhere else.
 */
const STATUS_NAMES: Record<TapRequestStatus, string> = {
  requested: "tap.statusNameRequested",
  confirmed: "tap.statusNameConfirmed",
  approved: "tap.statusNameApproved",
  issuing: "tap.statusNameIssuing",
  issued: "tap.statusNameIssued",
  denied: "tap.statusNameDenied",
  expired: "tap.statusNameExpired",
  failed: "tap.statusNameFailed",
  cancelled: "tap.statusNameCancelled",
};

const VERIFICATIONS: Record<IdentityVerificationMethod, string> = {
  videoCallPhotoId: "tap.verifyVideoCallPhotoId",
  inPersonBadge: "tap.verifyInPersonBadge",
  callBackNumberOnFile: "tap.verifyCallBackNumberOnFile",
  managerVouchedInPerson: "tap.verifyManagerVouchedInPerson",
};

const CONFIRMATIONS: Record<TargetConfirmation, string> = {
  pending: "tap.confirmationPending",
  confirmed: "tap.confirmationConfirmed",
  unreachable: "tap.confirmationUnreachable",
};

/** "approved", "denied"…: a request's status in words. */
export const statusNameText = (status: TapRequestStatus): LocalizedText => localizedText(STATUS_NAMES[status]);

/** How the agent verified the target's identity, in words. */
export const verificationText = (method: IdentityVerificationMethod): LocalizedText =>
  localizedText(VERIFICATIONS[method]);

/** Whether the target confirmed in Teams, in words. */
export const confirmationText = (confirmation: TargetConfirmation): LocalizedText =>
  localizedText(CONFIRMATIONS[confirmation]);

/** "Yes" / "No". */
export const yesNoText = (yes: boolean): LocalizedText => localizedText(yes ? "tap.yes" : "tap.no");

/**
 * A failure's sentence. The request stores the failure's short name ("targetGone", tap-failure-of.ts) with its
 * parameters; its sentence is `tap.failure<Name>`.
 */
export function failureText(failure: Pick<TapFailure, "key" | "params"> | null | undefined): LocalizedText {
  const name = failure?.key || "unknown";
  return localizedText(`tap.failure${name.charAt(0).toUpperCase()}${name.slice(1)}`, failure?.params);
}
