import type { EvolvableEnum } from "./evolvable-enum.js";

/** `fido2KeyRestrictions` */
export interface Fido2KeyRestrictions {
  isEnforced: boolean | null;
  enforcementType: EvolvableEnum<"allow" | "block"> | null;
  aaGuids: string[] | null;
}

/** `passkeyProfile` — `passkeyTypes` is a flags enum serialized as a comma-separated string ("deviceBound,synced"). */
export interface PasskeyProfile {
  id: string;
  name: string;
  passkeyTypes: string;
  attestationEnforcement: EvolvableEnum<"disabled" | "registrationOnly">;
  keyRestrictions: Fido2KeyRestrictions | null;
}

/** `authenticationMethodTarget` / `passkeyAuthenticationMethodTarget`; `id` is a group id or the literal `all_users`. */
export interface AuthenticationMethodTarget {
  id: string;
  targetType: EvolvableEnum<"group" | "user">;
  isRegistrationRequired?: boolean;
  /** Only on passkey targets: the profile ids that apply to members of this target. */
  allowedPasskeyProfiles?: string[] | null;
}

/** `excludeTarget` */
export interface ExcludeTarget {
  id: string;
  targetType: EvolvableEnum<"group" | "user">;
}

/** `fido2AuthenticationMethodConfiguration` (GET …/authenticationMethodConfigurations/fido2). */
export interface Fido2Policy {
  id: string;
  state: EvolvableEnum<"enabled" | "disabled">;
  isSelfServiceRegistrationAllowed: boolean | null;
  /** Deprecated by Microsoft (removal 2027-10-15); mirrors the default profile. Read only when profiles are absent. */
  isAttestationEnforced: boolean | null;
  /** Deprecated by Microsoft (removal 2027-10-15); mirrors the default profile. Read only when profiles are absent. */
  keyRestrictions: Fido2KeyRestrictions | null;
  defaultPasskeyProfile: string | null;
  includeTargets: AuthenticationMethodTarget[];
  excludeTargets: ExcludeTarget[];
  passkeyProfiles: PasskeyProfile[] | null;
}

/** `temporaryAccessPassAuthenticationMethodConfiguration` */
export interface TemporaryAccessPassPolicy {
  id: string;
  state: EvolvableEnum<"enabled" | "disabled">;
  defaultLifetimeInMinutes: number | null;
  minimumLifetimeInMinutes: number | null;
  maximumLifetimeInMinutes: number | null;
  /** true ⇒ every TAP in the tenant is one-time. */
  isUsableOnce: boolean | null;
  defaultLength: number | null;
  includeTargets: AuthenticationMethodTarget[];
  excludeTargets: ExcludeTarget[];
}
