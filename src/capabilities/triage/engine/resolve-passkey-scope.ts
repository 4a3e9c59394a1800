import type {
  AuthenticationMethodTarget,
  ExcludeTarget,
  Fido2Policy,
  GraphRead,
  PasskeyProfile,
} from "../../../graph/model.js";
import { matchPolicyTargets } from "./match-policy-targets.js";

/** Stands in for the profiles of a policy that predates them: the deprecated top-level fields are the only profile. */
export const LEGACY_PROFILE_ID = "legacy-policy";

export type PasskeyScope =
  | { kind: "unreadable"; subject: "fido2Policy" | "groupMembership" }
  | { kind: "disabled"; policy: Fido2Policy; allProfiles: PasskeyProfile[] }
  | { kind: "excluded"; policy: Fido2Policy; by: ExcludeTarget[]; allProfiles: PasskeyProfile[] }
  | { kind: "notIncluded"; policy: Fido2Policy; allProfiles: PasskeyProfile[] }
  | {
      kind: "included";
      policy: Fido2Policy;
      by: AuthenticationMethodTarget[];
      /** The profiles of every matching include target; a passkey is accepted when it satisfies any one. */
      profiles: PasskeyProfile[];
      allProfiles: PasskeyProfile[];
      isLegacy: boolean;
    };

function profilesOf(policy: Fido2Policy): { profiles: PasskeyProfile[]; isLegacy: boolean } {
  if (policy.passkeyProfiles && policy.passkeyProfiles.length > 0) {
    return { profiles: policy.passkeyProfiles, isLegacy: false };
  }
  return {
    isLegacy: true,
    profiles: [
      {
        id: LEGACY_PROFILE_ID,
        name: "Passkey (FIDO2)",
        // Before profiles existed Entra accepted device-bound passkeys only.
        passkeyTypes: "deviceBound",
        attestationEnforcement: policy.isAttestationEnforced ? "registrationOnly" : "disabled",
        keyRestrictions: policy.keyRestrictions,
      },
    ],
  };
}

/** Which passkey profiles apply to this user under the Passkey (FIDO2) policy (graph.md §3.2, steps 1–3). */
export function resolvePasskeyScope(
  fido2: GraphRead<Fido2Policy>,
  memberOfGroupIds: GraphRead<string[]>,
  userId: string,
): PasskeyScope {
  if (!fido2.ok) return { kind: "unreadable", subject: "fido2Policy" };
  const policy = fido2.value;
  const { profiles: allProfiles, isLegacy } = profilesOf(policy);
  if (policy.state !== "enabled") return { kind: "disabled", policy, allProfiles };
  const match = matchPolicyTargets(policy.includeTargets ?? [], policy.excludeTargets ?? [], userId, memberOfGroupIds);
  switch (match.kind) {
    case "membershipUnknown":
      return { kind: "unreadable", subject: "groupMembership" };
    case "excluded":
      return { kind: "excluded", policy, by: match.by, allProfiles };
    case "notIncluded":
      return { kind: "notIncluded", policy, allProfiles };
    case "included": {
      if (isLegacy) return { kind: "included", policy, by: match.by, profiles: allProfiles, allProfiles, isLegacy };
      const ids = new Set<string>();
      for (const target of match.by) {
        const named = target.allowedPasskeyProfiles ?? [];
        // A target that names no profile gets the default one.
        for (const id of named.length > 0 ? named : [policy.defaultPasskeyProfile ?? ""]) ids.add(id.toLowerCase());
      }
      const profiles = allProfiles.filter((p) => ids.has(p.id.toLowerCase()));
      return { kind: "included", policy, by: match.by, profiles, allProfiles, isLegacy };
    }
  }
}
