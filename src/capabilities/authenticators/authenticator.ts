/**
 * What the triage needs to know about an authenticator make and model, keyed by its AAGUID. Names alone (as in
 * FIDO metadata) are not enough: question 4 turns on whether the authenticator can attest and which passkey type
 * it creates.
 */

/** platform = built into the OS (Windows Hello); phone = an app holding the key on a phone (Microsoft Authenticator). */
export type AuthenticatorKind = "platform" | "securityKey" | "phone" | "syncedProvider";

export type AuthenticatorPlatform = "windows" | "ios" | "android" | "macos" | "any";

/**
 * `attested`: presents an attestation statement Entra can validate. `none`: cannot (synced passkeys, Windows Hello,
 * software providers outside FIDO MDS). `inAppOnly`: attests only when the passkey is created inside the app itself,
 * not cross-device (Microsoft Authenticator).
 */
export type AttestationCapability = "attested" | "none" | "inAppOnly";

export type PasskeyType = "deviceBound" | "synced";

export interface AuthenticatorFacts {
  /** Lower-case, hyphenated. */
  aaGuid: string;
  name: string;
  source: string;
  kind: AuthenticatorKind;
  platform: AuthenticatorPlatform;
  passkeyType: PasskeyType;
  attestation: AttestationCapability;
  /** FIDO MDS reports a key compromise or user-verification bypass for this model. */
  isCompromised?: boolean;
}

/** The AAGUIDs Entra's "Add AAGUID › Windows Hello" picker inserts (graph.md §9). */
export const WINDOWS_HELLO_AAGUIDS: readonly string[] = [
  "08987058-cadc-4b81-b6e1-30de50dcbe96",
  "9ddd1817-af5a-4672-a2b9-3e3dd95000a9",
  "6028b017-b1d4-4c02-b4b3-afcdafc96bb2",
];

export const MICROSOFT_AUTHENTICATOR_IOS_AAGUID = "90a3ccdf-635c-4729-a248-9b709135078f";
export const MICROSOFT_AUTHENTICATOR_ANDROID_AAGUID = "de1e552d-db1d-4423-a619-566b625cdc84";

/** Windows Hello's own AAGUIDs, including the VBS software variant the catalog knows beyond the portal's three. */
const WINDOWS_HELLO_FAMILY: ReadonlySet<string> = new Set([
  ...WINDOWS_HELLO_AAGUIDS,
  "6e96969e-a5cf-4aad-9b56-305fe6c82795",
]);

/** A Windows Hello passkey (not a third-party Windows authenticator): Entra accepts it only from an explicit allow list. */
export function isWindowsHelloAaguid(aaGuid: string): boolean {
  return WINDOWS_HELLO_FAMILY.has(aaGuid.toLowerCase());
}
