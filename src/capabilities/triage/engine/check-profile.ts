import type { PasskeyProfile } from "../../../graph/model.js";
import { isWindowsHelloAaguid } from "../../authenticators/authenticator.js";
import { normalizeAaguid } from "../../authenticators/normalize-aaguid.js";
import type { AuthenticatorCandidate } from "./infer-authenticator.js";

export type Rejection = "passkeyType" | "attestation" | "notAllowed" | "blocked" | "windowsHelloNotAllowListed";

export interface ProfileCheck {
  profile: PasskeyProfile;
  /** true accepts, false rejects, null: depends on a fact the catalog does not have. */
  accepts: boolean | null;
  rejections: Rejection[];
}

export function passkeyTypesOf(profile: PasskeyProfile): Set<string> {
  return new Set(
    profile.passkeyTypes
      .split(",")
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean),
  );
}

/**
 * graph.md §3.2 step 5: type in passkeyTypes, attestation when enforced, allow/block list compared lower-case.
 * Windows Hello passkeys need more than "not blocked": only a profile whose key restrictions explicitly allow-list
 * their AAGUIDs accepts them (Microsoft's "Entra passkeys on Windows" required configuration, graph.md §5).
 * `signIn` judges an already registered passkey: key restrictions and types apply at sign-in, attestation does not.
 */
export function checkProfile(
  profile: PasskeyProfile,
  candidate: AuthenticatorCandidate,
  stage: "registration" | "signIn" = "registration",
): ProfileCheck {
  const rejections: Rejection[] = [];
  let uncertain = false;
  const types = passkeyTypesOf(profile);
  if (candidate.passkeyType === null) uncertain ||= !(types.has("devicebound") && types.has("synced"));
  else if (!types.has(candidate.passkeyType.toLowerCase())) rejections.push("passkeyType");
  if (stage === "registration" && profile.attestationEnforcement === "registrationOnly") {
    if (candidate.canAttest === false) rejections.push("attestation");
    if (candidate.canAttest === null) uncertain = true;
  }
  const restrictions = profile.keyRestrictions;
  if (restrictions?.isEnforced) {
    const listed = (restrictions.aaGuids ?? []).some((id) => normalizeAaguid(id) === candidate.aaGuid);
    if (restrictions.enforcementType === "allow" && !listed) rejections.push("notAllowed");
    if (restrictions.enforcementType === "block" && listed) rejections.push("blocked");
  }
  const isExplicitlyAllowed = restrictions?.isEnforced === true && restrictions.enforcementType === "allow";
  if (isWindowsHelloAaguid(candidate.aaGuid) && !isExplicitlyAllowed) rejections.push("windowsHelloNotAllowListed");
  const accepts = rejections.length > 0 ? false : uncertain ? null : true;
  return { profile, accepts, rejections };
}
