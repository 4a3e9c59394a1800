import type { EvolvableEnum } from "./evolvable-enum.js";

interface MethodBase {
  id: string;
  createdDateTime?: string | null;
}

/** `fido2AuthenticationMethod` */
export interface Fido2Method extends MethodBase {
  "@odata.type": "#microsoft.graph.fido2AuthenticationMethod";
  displayName: string | null;
  aaGuid: string | null;
  model: string | null;
  attestationCertificates: string[] | null;
  attestationLevel: EvolvableEnum<"attested" | "notAttested"> | null;
  passkeyType?: EvolvableEnum<"deviceBound" | "synced"> | null;
}

/** `windowsHelloForBusinessAuthenticationMethod` */
export interface WindowsHelloForBusinessMethod extends MethodBase {
  "@odata.type": "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod";
  displayName: string | null;
  keyStrength: EvolvableEnum<"normal" | "weak" | "unknown"> | null;
}

/** `microsoftAuthenticatorAuthenticationMethod` */
export interface MicrosoftAuthenticatorMethod extends MethodBase {
  "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod";
  displayName: string | null;
  deviceTag: string | null;
  phoneAppVersion: string | null;
}

/** `phoneAuthenticationMethod` */
export interface PhoneMethod extends MethodBase {
  "@odata.type": "#microsoft.graph.phoneAuthenticationMethod";
  phoneNumber: string | null;
  phoneType: EvolvableEnum<"mobile" | "alternateMobile" | "office"> | null;
  smsSignInState: string | null;
}

/**
 * `temporaryAccessPassAuthenticationMethod`. `temporaryAccessPass` holds the code only in the create response;
 * every read returns null. The bot never stores it.
 */
export interface TemporaryAccessPassMethod extends MethodBase {
  "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethod";
  temporaryAccessPass: string | null;
  startDateTime: string | null;
  lifetimeInMinutes: number | null;
  isUsableOnce: boolean | null;
  isUsable: boolean | null;
  methodUsabilityReason: EvolvableEnum<
    "EnabledByPolicy" | "DisabledByPolicy" | "Expired" | "NotYetValid" | "OneTimeUsed"
  > | null;
}

/** Any other method type (password, email, software OATH, platform credential, …), kept by its `@odata.type`. */
export interface OtherMethod extends MethodBase {
  "@odata.type": string;
  [property: string]: unknown;
}

export type AuthenticationMethod =
  | Fido2Method
  | WindowsHelloForBusinessMethod
  | MicrosoftAuthenticatorMethod
  | PhoneMethod
  | TemporaryAccessPassMethod
  | OtherMethod;

/** `userRegistrationDetails` (GET /reports/authenticationMethods/userRegistrationDetails/{id}). Not real-time. */
export interface UserRegistrationDetails {
  id: string;
  userPrincipalName: string;
  userDisplayName: string;
  userType: EvolvableEnum<"member" | "guest">;
  isAdmin: boolean | null;
  isMfaCapable: boolean;
  isMfaRegistered: boolean;
  isPasswordlessCapable: boolean;
  isSsprCapable: boolean;
  isSsprEnabled: boolean;
  isSsprRegistered: boolean;
  isSystemPreferredAuthenticationMethodEnabled: boolean | null;
  systemPreferredAuthenticationMethods: string[] | null;
  userPreferredMethodForSecondaryAuthentication: string | null;
  methodsRegistered: string[];
  lastUpdatedDateTime: string | null;
}

/** `methodsRegistered` values (userRegistrationDetails) that count as phishing-resistant. */
export const PHISHING_RESISTANT_METHODS_REGISTERED: readonly string[] = [
  "passKeyDeviceBound",
  "passKeyDeviceBoundAuthenticator",
  "passKeyDeviceBoundWindowsHello",
  "passKeySynced",
  "fido2SecurityKey",
  "fido2",
  "windowsHelloForBusiness",
  "macOsSecureEnclaveKey",
];
