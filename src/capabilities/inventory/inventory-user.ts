import type {
  AuthenticationMethod,
  DirectoryUser,
  Fido2Method,
  GraphRead,
  TemporaryAccessPassMethod,
  UserRegistrationDetails,
} from "../../graph/model.js";
import {
  MICROSOFT_AUTHENTICATOR_ANDROID_AAGUID,
  MICROSOFT_AUTHENTICATOR_IOS_AAGUID,
  WINDOWS_HELLO_AAGUIDS,
} from "../authenticators/authenticator.js";
import { normalizeAaguid } from "../authenticators/normalize-aaguid.js";

/** Where a passkey's details came from: its fido2Methods entry, or only the registration report's method name. */
export type PasskeySource = "fido2Methods" | "report";

/** The authenticator family the registration report names without an AAGUID. */
export type ReportedFamily = "authenticator" | "windowsHello" | "synced";

export interface InventoryPasskey {
  id: string | null;
  displayName: string | null;
  /** Lower-case; null when only the report named the family (Authenticator on iOS or Android, a synced provider). */
  aaGuid: string | null;
  /** AAGUIDs this passkey can be, when the report names the family but not the model. */
  family: ReportedFamily | null;
  model: string | null;
  passkeyType: string | null;
  attestationLevel: string | null;
  createdDateTime: string | null;
  source: PasskeySource;
}

/** One person in the inventory: the registration report's row (or, for disabled accounts, the directory's) and passkeys. */
export interface InventoryUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  userType: string;
  accountEnabled: boolean;
  isAdmin: boolean;
  isMfaCapable: boolean;
  methodsRegistered: string[];
  passkeys: InventoryPasskey[];
  /** Why passkey details are missing (a permission, throttling, an outage); null when nothing is missing. */
  readProblem: string | null;
  /**
   * The person's TAPs as Graph reports them (never the code), read only when the report lists a TAP: the report
   * cannot tell a usable TAP from an expired or used one.
   */
  temporaryAccessPasses?: TemporaryAccessPassMethod[];
}

/** Report names whose authenticator the report itself identifies; the others need the user's fido2Methods. */
const FAMILY_BY_METHOD: Record<string, ReportedFamily> = {
  passKeyDeviceBoundAuthenticator: "authenticator",
  passKeyDeviceBoundWindowsHello: "windowsHello",
  passKeySynced: "synced",
};
/** Security keys and generic device-bound passkeys: the report cannot name the model. */
const UNNAMED_PASSKEY_METHODS = new Set(["passKeyDeviceBound", "fido2SecurityKey", "fido2"]);

export const FAMILY_AAGUIDS: Record<ReportedFamily, readonly string[]> = {
  authenticator: [MICROSOFT_AUTHENTICATOR_IOS_AAGUID, MICROSOFT_AUTHENTICATOR_ANDROID_AAGUID],
  windowsHello: WINDOWS_HELLO_AAGUIDS,
  synced: [],
};

/** True when only the user's fido2Methods can tell which authenticator holds a passkey. */
export function needsPasskeyRead(methodsRegistered: readonly string[]): boolean {
  return methodsRegistered.some((method) => UNNAMED_PASSKEY_METHODS.has(method));
}

function fromFido2(method: Fido2Method): InventoryPasskey {
  return {
    id: method.id,
    displayName: method.displayName,
    aaGuid: normalizeAaguid(method.aaGuid),
    family: null,
    model: method.model,
    passkeyType: method.passkeyType ?? null,
    attestationLevel: method.attestationLevel,
    createdDateTime: method.createdDateTime ?? null,
    source: "fido2Methods",
  };
}

function fromReport(method: string): InventoryPasskey | null {
  const family = FAMILY_BY_METHOD[method];
  if (!family) return null;
  const single = FAMILY_AAGUIDS[family].length === 1 ? (FAMILY_AAGUIDS[family][0] as string) : null;
  return {
    id: null,
    displayName: null,
    aaGuid: single,
    family,
    model: null,
    passkeyType: family === "synced" ? "synced" : "deviceBound",
    attestationLevel: null,
    createdDateTime: null,
    source: "report",
  };
}

/**
 * A person's inventory row from their registration report entry, plus their fido2Methods when they were read (then the
 * fido2Methods list is complete and replaces what the report says about passkeys).
 */
export function inventoryUserFromReport(
  details: UserRegistrationDetails,
  passkeys: GraphRead<Fido2Method[]> | null,
): InventoryUser {
  const methodsRegistered = [...(details.methodsRegistered ?? [])];
  let list: InventoryPasskey[];
  let readProblem: string | null = null;
  if (passkeys?.ok) list = passkeys.value.map(fromFido2);
  else {
    if (passkeys && !passkeys.ok) readProblem = passkeys.problem.kind;
    list = methodsRegistered.map(fromReport).filter((p): p is InventoryPasskey => p !== null);
  }
  return {
    id: details.id,
    userPrincipalName: details.userPrincipalName,
    displayName: details.userDisplayName,
    userType: details.userType,
    accountEnabled: true,
    isAdmin: details.isAdmin === true,
    isMfaCapable: details.isMfaCapable,
    methodsRegistered,
    passkeys: list,
    readProblem,
  };
}

/** The report's method name for each method type, for disabled accounts whose methods were read directly. */
const REPORT_NAME_BY_TYPE: Record<string, string> = {
  "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod": "microsoftAuthenticatorPush",
  "#microsoft.graph.softwareOathAuthenticationMethod": "softwareOneTimePasscode",
  "#microsoft.graph.hardwareOathAuthenticationMethod": "hardwareOneTimePasscode",
  "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod": "windowsHelloForBusiness",
  "#microsoft.graph.platformCredentialAuthenticationMethod": "macOsSecureEnclaveKey",
  "#microsoft.graph.temporaryAccessPassAuthenticationMethod": "temporaryAccessPass",
  "#microsoft.graph.emailAuthenticationMethod": "email",
};

/**
 * A disabled account (absent from the registration report) from the directory and its methods list, which carries
 * every passkey with its AAGUID and every TAP with its usability.
 */
export function inventoryUserFromMethods(
  user: DirectoryUser,
  methods: GraphRead<AuthenticationMethod[]>,
): InventoryUser {
  const methodsRegistered = new Set<string>();
  const passkeys: InventoryPasskey[] = [];
  const temporaryAccessPasses: TemporaryAccessPassMethod[] = [];
  for (const method of methods.ok ? methods.value : []) {
    const type = method["@odata.type"];
    if (type === "#microsoft.graph.temporaryAccessPassAuthenticationMethod") {
      // The list carries each TAP's usability (never its code), so ring readiness need not read it again.
      temporaryAccessPasses.push({ ...(method as TemporaryAccessPassMethod), temporaryAccessPass: null });
    }
    if (type === "#microsoft.graph.fido2AuthenticationMethod") {
      const passkey = fromFido2(method as Fido2Method);
      passkeys.push(passkey);
      methodsRegistered.add(passkey.passkeyType === "synced" ? "passKeySynced" : "passKeyDeviceBound");
    } else if (type === "#microsoft.graph.phoneAuthenticationMethod") {
      const phoneType = (method as { phoneType?: string }).phoneType;
      methodsRegistered.add(
        phoneType === "alternateMobile"
          ? "alternateMobilePhone"
          : phoneType === "office"
            ? "officePhone"
            : "mobilePhone",
      );
    } else if (REPORT_NAME_BY_TYPE[type]) methodsRegistered.add(REPORT_NAME_BY_TYPE[type] as string);
  }
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    displayName: user.displayName ?? user.userPrincipalName,
    userType: (user.userType ?? "Member").toLowerCase(),
    accountEnabled: false,
    isAdmin: false,
    isMfaCapable: false,
    methodsRegistered: [...methodsRegistered],
    passkeys,
    readProblem: methods.ok ? null : methods.problem.kind,
    ...(temporaryAccessPasses.length > 0 ? { temporaryAccessPasses } : {}),
  };
}
