import type { Link, LocalizedText } from "./diagnosis.js";

/** Every key of src/locales/en/diagnosis.json: the compiler refuses a key the table does not have. */
export type DiagnosisKey = keyof typeof import("../../../locales/en/diagnosis.json");

export function diagnosisText(key: DiagnosisKey, params?: Record<string, string | number>): LocalizedText {
  return params ? { key, params } : { key };
}

/**
 * The full locale key of an engine text: the engine and its table tests name texts relative to the `diagnosis`
 * namespace (typed by DiagnosisKey); this is the one place such a key meets the locale tables ("diagnosis.<key>").
 */
export function diagnosisLocaleKey(text: LocalizedText): string {
  return `diagnosis.${text.key}`;
}

/** Where a person adds a passkey themselves (Microsoft's My Sign-Ins, Security info page). */
export const MY_SECURITY_INFO_URL = "https://mysignins.microsoft.com/security-info";
export const ENTRA_AUTHENTICATION_METHODS_URL =
  "https://entra.microsoft.com/#view/Microsoft_AAD_IAM/AuthenticationMethodsMenuBlade/~/AdminAuthMethods";
export const ENTRA_USERS_URL =
  "https://entra.microsoft.com/#view/Microsoft_AAD_UsersAndTenants/UserManagementMenuBlade/~/AllUsers";
export const ENTRA_CONDITIONAL_ACCESS_URL =
  "https://entra.microsoft.com/#view/Microsoft_AAD_ConditionalAccess/ConditionalAccessBlade/~/Policies";
export const PASSKEY_POLICY_DOCS_URL =
  "https://learn.microsoft.com/entra/identity/authentication/how-to-enable-passkey-fido2";

export const LINKS = {
  mySecurityInfo: { title: diagnosisText("link.mySecurityInfo"), url: MY_SECURITY_INFO_URL },
  passkeyPolicy: { title: diagnosisText("link.passkeyPolicy"), url: ENTRA_AUTHENTICATION_METHODS_URL },
  tapPolicy: { title: diagnosisText("link.tapPolicy"), url: ENTRA_AUTHENTICATION_METHODS_URL },
  userMethods: { title: diagnosisText("link.userMethods"), url: ENTRA_USERS_URL },
  passkeyDocs: { title: diagnosisText("link.passkeyDocs"), url: PASSKEY_POLICY_DOCS_URL },
  conditionalAccess: { title: diagnosisText("link.conditionalAccess"), url: ENTRA_CONDITIONAL_ACCESS_URL },
} satisfies Record<string, Link>;
