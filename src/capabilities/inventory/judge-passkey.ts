import type { Fido2Policy, GraphRead, PasskeyProfile } from "../../graph/model.js";
import type { AuthenticatorCatalog } from "../authenticators/create-authenticator-catalog.js";
import { checkProfile } from "../triage/engine/check-profile.js";
import type { AuthenticatorCandidate } from "../triage/engine/infer-authenticator.js";
import { resolvePasskeyScope } from "../triage/engine/resolve-passkey-scope.js";
import { FAMILY_AAGUIDS, type InventoryPasskey } from "./inventory-user.js";

/** accepted / refused by a profile at sign-in; `unknown` when the report named only the family and its models differ. */
export type SignInVerdict = "accepted" | "refused" | "unknown";

export interface PasskeyJudgement {
  /** Profile names that accept this passkey at sign-in now. */
  acceptedBy: string[];
  refusedBy: string[];
  /** Over the profiles in the owner's scope: accepted by at least one, refused by all, or not decidable. */
  verdict: SignInVerdict;
  /** The owner is in no profile's scope at all (excluded, not included, method off). */
  isOutOfScope: boolean;
}

/** The models a passkey can be: its AAGUID, or every AAGUID of the family the report named. */
function candidatesOf(
  passkey: InventoryPasskey,
  catalog: Pick<AuthenticatorCatalog, "lookup">,
): AuthenticatorCandidate[] {
  const ids = passkey.aaGuid ? [passkey.aaGuid] : passkey.family ? [...FAMILY_AAGUIDS[passkey.family]] : [];
  return ids.map((aaGuid) => {
    const facts = catalog.lookup(aaGuid);
    return {
      aaGuid,
      name: facts?.name ?? null,
      passkeyType: (passkey.passkeyType as "deviceBound" | "synced" | null) ?? facts?.passkeyType ?? null,
      // Attestation is checked at registration only (graph.md §6): at sign-in it never refuses a passkey.
      canAttest: true,
      facts,
    };
  });
}

/**
 * Does this profile accept the passkey at sign-in? The triage's own profile rule (checkProfile) decides; a passkey
 * the report named only by family (Authenticator on iOS or Android) is accepted when every model of the family is,
 * refused when none is. A synced passkey of an unnamed provider is decided by its type, or unknown under an allow list.
 */
export function judgeProfile(
  profile: PasskeyProfile,
  passkey: InventoryPasskey,
  catalog: Pick<AuthenticatorCatalog, "lookup">,
): SignInVerdict {
  const candidates = candidatesOf(passkey, catalog);
  if (candidates.length === 0) {
    const types = profile.passkeyTypes.toLowerCase();
    if (passkey.passkeyType && !types.includes(passkey.passkeyType.toLowerCase())) return "refused";
    const restrictions = profile.keyRestrictions;
    if (restrictions?.isEnforced && restrictions.enforcementType === "allow") return "unknown";
    return "accepted";
  }
  const results = candidates.map((candidate) => checkProfile(profile, candidate));
  if (results.every((result) => result.accepts === true)) return "accepted";
  if (results.every((result) => result.accepts === false)) return "refused";
  return "unknown";
}

/** The passkey against every profile in its owner's scope (policy targets and transitive membership, as the triage). */
export function judgePasskey(
  passkey: InventoryPasskey,
  ownerId: string,
  fido2: GraphRead<Fido2Policy>,
  memberOfGroupIds: string[],
  catalog: Pick<AuthenticatorCatalog, "lookup">,
): PasskeyJudgement {
  const scope = resolvePasskeyScope(fido2, { ok: true, value: memberOfGroupIds }, ownerId);
  if (scope.kind !== "included") {
    return {
      acceptedBy: [],
      refusedBy: [],
      verdict: scope.kind === "unreadable" ? "unknown" : "refused",
      isOutOfScope: true,
    };
  }
  const acceptedBy: string[] = [];
  const refusedBy: string[] = [];
  let unknown = false;
  for (const profile of scope.profiles) {
    const verdict = judgeProfile(profile, passkey, catalog);
    if (verdict === "accepted") acceptedBy.push(profile.name);
    else if (verdict === "refused") refusedBy.push(profile.name);
    else unknown = true;
  }
  const verdict: SignInVerdict = acceptedBy.length > 0 ? "accepted" : unknown ? "unknown" : "refused";
  return { acceptedBy, refusedBy, verdict, isOutOfScope: false };
}
