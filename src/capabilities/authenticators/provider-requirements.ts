import {
  type AuthenticatorFacts,
  isWindowsHelloAaguid,
  MICROSOFT_AUTHENTICATOR_ANDROID_AAGUID,
  MICROSOFT_AUTHENTICATOR_IOS_AAGUID,
} from "./authenticator.js";
import { normalizeAaguid } from "./normalize-aaguid.js";

/**
 * The passkey provider an AAGUID names, and the operating-system minimums that belong to that provider
 * (passkey-domain.md "Synced passkeys and third-party providers", graph.md §5): Microsoft Authenticator needs iOS 17 /
 * Android 14; Apple Passwords (iCloud Keychain) iOS 16 / macOS 13; Google Password Manager Android 9; third-party
 * providers plug into the operating system's credential-provider interface, which arrived in iOS 17 / Android 14.
 */
export type ProviderKind =
  | "microsoftAuthenticator"
  | "applePasswords"
  | "googlePasswordManager"
  | "passwordManager"
  | "windowsHello"
  | "securityKey"
  | "other";

export interface ProviderRequirements {
  kind: ProviderKind;
  /** Lowest major OS version on which this provider can hold a passkey; null when it does not run there. */
  minimumIos: number | null;
  minimumAndroid: number | null;
  minimumMacos: number | null;
  /** A password manager keeps the passkey it made even when Entra refuses it: the person must delete the orphan. */
  keepsOrphanWhenRejected: boolean;
}

const APPLE_PASSWORDS = new Set(["fbfc3007-154e-4ecc-8c0b-6e020557d7bd", "dd4ec289-e01d-41c9-bb89-70fa845d4bf2"]);
const GOOGLE_PASSWORD_MANAGER = "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4";

/** The all-zero AAGUID: some platforms send it with "none" attestation, so it names no model and proves nothing. */
export const ZERO_AAGUID = "00000000-0000-0000-0000-000000000000";

export function providerRequirements(aaGuid: string, facts: AuthenticatorFacts | null): ProviderRequirements {
  const id = normalizeAaguid(aaGuid) ?? aaGuid;
  const base = { minimumIos: null, minimumAndroid: null, minimumMacos: null, keepsOrphanWhenRejected: false };
  if (id === MICROSOFT_AUTHENTICATOR_IOS_AAGUID) return { ...base, kind: "microsoftAuthenticator", minimumIos: 17 };
  if (id === MICROSOFT_AUTHENTICATOR_ANDROID_AAGUID) {
    return { ...base, kind: "microsoftAuthenticator", minimumAndroid: 14 };
  }
  if (APPLE_PASSWORDS.has(id)) return { ...base, kind: "applePasswords", minimumIos: 16, minimumMacos: 13 };
  if (id === GOOGLE_PASSWORD_MANAGER) return { ...base, kind: "googlePasswordManager", minimumAndroid: 9 };
  if (facts?.kind === "syncedProvider") {
    return { ...base, kind: "passwordManager", minimumIos: 17, minimumAndroid: 14, keepsOrphanWhenRejected: true };
  }
  if (isWindowsHelloAaguid(id)) return { ...base, kind: "windowsHello" };
  if (facts?.kind === "securityKey") return { ...base, kind: "securityKey" };
  return { ...base, kind: "other" };
}
