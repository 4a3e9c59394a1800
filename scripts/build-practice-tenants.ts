import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { AAGUID, BOT_APP_ID, practiceApplications, registrationDetailsOf } from "../src/emulator/synthetic-tenant.js";
import type {
  PersonaExpectation,
  PersonaScenario,
  TenantFile,
  TenantPersona,
  TenantUser,
} from "../src/emulator/tenant-file.js";

/**
 * Builds the practice tenant "Contoso (practice)" and its self-service-off variant. The JSON files in tenants/ are
 * this script's output (a test keeps them equal); edit here, then run `npx tsx scripts/build-practice-tenants.ts`.
 * Every id is derived from a stable name, so rebuilding changes nothing unless the data changed.
 * What each persona exercises and the answers the bot must give: docs/personas.md.
 */

export const PRACTICE_TENANT_ID = "7d3e5a2c-1b4f-4c8e-9a6d-2f0b8c4e6a10";
export const PRACTICE_DOMAIN = "contosopractice.onmicrosoft.com";
export const CAPTURED_DATE_TIME = "2026-11-20T10:00:00Z";

const TEAMS_APP_ID = "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b";
const PASSWORD_METHOD_ID = "28c10230-6103-485e-b985-444c60001490";
const MOBILE_PHONE_METHOD_ID = "3179e48a-750b-4051-897c-87b9720928f7";
const MY_SIGNINS_APP = { appId: "19db86c3-b2b9-44cc-b339-36da233a3be2", appDisplayName: "My Signins" };
const TEAMS_CLIENT_APP = { appId: "1fec8e78-bce4-4aaf-ab1b-5451cc387264", appDisplayName: "Microsoft Teams" };
const OFFICE_HOME_APP = { appId: "4765445b-32c6-49b0-83e6-1d93765276ca", appDisplayName: "OfficeHome" };
const FABRIKAM_TENANT_ID = "b8a3f0c2-6d1e-4f7a-9c2b-3e4d5f6a7b8c";

export const GROUP_IDS = {
  helpdeskAgents: "0a11e3b0-0000-4000-8000-000000000001",
  helpdeskAdmins: "0a11e3b0-0000-4000-8000-000000000002",
  tapApprovers: "0a11e3b0-0000-4000-8000-000000000003",
  pilotRing: "0a11e3b0-0000-4000-8000-000000000010",
  windowsHelloRing: "0a11e3b0-0000-4000-8000-000000000011",
  securityKeyRing: "0a11e3b0-0000-4000-8000-000000000012",
  passkeyExcluded: "0a11e3b0-0000-4000-8000-000000000013",
  tapEligible: "0a11e3b0-0000-4000-8000-000000000014",
  tierZeroAdmins: "0a11e3b0-0000-4000-8000-000000000015",
  authAdminsPim: "0a11e3b0-0000-4000-8000-000000000016",
  strictSecurityInfo: "0a11e3b0-0000-4000-8000-000000000017",
} as const;

/** The Conditional Access policy behind the `ca-registration-loop` persona. */
export const CONDITIONAL_ACCESS_POLICY_ID = "0a11e3b0-0000-4000-8000-0000000000ca";
const PHISHING_RESISTANT_STRENGTH = {
  id: "00000000-0000-0000-0000-000000000004",
  displayName: "Phishing-resistant MFA",
  allowedCombinations: ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"],
};
type GroupKey = keyof typeof GROUP_IDS;

export const PROFILE_IDS = {
  default: "00000000-0000-0000-0000-000000000001",
  windowsHello: "0a11e3b0-0000-4000-8000-0000000000a1",
  securityKeys: "0a11e3b0-0000-4000-8000-0000000000a2",
} as const;

const ROLE = {
  globalAdministrator: { id: "62e90394-69f5-4237-9190-012177145e10", displayName: "Global Administrator" },
  privilegedRoleAdministrator: {
    id: "e8611ab8-c189-46e8-94e1-60213ab1f814",
    displayName: "Privileged Role Administrator",
  },
  privilegedAuthenticationAdministrator: {
    id: "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
    displayName: "Privileged Authentication Administrator",
  },
  authenticationAdministrator: {
    id: "c4e39bd9-1100-46d3-8c65-fb160da0071f",
    displayName: "Authentication Administrator",
  },
  authenticationPolicyAdministrator: {
    id: "0526716b-113d-4c15-b2c8-68e3c22b9f80",
    displayName: "Authentication Policy Administrator",
  },
  helpdeskAdministrator: { id: "729827e3-9c14-49f7-bb1b-9608f156bbb8", displayName: "Helpdesk Administrator" },
} as const;

const DEFAULT_PROFILE_ALLOW_LIST = [
  AAGUID.authenticatorIos,
  AAGUID.authenticatorAndroid,
  AAGUID.yubiKey5Series,
  AAGUID.yubiKey5Nfc,
  AAGUID.yubiKey5NfcFirmware,
  AAGUID.yubiKey5Fips,
];
const WINDOWS_HELLO_AAGUIDS = [
  AAGUID.windowsHelloHardware,
  AAGUID.windowsHelloVbsHardware,
  AAGUID.windowsHelloSoftware,
];
const SECURITY_KEY_BLOCK_LIST = [AAGUID.feitianEpassFido2Nfc];

const capturedMs = Date.parse(CAPTURED_DATE_TIME);
const MINUTE = 1;
const HOUR = 60;
const DAY = 24 * HOUR;

/** Graph's timestamp form, `minutes` before capture. */
function ago(minutes: number): string {
  return new Date(capturedMs - minutes * 60_000).toISOString().replace(".000Z", "Z");
}

/** A GUID derived from a stable name, shaped like the version-4 GUIDs Entra issues. */
function stableGuid(name: string): string {
  const hex = createHash("sha1").update(`contoso-practice/${name}`).digest("hex");
  const variant = "89ab"[Number.parseInt(hex[16] as string, 16) % 4];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

type Method = Record<string, unknown> & { id: string; "@odata.type": string };
type Device = NonNullable<TenantFile["devices"]>[number];
type SignIn = NonNullable<TenantFile["signIns"]>[number];
type Audit = NonNullable<TenantFile["directoryAudits"]>[number];
type SignInStyle = "password" | "authenticator" | "sms" | "passkey";

interface PersonaSpec {
  role: TenantPersona["role"];
  exercises: string;
  scenario: PersonaScenario;
  expected: PersonaExpectation;
}

interface UserSpec {
  key: string;
  /** Persona keys sign in as `<key>@domain`; extra users as `given.surname@domain`. */
  persona?: PersonaSpec;
  given: string;
  surname: string;
  jobTitle: string;
  department: string;
  officeLocation?: string;
  preferredLanguage?: string;
  manager: string | null;
  groups: GroupKey[];
  methods: (key: string) => Method[];
  devices?: Array<{
    name: string;
    /** "AndroidForWork": how Entra reports a phone registered from its Android work profile. */
    os: "Windows" | "iOS" | "Android" | "AndroidForWork";
    version: string;
    trustType: string;
    model: string;
  }>;
  signIns?: Array<{ minutesAgo: number; style: SignInStyle; app?: { appId: string; appDisplayName: string } }>;
  teamsApp?: boolean;
  /** A disabled account (accountEnabled false): Entra's registration report leaves it out. */
  isDisabled?: boolean;
}

const passing: PersonaExpectation = {
  policyScope: "pass",
  freshMfa: "pass",
  platform: "pass",
  authenticator: "pass",
  firstBlocking: null,
  needsTemporaryAccessPass: false,
};

function password(): Method {
  return {
    "@odata.type": "#microsoft.graph.passwordAuthenticationMethod",
    id: PASSWORD_METHOD_ID,
    password: null,
    createdDateTime: ago(400 * DAY),
  };
}

function authenticator(key: string, os: "ios" | "android", daysAgo: number, phoneName?: string): Method {
  return {
    "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
    id: stableGuid(`${key}/method/authenticator`),
    displayName: phoneName ?? (os === "ios" ? "iPhone 15" : "Pixel 8"),
    deviceTag: "SoftwareTokenActivated",
    phoneAppVersion: os === "ios" ? "6.8.40" : "6.2508.5123",
    createdDateTime: ago(daysAgo * DAY),
  };
}

function mobilePhone(number: string, daysAgo: number): Method {
  return {
    "@odata.type": "#microsoft.graph.phoneAuthenticationMethod",
    id: MOBILE_PHONE_METHOD_ID,
    phoneNumber: number,
    phoneType: "mobile",
    smsSignInState: "notAllowedByPolicy",
    createdDateTime: ago(daysAgo * DAY),
  };
}

function windowsHelloForBusiness(key: string, deviceName: string, daysAgo: number): Method {
  return {
    "@odata.type": "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod",
    id: stableGuid(`${key}/method/whfb/${deviceName}`),
    displayName: deviceName,
    keyStrength: "normal",
    createdDateTime: ago(daysAgo * DAY),
  };
}

function passkey(
  key: string,
  kind: { aaGuid: string; displayName: string; model: string; isAttested: boolean; passkeyType?: "synced" },
  daysAgo: number,
): Method {
  return {
    "@odata.type": "#microsoft.graph.fido2AuthenticationMethod",
    id: stableGuid(`${key}/method/passkey/${kind.aaGuid}`),
    displayName: kind.displayName,
    aaGuid: kind.aaGuid,
    model: kind.model,
    attestationCertificates: kind.isAttested ? [createHash("sha1").update(`${key}/${kind.aaGuid}`).digest("hex")] : [],
    attestationLevel: kind.isAttested ? "attested" : "notAttested",
    passkeyType: kind.passkeyType ?? "deviceBound",
    createdDateTime: ago(daysAgo * DAY),
  };
}

function temporaryAccessPass(key: string, startMinutesAgo: number, lifetimeInMinutes: number): Method {
  const isUsable = startMinutesAgo < lifetimeInMinutes;
  return {
    "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethod",
    id: stableGuid(`${key}/method/tap/${startMinutesAgo}`),
    temporaryAccessPass: null,
    createdDateTime: ago(startMinutesAgo),
    startDateTime: ago(startMinutesAgo),
    lifetimeInMinutes,
    isUsableOnce: true,
    isUsable,
    methodUsabilityReason: isUsable ? "EnabledByPolicy" : "Expired",
  };
}

const YUBIKEY_5C = {
  aaGuid: AAGUID.yubiKey5Series,
  displayName: "YubiKey 5C",
  model: "YubiKey 5 Series",
  isAttested: true,
};
const YUBIKEY_5_NFC = {
  aaGuid: AAGUID.yubiKey5Nfc,
  displayName: "YubiKey 5 NFC",
  model: "YubiKey 5 Series with NFC",
  isAttested: true,
};
const AUTHENTICATOR_IOS_PASSKEY = {
  aaGuid: AAGUID.authenticatorIos,
  displayName: "Microsoft Authenticator - iOS",
  model: "Microsoft Authenticator - iOS",
  isAttested: false,
};
const WINDOWS_HELLO_PASSKEY = {
  aaGuid: AAGUID.windowsHelloHardware,
  displayName: "Windows Hello",
  model: "Windows Hello Hardware Authenticator",
  isAttested: false,
};

const APPLE_PASSWORDS_PASSKEY = {
  aaGuid: AAGUID.applePasswords,
  displayName: "iCloud Keychain",
  model: "Apple Passwords",
  isAttested: false,
  passkeyType: "synced" as const,
};

const WINDOWS_11 = "10.0.26100.4349";
const freshMfa = [
  { minutesAgo: 2, style: "authenticator" as const, app: MY_SIGNINS_APP },
  { minutesAgo: DAY + 95, style: "authenticator" as const, app: TEAMS_CLIENT_APP },
];
const passwordOnlySignIns = [
  { minutesAgo: 10, style: "password" as const, app: MY_SIGNINS_APP },
  { minutesAgo: 2 * DAY + 30, style: "password" as const, app: OFFICE_HOME_APP },
];

/**
 * Every user of the practice tenant: the personas, then the extra users that make lists page, then the personas added
 * later (appended, so the generated file only grows).
 */
const USERS: UserSpec[] = [
  {
    key: "not-targeted",
    given: "Nestor",
    surname: "Wilke",
    jobTitle: "Sales Representative",
    department: "Sales",
    manager: "manager",
    groups: ["tapEligible"],
    methods: (key) => [password(), authenticator(key, "ios", 210)],
    devices: [{ name: "Nestor's iPhone", os: "iOS", version: "18.1", trustType: "Workplace", model: "iPhone 15" }],
    signIns: freshMfa,
    persona: {
      role: "user",
      exercises: "Question 1, not targeted: the user is in no include target of the Passkey (FIDO2) policy.",
      scenario: { platform: "ios", aaGuid: AAGUID.authenticatorIos },
      expected: { ...passing, policyScope: "fail", authenticator: "fail", firstBlocking: "policyScope" },
    },
  },
  {
    key: "excluded",
    given: "Lidia",
    surname: "Holloway",
    jobTitle: "Product Manager",
    department: "Engineering",
    manager: "manager",
    groups: ["pilotRing", "passkeyExcluded", "tapEligible"],
    methods: (key) => [password(), authenticator(key, "android", 180)],
    devices: [{ name: "Pixel 8", os: "Android", version: "15.0", trustType: "Workplace", model: "Pixel 8" }],
    signIns: freshMfa,
    persona: {
      role: "user",
      exercises: "Question 1, excluded: in the pilot ring and in the policy's exclude group; exclusion wins.",
      scenario: { platform: "android", aaGuid: AAGUID.authenticatorAndroid },
      expected: { ...passing, policyScope: "fail", authenticator: "fail", firstBlocking: "policyScope" },
    },
  },
  {
    key: "no-mfa-method",
    given: "Johanna",
    surname: "Lorenz",
    jobTitle: "Accounts Payable Clerk",
    department: "Finance",
    manager: "manager",
    groups: ["pilotRing", "tapEligible"],
    methods: () => [password()],
    devices: [
      { name: "JOHANNA-LAPTOP", os: "Windows", version: WINDOWS_11, trustType: "Workplace", model: "Latitude 5440" },
    ],
    signIns: passwordOnlySignIns,
    persona: {
      role: "user",
      exercises: "Question 2, no MFA method: only a password, so only a Temporary Access Pass can bootstrap a passkey.",
      scenario: { platform: "securityKey", aaGuid: AAGUID.yubiKey5Nfc },
      expected: { ...passing, freshMfa: "fail", firstBlocking: "freshMfa", needsTemporaryAccessPass: true },
    },
  },
  {
    key: "stale-mfa",
    given: "Diego",
    surname: "Siciliani",
    jobTitle: "HR Coordinator",
    department: "HR",
    manager: "manager",
    groups: ["pilotRing", "tapEligible"],
    methods: (key) => [password(), authenticator(key, "android", 320), mobilePhone("+420 601 555 014", 320)],
    devices: [{ name: "Galaxy A54", os: "Android", version: "14.0", trustType: "Workplace", model: "SM-A546B" }],
    signIns: [
      { minutesAgo: 20, style: "password", app: OFFICE_HOME_APP },
      { minutesAgo: 3 * DAY, style: "authenticator", app: TEAMS_CLIENT_APP },
    ],
    persona: {
      role: "user",
      exercises: "Question 2, stale MFA: has Authenticator, but the last MFA sign-in was 3 days ago (rule: 5 minutes).",
      scenario: { platform: "android", aaGuid: AAGUID.authenticatorAndroid },
      expected: { ...passing, freshMfa: "warn" },
    },
  },
  {
    key: "has-tap",
    given: "Henrietta",
    surname: "Mueller",
    jobTitle: "Finance Analyst (new hire)",
    department: "Finance",
    manager: "manager",
    groups: ["pilotRing", "tapEligible"],
    methods: (key) => [password(), temporaryAccessPass(key, 15, 60)],
    devices: [
      { name: "HENRIETTA-LAPTOP", os: "Windows", version: WINDOWS_11, trustType: "Workplace", model: "ThinkPad T14" },
    ],
    signIns: [{ minutesAgo: 30, style: "password", app: OFFICE_HOME_APP }],
    persona: {
      role: "user",
      exercises:
        "Question 2, TAP bootstrap: no MFA method but a usable one-time TAP issued 15 minutes ago (60 minutes).",
      scenario: { platform: "securityKey", aaGuid: AAGUID.yubiKey5Nfc },
      expected: passing,
    },
  },
  {
    key: "tap-not-targeted",
    given: "Joni",
    surname: "Sherman",
    jobTitle: "Paralegal (contractor)",
    department: "Legal",
    manager: "manager",
    groups: ["pilotRing"],
    methods: () => [password()],
    devices: [
      { name: "JONI-LAPTOP", os: "Windows", version: WINDOWS_11, trustType: "Workplace", model: "Surface Laptop 6" },
    ],
    signIns: passwordOnlySignIns,
    persona: {
      role: "user",
      exercises:
        "Question 2, TAP not targeted: no MFA method and outside the TAP policy's include group, so a TAP would not work.",
      scenario: { platform: "securityKey", aaGuid: AAGUID.yubiKey5Nfc },
      expected: { ...passing, freshMfa: "fail", firstBlocking: "freshMfa", needsTemporaryAccessPass: true },
    },
  },
  {
    key: "whfb-conflict",
    given: "Miriam",
    surname: "Graham",
    jobTitle: "Marketing Specialist",
    department: "Marketing",
    manager: "manager",
    groups: ["windowsHelloRing", "tapEligible"],
    methods: (key) => [
      password(),
      authenticator(key, "ios", 250),
      windowsHelloForBusiness(key, "CONTOSO-LT-0142", 250),
    ],
    devices: [
      { name: "CONTOSO-LT-0142", os: "Windows", version: WINDOWS_11, trustType: "AzureAd", model: "Latitude 7450" },
      { name: "Miriam's iPhone", os: "iOS", version: "18.1", trustType: "Workplace", model: "iPhone 14" },
    ],
    signIns: freshMfa,
    persona: {
      role: "user",
      exercises:
        "Question 3, WHfB conflict: Windows Hello for Business already holds a passkey on her Entra-joined Windows 11 laptop.",
      scenario: { platform: "windows", aaGuid: AAGUID.windowsHelloHardware },
      expected: { ...passing, platform: "fail", firstBlocking: "platform" },
    },
  },
  {
    key: "windows-hello-blocked",
    given: "Pradeep",
    surname: "Gupta",
    jobTitle: "Financial Analyst",
    department: "Finance",
    manager: "manager",
    groups: ["pilotRing", "tapEligible"],
    methods: (key) => [password(), authenticator(key, "android", 150)],
    devices: [
      { name: "PRADEEP-SURFACE", os: "Windows", version: WINDOWS_11, trustType: "Workplace", model: "Surface Pro 10" },
    ],
    signIns: freshMfa,
    persona: {
      role: "user",
      exercises:
        "Question 4, Windows Hello not allowed: his only profile (Default) has attestation off but an allow list without the Windows Hello AAGUIDs.",
      scenario: { platform: "windows", aaGuid: AAGUID.windowsHelloHardware },
      expected: { ...passing, authenticator: "fail", firstBlocking: "authenticator" },
    },
  },
  {
    key: "attestation-mismatch",
    given: "Irvin",
    surname: "Sayers",
    jobTitle: "Network Engineer",
    department: "Engineering",
    manager: "manager",
    groups: ["securityKeyRing", "tapEligible"],
    methods: (key) => [password(), authenticator(key, "ios", 140)],
    devices: [{ name: "IRVIN-LAPTOP", os: "Windows", version: WINDOWS_11, trustType: "Workplace", model: "XPS 13" }],
    signIns: freshMfa,
    persona: {
      role: "user",
      exercises:
        "Question 4, attestation: his only profile (Security keys) enforces attestation and Windows Hello passkeys cannot be attested.",
      scenario: { platform: "windows", aaGuid: AAGUID.windowsHelloHardware },
      expected: { ...passing, authenticator: "fail", firstBlocking: "authenticator" },
    },
  },
  {
    key: "yubikey-allowed",
    given: "Lynne",
    surname: "Robbins",
    jobTitle: "Compliance Officer",
    department: "Legal",
    manager: "manager",
    groups: ["pilotRing", "tapEligible"],
    methods: (key) => [password(), authenticator(key, "ios", 300), mobilePhone("+420 602 555 021", 300)],
    devices: [
      { name: "LYNNE-LAPTOP", os: "Windows", version: WINDOWS_11, trustType: "Workplace", model: "EliteBook 840" },
    ],
    signIns: freshMfa,
    persona: {
      role: "user",
      exercises: "Ready: YubiKey 5 NFC is on the Default profile's allow list, fresh MFA, in the pilot ring.",
      scenario: { platform: "securityKey", aaGuid: AAGUID.yubiKey5Nfc },
      expected: passing,
    },
  },
  {
    key: "blocked-key",
    given: "Christie",
    surname: "Cline",
    jobTitle: "Buyer",
    department: "Operations",
    manager: "manager",
    groups: ["securityKeyRing", "tapEligible"],
    methods: (key) => [password(), authenticator(key, "android", 190)],
    devices: [
      { name: "CHRISTIE-LAPTOP", os: "Windows", version: WINDOWS_11, trustType: "Workplace", model: "Latitude 5440" },
    ],
    signIns: freshMfa,
    persona: {
      role: "user",
      exercises:
        "Question 4, block list: her Feitian ePass FIDO2-NFC key is on the Security keys profile's block list.",
      scenario: { platform: "securityKey", aaGuid: AAGUID.feitianEpassFido2Nfc },
      expected: { ...passing, authenticator: "fail", firstBlocking: "authenticator" },
    },
  },
  {
    key: "ios-user",
    given: "Debra",
    surname: "Berger",
    jobTitle: "Executive Assistant",
    department: "Operations",
    manager: "manager",
    groups: ["pilotRing", "tapEligible"],
    methods: (key) => [password(), authenticator(key, "ios", 120, "iPhone 16")],
    devices: [
      { name: "Debra's iPhone", os: "iOS", version: "18.1", trustType: "Workplace", model: "iPhone 16" },
      { name: "DEBRA-LAPTOP", os: "Windows", version: WINDOWS_11, trustType: "Workplace", model: "Surface Laptop 7" },
    ],
    signIns: freshMfa,
    teamsApp: true,
    persona: {
      role: "user",
      exercises: "Question 3, iOS cross-device: passkey in Authenticator on iOS 18 reached by QR code from her laptop.",
      scenario: { platform: "ios", aaGuid: AAGUID.authenticatorIos, isCrossDevice: true },
      expected: passing,
    },
  },
  {
    key: "android-user",
    given: "Enrico",
    surname: "Cattaneo",
    jobTitle: "Field Technician",
    department: "Operations",
    manager: "manager",
    groups: ["pilotRing", "tapEligible"],
    methods: (key) => [password(), authenticator(key, "android", 90, "Pixel 9")],
    devices: [{ name: "Pixel 9", os: "Android", version: "15.0", trustType: "Workplace", model: "Pixel 9" }],
    signIns: freshMfa,
    persona: {
      role: "user",
      exercises: "Question 3, Android: passkey in Authenticator on Android 15, directly on the phone.",
      scenario: { platform: "android", aaGuid: AAGUID.authenticatorAndroid },
      expected: passing,
    },
  },
  {
    key: "all-good",
    given: "Allan",
    surname: "Deyoung",
    jobTitle: "Systems Engineer",
    department: "Engineering",
    manager: "manager",
    groups: ["securityKeyRing", "tapEligible"],
    methods: (key) => [password(), authenticator(key, "ios", 400), passkey(key, YUBIKEY_5C, 20)],
    devices: [
      {
        name: "CONTOSO-LT-0077",
        os: "Windows",
        version: WINDOWS_11,
        trustType: "AzureAd",
        model: "ThinkPad X1 Carbon",
      },
    ],
    signIns: [
      { minutesAgo: 2, style: "passkey", app: MY_SIGNINS_APP },
      { minutesAgo: DAY + 40, style: "passkey", app: TEAMS_CLIENT_APP },
    ],
    persona: {
      role: "user",
      exercises:
        "Everything passes: an attested YubiKey 5C passkey already registered and accepted by the Security keys profile.",
      scenario: { platform: "securityKey", aaGuid: AAGUID.yubiKey5Series },
      expected: passing,
    },
  },
  {
    key: "privileged-admin",
    given: "Lee",
    surname: "Gu",
    jobTitle: "Cloud Platform Administrator",
    department: "IT",
    manager: "manager-top",
    groups: ["pilotRing", "tapEligible"],
    methods: (key) => [password(), authenticator(key, "ios", 500), mobilePhone("+420 603 555 033", 500)],
    devices: [
      { name: "CONTOSO-LT-0003", os: "Windows", version: WINDOWS_11, trustType: "AzureAd", model: "Surface Laptop 7" },
    ],
    signIns: freshMfa,
    persona: {
      role: "user",
      exercises: "TAP refused: holds an active Global Administrator assignment; triage itself passes.",
      scenario: { platform: "securityKey", aaGuid: AAGUID.yubiKey5Nfc },
      expected: passing,
    },
  },
  {
    key: "external-guest",
    given: "Kenji",
    surname: "Sato",
    jobTitle: "Consultant (Fabrikam)",
    department: "External",
    manager: null,
    groups: ["pilotRing"],
    methods: (key) => [authenticator(key, "ios", 60)],
    signIns: freshMfa,
    persona: {
      role: "user",
      exercises:
        "External guest (B2B, #EXT#): cannot register a passkey in this tenant and cannot be given a TAP, though a pilot-ring member.",
      scenario: { platform: "securityKey", aaGuid: AAGUID.yubiKey5Nfc },
      expected: { ...passing, policyScope: "fail", firstBlocking: "policyScope" },
    },
  },
  {
    key: "agent-1",
    given: "Alex",
    surname: "Wilber",
    jobTitle: "Service Desk Agent",
    department: "IT",
    manager: "manager",
    groups: ["helpdeskAgents", "tapEligible"],
    methods: (key) => [password(), authenticator(key, "ios", 365), passkey(key, AUTHENTICATOR_IOS_PASSKEY, 45)],
    devices: [
      { name: "Alex's iPhone", os: "iOS", version: "18.0", trustType: "Workplace", model: "iPhone 15 Pro" },
      { name: "CONTOSO-LT-0101", os: "Windows", version: WINDOWS_11, trustType: "AzureAd", model: "Latitude 7450" },
    ],
    signIns: freshMfa,
    teamsApp: true,
    persona: {
      role: "agent",
      exercises:
        "Help-desk agent (Helpdesk Agents): triages others and requests TAPs; in the pilot ring only through the nested Helpdesk Agents group.",
      scenario: { platform: "ios", aaGuid: AAGUID.authenticatorIos },
      expected: passing,
    },
  },
  {
    key: "agent-2",
    given: "Grady",
    surname: "Archie",
    jobTitle: "Service Desk Agent",
    department: "IT",
    manager: "manager",
    groups: ["helpdeskAgents", "tapEligible"],
    methods: (key) => [password(), authenticator(key, "android", 330), mobilePhone("+420 604 555 042", 330)],
    devices: [
      { name: "Pixel 8 Pro", os: "Android", version: "15.0", trustType: "Workplace", model: "Pixel 8 Pro" },
      { name: "CONTOSO-LT-0102", os: "Windows", version: WINDOWS_11, trustType: "AzureAd", model: "Latitude 7450" },
    ],
    signIns: freshMfa,
    teamsApp: true,
    persona: {
      role: "agent",
      exercises: "Second help-desk agent: the requester of a TAP can never be its approver; parallel requests.",
      scenario: { platform: "android", aaGuid: AAGUID.authenticatorAndroid },
      expected: passing,
    },
  },
  {
    key: "manager",
    given: "Megan",
    surname: "Bowen",
    jobTitle: "Operations Manager",
    department: "Operations",
    manager: "manager-top",
    groups: ["pilotRing", "tapEligible"],
    methods: (key) => [password(), authenticator(key, "ios", 420)],
    devices: [{ name: "Megan's iPhone", os: "iOS", version: "18.1", trustType: "Workplace", model: "iPhone 16 Pro" }],
    signIns: freshMfa,
    teamsApp: true,
    persona: {
      role: "manager",
      exercises: "Approver: the directory manager of most end-user personas approves or denies their TAP requests.",
      scenario: { platform: "ios", aaGuid: AAGUID.authenticatorIos },
      expected: passing,
    },
  },
  {
    key: "manager-top",
    given: "Patti",
    surname: "Fernandez",
    jobTitle: "Chief Operating Officer",
    department: "Executive",
    manager: null,
    groups: ["pilotRing", "tapApprovers", "tapEligible"],
    methods: (key) => [password(), authenticator(key, "ios", 600), mobilePhone("+420 605 555 001", 600)],
    devices: [
      { name: "CONTOSO-LT-0001", os: "Windows", version: WINDOWS_11, trustType: "AzureAd", model: "Surface Laptop 7" },
    ],
    signIns: freshMfa,
    teamsApp: true,
    persona: {
      role: "manager",
      exercises: "Top of the chain: manages `manager` and the admins, has no manager herself, and is a TAP Approver.",
      scenario: { platform: "securityKey", aaGuid: AAGUID.yubiKey5Nfc },
      expected: passing,
    },
  },
  {
    key: "no-manager",
    given: "Emily",
    surname: "Braun",
    jobTitle: "Receptionist",
    department: "Operations",
    manager: null,
    groups: ["pilotRing", "tapEligible"],
    methods: () => [password()],
    devices: [
      { name: "RECEPTION-PC", os: "Windows", version: WINDOWS_11, trustType: "Workplace", model: "OptiPlex 7010" },
    ],
    signIns: passwordOnlySignIns,
    persona: {
      role: "user",
      exercises:
        "No manager in the directory: her TAP request goes to the TAP Approvers group; needs a TAP (password only).",
      scenario: { platform: "securityKey", aaGuid: AAGUID.yubiKey5Nfc },
      expected: { ...passing, freshMfa: "fail", firstBlocking: "freshMfa", needsTemporaryAccessPass: true },
    },
  },
  {
    key: "ca-registration-loop",
    given: "Lidia",
    surname: "Holloway",
    jobTitle: "Product Manager",
    department: "Product",
    manager: "manager",
    groups: ["pilotRing", "tapEligible", "strictSecurityInfo"],
    methods: (key) => [password(), authenticator(key, "android", 200)],
    devices: [{ name: "Pixel 7", os: "Android", version: "15.0", trustType: "Workplace", model: "Pixel 7" }],
    signIns: [{ minutesAgo: 2, style: "authenticator", app: MY_SIGNINS_APP }],
    persona: {
      role: "user",
      exercises:
        "Question 2, Conditional Access registration loop: a policy demands phishing-resistant MFA to register security info, which she can only get by registering one.",
      scenario: { platform: "securityKey", aaGuid: AAGUID.yubiKey5Nfc },
      expected: { ...passing, freshMfa: "fail", firstBlocking: "freshMfa" },
    },
  },
  {
    key: "lost-phone",
    given: "Miriam",
    surname: "Graham",
    jobTitle: "Sales Director",
    department: "Sales",
    manager: "manager",
    groups: ["pilotRing", "tapEligible"],
    methods: (key) => [password(), authenticator(key, "ios", 400, "Old iPhone"), temporaryAccessPass(key, 20, 120)],
    devices: [{ name: "iPhone 16", os: "iOS", version: "18.1", trustType: "Workplace", model: "iPhone17,3" }],
    signIns: [{ minutesAgo: 5 * DAY, style: "authenticator", app: TEAMS_CLIENT_APP }],
    persona: {
      role: "user",
      exercises:
        "Lost or replaced phone: her only MFA is Authenticator on the lost phone, the help desk issued her a TAP 20 minutes ago: use the TAP now.",
      scenario: { platform: "securityKey", aaGuid: AAGUID.yubiKey5Nfc },
      expected: passing,
    },
  },
  {
    key: "admin",
    given: "Isaiah",
    surname: "Langer",
    jobTitle: "Identity and Access Lead",
    department: "IT",
    manager: "manager-top",
    groups: ["helpdeskAdmins", "pilotRing", "tapEligible"],
    methods: (key) => [password(), authenticator(key, "ios", 480), passkey(key, YUBIKEY_5_NFC, 60)],
    devices: [
      {
        name: "CONTOSO-LT-0010",
        os: "Windows",
        version: WINDOWS_11,
        trustType: "AzureAd",
        model: "ThinkPad X1 Carbon",
      },
    ],
    signIns: freshMfa,
    teamsApp: true,
    persona: {
      role: "admin",
      exercises:
        "Bot administrator (Helpdesk Admins): inventory, gaps, ring readiness and the audit ledger; no Entra role.",
      scenario: { platform: "securityKey", aaGuid: AAGUID.yubiKey5Nfc },
      expected: passing,
    },
  },
  {
    key: "nina.hofer",
    given: "Nina",
    surname: "Hofer",
    jobTitle: "Cloud Architect",
    department: "IT",
    manager: "manager-top",
    groups: ["pilotRing", "tapEligible"],
    methods: (key) => [password(), authenticator(key, "android", 260)],
    devices: [{ name: "CONTOSO-LT-0020", os: "Windows", version: WINDOWS_11, trustType: "AzureAd", model: "XPS 15" }],
    signIns: [{ minutesAgo: 3 * HOUR, style: "authenticator", app: TEAMS_CLIENT_APP }],
  },
  {
    key: "dana.kovac",
    given: "Dana",
    surname: "Kovac",
    jobTitle: "IT Onboarding Specialist",
    department: "IT",
    manager: "manager",
    groups: ["pilotRing", "tapEligible"],
    methods: (key) => [
      password(),
      authenticator(key, "ios", 280),
      windowsHelloForBusiness(key, "CONTOSO-LT-0104", 280),
    ],
    devices: [
      { name: "CONTOSO-LT-0104", os: "Windows", version: WINDOWS_11, trustType: "AzureAd", model: "Latitude 7450" },
    ],
    signIns: [{ minutesAgo: 2 * DAY + 20, style: "authenticator", app: OFFICE_HOME_APP }],
  },
  {
    key: "samir.haddad",
    given: "Samir",
    surname: "Haddad",
    jobTitle: "Security Operations Lead",
    department: "IT",
    manager: "manager-top",
    groups: ["pilotRing", "tapApprovers", "tapEligible"],
    methods: (key) => [password(), authenticator(key, "ios", 350), passkey(key, WINDOWS_HELLO_PASSKEY, 30)],
    devices: [
      { name: "SAMIR-DESKTOP", os: "Windows", version: WINDOWS_11, trustType: "Workplace", model: "OptiPlex 7020" },
    ],
    signIns: [{ minutesAgo: 5 * HOUR, style: "passkey", app: TEAMS_CLIENT_APP }],
    teamsApp: true,
  },
  {
    key: "olga.petrova",
    given: "Olga",
    surname: "Petrova",
    jobTitle: "Treasury Analyst",
    department: "Finance",
    manager: "manager",
    groups: ["securityKeyRing", "tapEligible"],
    // A synced passkey in Apple Passwords, in a ring whose only profile expects device-bound keys: refused at sign-in.
    methods: (key) => [password(), authenticator(key, "ios", 210), passkey(key, APPLE_PASSWORDS_PASSKEY, 12)],
    devices: [{ name: "Olga's iPhone", os: "iOS", version: "18.1", trustType: "Workplace", model: "iPhone 15" }],
    signIns: [{ minutesAgo: 4 * HOUR, style: "authenticator", app: OFFICE_HOME_APP }],
  },
  {
    key: "pavel.dvorak",
    given: "Pavel",
    surname: "Dvorak",
    jobTitle: "Former Contractor",
    department: "Engineering",
    manager: "manager",
    groups: ["pilotRing"],
    // Disabled after his contract ended; his YubiKey passkey is still registered.
    methods: (key) => [password(), authenticator(key, "android", 500), passkey(key, YUBIKEY_5_NFC, 150)],
    devices: [
      { name: "PAVEL-LAPTOP", os: "Windows", version: WINDOWS_11, trustType: "Workplace", model: "ThinkPad T14" },
    ],
    isDisabled: true,
  },
  ...(
    [
      ["amelia.ortiz", "Amelia", "Ortiz", "Sales"],
      ["bruno.keller", "Bruno", "Keller", "Engineering"],
      ["chloe.dubois", "Chloe", "Dubois", "Marketing"],
      ["david.moravec", "David", "Moravec", "Finance"],
      ["eva.lindgren", "Eva", "Lindgren", "Support"],
      ["farid.rahimi", "Farid", "Rahimi", "Sales"],
      ["greta.novotna", "Greta", "Novotna", "Operations"],
      ["hugo.santos", "Hugo", "Santos", "Engineering"],
    ] as const
  ).map(
    ([key, given, surname, department], position): UserSpec => ({
      key,
      given,
      surname,
      jobTitle: `${department} Associate (new hire)`,
      department,
      manager: "manager",
      groups: position % 2 === 0 ? ["pilotRing", "tapEligible"] : ["tapEligible"],
      // Onboarded in the bulk TAP burst two days ago: five have since set up Authenticator, three never did.
      methods: (userKey) =>
        position < 5
          ? [password(), authenticator(userKey, position % 2 ? "android" : "ios", 2)]
          : [password(), temporaryAccessPass(userKey, 2 * DAY - position * MINUTE, 60)],
      devices: [
        {
          name: `CONTOSO-LT-09${position}0`,
          os: "Windows",
          version: WINDOWS_11,
          trustType: position < 5 ? "AzureAd" : "Workplace",
          model: "Latitude 5440",
        },
      ],
      signIns: position < 5 ? [{ minutesAgo: DAY + position * 17, style: "authenticator", app: OFFICE_HOME_APP }] : [],
    }),
  ),
  // Directory roles held through groups: a privileged-role check that reads only direct assignments misses both.
  {
    key: "oskar.brandt",
    given: "Oskar",
    surname: "Brandt",
    jobTitle: "Infrastructure Engineer",
    department: "IT",
    manager: "manager",
    groups: ["pilotRing", "tapEligible", "tierZeroAdmins"],
    methods: () => [password()],
    signIns: passwordOnlySignIns,
  },
  {
    key: "petra.ulrich",
    given: "Petra",
    surname: "Ulrich",
    jobTitle: "Identity Engineer",
    department: "IT",
    manager: "manager",
    groups: ["pilotRing", "tapEligible"],
    methods: () => [password()],
    signIns: passwordOnlySignIns,
  },
  {
    key: "upn-changed",
    given: "Jana",
    surname: "Horakova",
    jobTitle: "Legal Counsel",
    department: "Legal",
    manager: "manager",
    groups: ["pilotRing", "tapEligible"],
    methods: (key) => [password(), authenticator(key, "ios", 300), passkey(key, YUBIKEY_5_NFC, 40)],
    devices: [
      { name: "CONTOSO-LT-0105", os: "Windows", version: WINDOWS_11, trustType: "AzureAd", model: "Surface Laptop 6" },
    ],
    signIns: freshMfa,
    persona: {
      role: "user",
      exercises:
        "UPN changed after registration: her YubiKey passkey predates the rename two days ago, so it must be deleted in Security info and added again (agent path: the audit log shows it).",
      scenario: { platform: "securityKey", aaGuid: AAGUID.yubiKey5Nfc },
      expected: { ...passing, agentPath: { authenticator: "warn" } },
    },
  },
  {
    key: "android-work-profile",
    given: "Tomasz",
    surname: "Wojcik",
    jobTitle: "Site Supervisor",
    department: "Operations",
    manager: "manager",
    groups: ["pilotRing", "tapEligible"],
    methods: (key) => [password(), authenticator(key, "android", 120, "Galaxy S23 (work profile)")],
    devices: [{ name: "Galaxy S23", os: "AndroidForWork", version: "14.0", trustType: "Workplace", model: "SM-S911B" }],
    signIns: freshMfa,
    persona: {
      role: "user",
      exercises:
        "Question 3, Android work profile: Authenticator lives in the work profile of an Android 14 phone; he is told to add the passkey there, not in the personal profile.",
      scenario: { platform: "android", aaGuid: AAGUID.authenticatorAndroid },
      expected: passing,
    },
  },
];

function upnOf(spec: UserSpec): string {
  if (spec.key === "external-guest") return `external-guest_fabrikam.example#EXT#@${PRACTICE_DOMAIN}`;
  return `${spec.key}@${PRACTICE_DOMAIN}`;
}

function signInRecord(user: TenantUser, spec: UserSpec, entry: NonNullable<UserSpec["signIns"]>[number]): SignIn {
  const when = ago(entry.minutesAgo);
  const firstMethod = spec
    .methods(spec.key)
    .find((method) => method["@odata.type"].endsWith("fido2AuthenticationMethod"));
  const steps: Array<Record<string, unknown>> = [];
  if (entry.style === "passkey") {
    steps.push({
      authenticationStepDateTime: when,
      authenticationMethod: "Passkey (device-bound)",
      authenticationMethodDetail: String(firstMethod?.model ?? "Passkey"),
      succeeded: true,
      authenticationStepResultDetail: "MFA successfully completed",
      authenticationStepRequirement: "Primary authentication",
    });
  } else {
    steps.push({
      authenticationStepDateTime: when,
      authenticationMethod: "Password",
      authenticationMethodDetail: "Password in the cloud",
      succeeded: true,
      authenticationStepResultDetail: "Correct password",
      authenticationStepRequirement: "Primary authentication",
    });
    if (entry.style === "authenticator" || entry.style === "sms") {
      steps.push({
        authenticationStepDateTime: when,
        authenticationMethod: entry.style === "sms" ? "Text message" : "Mobile app notification",
        authenticationMethodDetail: null,
        succeeded: true,
        authenticationStepResultDetail: "MFA successfully completed",
        authenticationStepRequirement: "Multifactor authentication",
      });
    }
  }
  const isMfa = entry.style !== "password";
  const device = spec.devices?.find((candidate) => candidate.os === "Windows") ?? spec.devices?.[0];
  const isGuest = user.userType === "Guest";
  return {
    id: stableGuid(`${spec.key}/signin/${entry.minutesAgo}`),
    createdDateTime: when,
    userId: user.id,
    userPrincipalName: user.userPrincipalName,
    userDisplayName: user.displayName,
    appId: entry.app?.appId ?? OFFICE_HOME_APP.appId,
    appDisplayName: entry.app?.appDisplayName ?? OFFICE_HOME_APP.appDisplayName,
    clientAppUsed: "Browser",
    correlationId: stableGuid(`${spec.key}/signin/${entry.minutesAgo}/correlation`),
    ipAddress: `203.0.113.${(Number.parseInt(user.id.slice(0, 2), 16) % 200) + 20}`,
    isInteractive: true,
    resourceDisplayName: "Microsoft Graph",
    resourceId: "00000003-0000-0000-c000-000000000000",
    homeTenantId: isGuest ? FABRIKAM_TENANT_ID : PRACTICE_TENANT_ID,
    resourceTenantId: PRACTICE_TENANT_ID,
    crossTenantAccessType: isGuest ? "b2bCollaboration" : "none",
    userType: isGuest ? "guest" : "member",
    signInEventTypes: ["interactiveUser"],
    status: { errorCode: 0, failureReason: "Other.", additionalDetails: null },
    conditionalAccessStatus: isMfa ? "success" : "notApplied",
    authenticationRequirement: isMfa ? "multiFactorAuthentication" : "singleFactorAuthentication",
    authenticationDetails: steps,
    mfaDetail: isMfa
      ? {
          authMethod: entry.style === "passkey" ? "Passkey (device-bound)" : "Mobile app notification",
          authDetail: null,
        }
      : null,
    deviceDetail: {
      deviceId: device ? stableGuid(`${spec.key}/device/${device.name}/deviceId`) : "",
      displayName: device?.name ?? "",
      operatingSystem:
        device?.os === "Windows"
          ? "Windows10"
          : device?.os === "AndroidForWork"
            ? "Android"
            : (device?.os ?? "Windows10"),
      browser: device?.os === "iOS" ? "Mobile Safari 18.1" : "Edge 131.0.0",
      isCompliant: device?.trustType === "AzureAd",
      isManaged: device?.trustType === "AzureAd",
      trustType: device?.trustType === "AzureAd" ? "Azure AD joined" : device ? "Azure AD registered" : "",
    },
    location: { city: "Prague", state: "Praha", countryOrRegion: "CZ" },
  };
}

function audit(
  name: string,
  fields: {
    activityDisplayName: string;
    minutesAgo: number;
    loggedByService: string;
    category: string;
    operationType: string;
    result?: string;
    resultReason?: string;
    initiatedBy: Audit["initiatedBy"];
    targetResources: Array<Record<string, unknown>>;
    additionalDetails?: Array<{ key: string; value: string }>;
  },
): Audit {
  return {
    id: `Directory_${stableGuid(`audit/${name}`)}`,
    category: fields.category,
    correlationId: stableGuid(`audit/${name}/correlation`),
    result: fields.result ?? "success",
    resultReason: fields.resultReason ?? "",
    activityDisplayName: fields.activityDisplayName,
    activityDateTime: ago(fields.minutesAgo),
    loggedByService: fields.loggedByService,
    operationType: fields.operationType,
    initiatedBy: fields.initiatedBy,
    targetResources: fields.targetResources,
    additionalDetails: fields.additionalDetails ?? [],
  };
}

function byUser(user: TenantUser) {
  return {
    user: {
      id: user.id,
      displayName: user.displayName,
      userPrincipalName: user.userPrincipalName,
      ipAddress: "203.0.113.10",
    },
  };
}

function userTarget(user: TenantUser) {
  return { id: user.id, displayName: user.displayName, type: "User", userPrincipalName: user.userPrincipalName };
}

function registrationAudits(usersByKey: Map<string, TenantUser>): Audit[] {
  const user = (key: string) => usersByKey.get(key) as TenantUser;
  const audits: Audit[] = [];
  const started = (key: string, minutesAgo: number) => {
    audits.push(
      audit(`${key}/started/${minutesAgo}`, {
        activityDisplayName: "User started security info registration",
        minutesAgo,
        loggedByService: "Authentication Methods",
        category: "UserManagement",
        operationType: "Add",
        resultReason: "User started the registration for Passkey",
        initiatedBy: byUser(user(key)),
        targetResources: [userTarget(user(key))],
      }),
      audit(`${key}/creation-options/${minutesAgo}`, {
        activityDisplayName: "Get passkey creation options",
        minutesAgo: minutesAgo - 1,
        loggedByService: "Authentication Methods",
        category: "UserManagement",
        operationType: "Other",
        resultReason: "Successfully retrieved passkey creation options.",
        initiatedBy: byUser(user(key)),
        targetResources: [userTarget(user(key))],
      }),
    );
  };
  const registered = (key: string, minutesAgo: number, aaGuid: string) => {
    started(key, minutesAgo + 2);
    audits.push(
      audit(`${key}/add-passkey/${minutesAgo}`, {
        activityDisplayName: "Add Passkey (device-bound)",
        minutesAgo,
        loggedByService: "Device Registration Service",
        category: "UserManagement",
        operationType: "Add",
        initiatedBy: byUser(user(key)),
        targetResources: [userTarget(user(key))],
        additionalDetails: [
          { key: "AAGuid", value: aaGuid },
          { key: "User-Agent", value: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edg/131.0.0.0" },
        ],
      }),
      audit(`${key}/registered/${minutesAgo}`, {
        activityDisplayName: "User registered security info",
        minutesAgo,
        loggedByService: "Authentication Methods",
        category: "UserManagement",
        operationType: "Add",
        resultReason: "User registered Fido2 Authentication Method",
        initiatedBy: byUser(user(key)),
        targetResources: [userTarget(user(key))],
      }),
    );
  };
  // Failed attempts: a start (and creation options) with no later success.
  started("whfb-conflict", 6);
  started("windows-hello-blocked", 25);
  started("attestation-mismatch", 40);
  started("blocked-key", 55);
  // Successful registrations, with the AAGUID the Device Registration Service logs.
  registered("all-good", 20 * DAY, AAGUID.yubiKey5Series);
  registered("agent-1", 45 * DAY, AAGUID.authenticatorIos);
  registered("admin", 60 * DAY, AAGUID.yubiKey5Nfc);
  registered("samir.haddad", 30 * DAY, AAGUID.windowsHelloHardware);

  // Two days ago an administrator renamed upn-changed (a new surname): her YubiKey passkey, added 40 days ago, keeps the
  // old name (Microsoft's known issue: delete it and add it again). Core Directory logs the old and new UPN.
  audits.push(
    audit("upn-changed/rename", {
      activityDisplayName: "Update user",
      minutesAgo: 2 * DAY,
      loggedByService: "Core Directory",
      category: "UserManagement",
      operationType: "Update",
      initiatedBy: byUser(user("privileged-admin")),
      targetResources: [
        {
          ...userTarget(user("upn-changed")),
          modifiedProperties: [
            {
              displayName: "UserPrincipalName",
              oldValue: JSON.stringify([`jana.novak@${PRACTICE_DOMAIN}`]),
              newValue: JSON.stringify([user("upn-changed").userPrincipalName]),
            },
            { displayName: "Included Updated Properties", oldValue: null, newValue: '"UserPrincipalName"' },
          ],
        },
      ],
    }),
  );
  // The TAP has-tap holds was issued by the bot's app registration after her manager approved.
  audits.push(
    audit("has-tap/tap", {
      activityDisplayName: "Admin registered security info",
      minutesAgo: 15,
      loggedByService: "Authentication Methods",
      category: "UserManagement",
      operationType: "Add",
      resultReason: "Admin registered temporary access pass method for user",
      initiatedBy: {
        app: {
          appId: BOT_APP_ID,
          displayName: "Passkey Helpdesk",
          servicePrincipalId: stableGuid("sp/bot"),
          servicePrincipalName: null,
        },
      },
      targetResources: [userTarget(user("has-tap"))],
    }),
  );
  // Bulk-registration pattern: one Authentication Administrator issued eight TAPs within eight minutes.
  const newHires = [
    "amelia.ortiz",
    "bruno.keller",
    "chloe.dubois",
    "david.moravec",
    "eva.lindgren",
    "farid.rahimi",
    "greta.novotna",
    "hugo.santos",
  ];
  newHires.forEach((key, position) => {
    audits.push(
      audit(`bulk/${key}`, {
        activityDisplayName: "Admin registered security info",
        minutesAgo: 2 * DAY - position * MINUTE,
        loggedByService: "Authentication Methods",
        category: "UserManagement",
        operationType: "Add",
        resultReason: "Admin registered temporary access pass method for user",
        initiatedBy: byUser(user("dana.kovac")),
        targetResources: [userTarget(user(key))],
      }),
    );
  });
  // Three days ago the Windows Hello AAGUIDs moved from the Default profile into a dedicated profile and ring.
  audits.push(
    audit("policy-update", {
      activityDisplayName: "Authentication Methods Policy Update",
      minutesAgo: 3 * DAY,
      loggedByService: "Authentication Methods",
      category: "ApplicationManagement",
      operationType: "Update",
      initiatedBy: byUser(user("privileged-admin")),
      targetResources: [
        {
          id: null,
          displayName: "Authentication Methods Policy",
          type: "Policy",
          userPrincipalName: null,
          modifiedProperties: [
            {
              displayName: "Fido2.PasskeyProfiles[Default passkey profile].KeyRestrictions.AaGuids",
              oldValue: JSON.stringify([...DEFAULT_PROFILE_ALLOW_LIST, ...WINDOWS_HELLO_AAGUIDS]),
              newValue: JSON.stringify(DEFAULT_PROFILE_ALLOW_LIST),
            },
            {
              displayName: "Fido2.PasskeyProfiles[Windows Hello]",
              oldValue: null,
              newValue: JSON.stringify({
                passkeyTypes: 1,
                attestationEnforcement: 0,
                enforcementType: 0,
                aaGuids: WINDOWS_HELLO_AAGUIDS,
              }),
            },
            {
              displayName: "Fido2.IncludeTargets",
              oldValue: JSON.stringify([GROUP_IDS.pilotRing, GROUP_IDS.securityKeyRing]),
              newValue: JSON.stringify([GROUP_IDS.pilotRing, GROUP_IDS.windowsHelloRing, GROUP_IDS.securityKeyRing]),
            },
          ],
        },
      ],
    }),
  );
  return audits.sort((left, right) => (left.activityDateTime < right.activityDateTime ? 1 : -1));
}

function authenticationMethodsPolicy(
  isSelfServiceRegistrationAllowed: boolean,
): TenantFile["authenticationMethodsPolicy"] {
  const defaultRestrictions = { isEnforced: true, enforcementType: "allow", aaGuids: DEFAULT_PROFILE_ALLOW_LIST };
  return {
    id: "authenticationMethodsPolicy",
    displayName: "Authentication Methods Policy",
    description:
      "The tenant-wide policy that controls which authentication methods are allowed in the tenant, authentication method registration requirements, and self-service password reset settings",
    lastModifiedDateTime: ago(3 * DAY),
    policyVersion: "1.5",
    reconfirmationInDays: 0,
    policyMigrationState: "migrationComplete",
    registrationEnforcement: {
      authenticationMethodsRegistrationCampaign: {
        snoozeDurationInDays: 1,
        enforceRegistrationAfterAllowedSnoozes: true,
        state: "default",
        excludeTargets: [],
        includeTargets: [
          { id: "all_users", targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" },
        ],
      },
    },
    authenticationMethodConfigurations: [
      {
        "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
        id: "Fido2",
        state: "enabled",
        isSelfServiceRegistrationAllowed,
        isAttestationEnforced: false,
        keyRestrictions: defaultRestrictions,
        defaultPasskeyProfile: PROFILE_IDS.default,
        excludeTargets: [{ id: GROUP_IDS.passkeyExcluded, targetType: "group" }],
        includeTargets: [
          {
            id: GROUP_IDS.pilotRing,
            targetType: "group",
            isRegistrationRequired: false,
            allowedPasskeyProfiles: [PROFILE_IDS.default],
          },
          {
            id: GROUP_IDS.windowsHelloRing,
            targetType: "group",
            isRegistrationRequired: false,
            allowedPasskeyProfiles: [PROFILE_IDS.windowsHello],
          },
          {
            id: GROUP_IDS.securityKeyRing,
            targetType: "group",
            isRegistrationRequired: false,
            allowedPasskeyProfiles: [PROFILE_IDS.securityKeys],
          },
        ],
        passkeyProfiles: [
          {
            id: PROFILE_IDS.default,
            name: "Default passkey profile",
            passkeyTypes: "deviceBound,synced",
            attestationEnforcement: "disabled",
            keyRestrictions: defaultRestrictions,
          },
          {
            id: PROFILE_IDS.windowsHello,
            name: "Windows Hello",
            passkeyTypes: "deviceBound",
            attestationEnforcement: "disabled",
            keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: WINDOWS_HELLO_AAGUIDS },
          },
          {
            id: PROFILE_IDS.securityKeys,
            name: "Security keys (attested)",
            passkeyTypes: "deviceBound",
            attestationEnforcement: "registrationOnly",
            keyRestrictions: { isEnforced: true, enforcementType: "block", aaGuids: SECURITY_KEY_BLOCK_LIST },
          },
        ],
      },
      {
        "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration",
        id: "TemporaryAccessPass",
        state: "enabled",
        defaultLifetimeInMinutes: 60,
        defaultLength: 8,
        minimumLifetimeInMinutes: 60,
        maximumLifetimeInMinutes: 480,
        isUsableOnce: false,
        excludeTargets: [],
        includeTargets: [{ id: GROUP_IDS.tapEligible, targetType: "group", isRegistrationRequired: false }],
      },
      {
        "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
        id: "MicrosoftAuthenticator",
        state: "enabled",
        isSoftwareOathEnabled: false,
        excludeTargets: [],
        featureSettings: {
          displayAppInformationRequiredState: {
            state: "enabled",
            includeTarget: { targetType: "group", id: "all_users" },
          },
          displayLocationInformationRequiredState: {
            state: "enabled",
            includeTarget: { targetType: "group", id: "all_users" },
          },
        },
        includeTargets: [
          { id: "all_users", targetType: "group", isRegistrationRequired: false, authenticationMode: "any" },
        ],
      },
      {
        "@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration",
        id: "Sms",
        state: "enabled",
        excludeTargets: [],
        includeTargets: [
          { id: "all_users", targetType: "group", isRegistrationRequired: false, isUsableForSignIn: false },
        ],
      },
      {
        "@odata.type": "#microsoft.graph.emailAuthenticationMethodConfiguration",
        id: "Email",
        state: "disabled",
        allowExternalIdToUseEmailOtp: "default",
        excludeTargets: [],
        includeTargets: [],
      },
    ],
  };
}

const GROUP_TEXT: Record<GroupKey, [string, string]> = {
  helpdeskAgents: ["Helpdesk Agents", "Help-desk agents: may triage anyone and request Temporary Access Passes"],
  helpdeskAdmins: ["Helpdesk Admins", "Passkey Helpdesk administrators: inventory, reports and the audit ledger"],
  tapApprovers: ["TAP Approvers", "Approve TAP requests for users who have no manager in the directory"],
  pilotRing: ["Passkey pilot ring", "Passkey rollout ring 1: Default passkey profile"],
  windowsHelloRing: [
    "Passkey ring - Windows Hello",
    "Passkey rollout ring: Windows Hello profile (Entra passkeys on Windows)",
  ],
  securityKeyRing: ["Passkey ring - Security keys", "Passkey rollout ring: attested security keys, block list"],
  passkeyExcluded: ["Passkey rollout - excluded", "Excluded from the Passkey (FIDO2) method"],
  tapEligible: ["TAP eligible", "Users who may sign in with a Temporary Access Pass"],
  tierZeroAdmins: ["Tier 0 Administrators", "Role-assignable: holds Global Administrator for its members"],
  authAdminsPim: [
    "Authentication Admins (PIM)",
    "Role-assignable, PIM for Groups: eligible members activate Privileged Authentication Administrator",
  ],
  strictSecurityInfo: [
    "CA - strict security info",
    "Conditional Access: phishing-resistant MFA required to register security info",
  ],
};

/** Groups created role-assignable: only these can hold a directory role (Entra's rule). */
const ROLE_ASSIGNABLE_GROUPS: readonly GroupKey[] = ["tierZeroAdmins", "authAdminsPim"];

export function buildPracticeTenant(): TenantFile {
  const idOf = new Map(USERS.map((spec) => [spec.key, stableGuid(`user/${spec.key}`)]));
  const users: TenantUser[] = USERS.map((spec) => {
    const upn = upnOf(spec);
    const isGuest = spec.key === "external-guest";
    return {
      id: idOf.get(spec.key) as string,
      userPrincipalName: upn,
      displayName: isGuest ? `${spec.given} ${spec.surname} (Fabrikam)` : `${spec.given} ${spec.surname}`,
      givenName: spec.given,
      surname: spec.surname,
      mail: isGuest ? "external-guest@fabrikam.example" : upn,
      otherMails: isGuest ? ["external-guest@fabrikam.example"] : [],
      jobTitle: spec.jobTitle,
      department: spec.department,
      officeLocation: isGuest ? null : "Prague",
      preferredLanguage: spec.key === "stale-mfa" || spec.key === "no-manager" ? "cs-CZ" : "en-US",
      usageLocation: "CZ",
      accountEnabled: spec.isDisabled !== true,
      userType: isGuest ? "Guest" : "Member",
      creationType: isGuest ? "Invitation" : null,
      externalUserState: isGuest ? "Accepted" : null,
      createdDateTime: ago((spec.jobTitle.includes("new hire") ? 3 : 500) * DAY),
      managerId: spec.manager ? (idOf.get(spec.manager) as string) : null,
    };
  });
  const usersByKey = new Map(USERS.map((spec, index) => [spec.key, users[index] as TenantUser]));

  const groups = (Object.keys(GROUP_IDS) as GroupKey[]).map((groupKey) => {
    const memberIds = USERS.filter((spec) => spec.groups.includes(groupKey)).map(
      (spec) => idOf.get(spec.key) as string,
    );
    // Agents reach the pilot ring through group nesting, which exercises transitive membership checks.
    if (groupKey === "pilotRing") memberIds.push(GROUP_IDS.helpdeskAgents);
    const [displayName, description] = GROUP_TEXT[groupKey];
    return {
      id: GROUP_IDS[groupKey],
      displayName,
      description,
      mailEnabled: false,
      mailNickname: displayName.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
      securityEnabled: true,
      groupTypes: [],
      isAssignableToRole: ROLE_ASSIGNABLE_GROUPS.includes(groupKey),
      createdDateTime: ago(200 * DAY),
      memberIds,
    };
  });

  const principalIdOf = (principal: string) =>
    principal in GROUP_IDS ? GROUP_IDS[principal as GroupKey] : (idOf.get(principal) as string);
  const roleAssignments = [
    { principal: "privileged-admin", role: ROLE.globalAdministrator },
    { principal: "dana.kovac", role: ROLE.authenticationAdministrator },
    { principal: "tierZeroAdmins", role: ROLE.globalAdministrator },
    { principal: "authAdminsPim", role: ROLE.privilegedAuthenticationAdministrator },
  ].map(({ principal, role }) => ({
    id: Buffer.from(`${role.id}/${principalIdOf(principal)}`)
      .toString("base64url")
      .slice(0, 44),
    principalId: principalIdOf(principal),
    roleDefinitionId: role.id,
    directoryScopeId: "/",
    appScopeId: null,
    condition: null,
    principalOrganizationId: PRACTICE_TENANT_ID,
  }));
  const adminIds = new Set(roleAssignments.map((assignment) => assignment.principalId));
  // A role held through a role-assignable group makes its active members admins too.
  for (const group of groups) if (adminIds.has(group.id)) for (const id of group.memberIds) adminIds.add(id);

  const authenticationMethods: TenantFile["authenticationMethods"] = {};
  const userRegistrationDetails: NonNullable<TenantFile["userRegistrationDetails"]> = [];
  const devices: Device[] = [];
  const signIns: SignIn[] = [];
  const teamsAppInstallations: NonNullable<TenantFile["teamsAppInstallations"]> = {};
  USERS.forEach((spec, index) => {
    const user = users[index] as TenantUser;
    const methods = spec.methods(spec.key);
    authenticationMethods[user.id] = methods;
    userRegistrationDetails.push(registrationDetailsOf(user, methods, adminIds.has(user.id), ago(10 * MINUTE)));
    for (const device of spec.devices ?? []) {
      devices.push({
        id: stableGuid(`${spec.key}/device/${device.name}`),
        deviceId: stableGuid(`${spec.key}/device/${device.name}/deviceId`),
        displayName: device.name,
        operatingSystem: device.os,
        operatingSystemVersion: device.version,
        trustType: device.trustType,
        isManaged: device.trustType === "AzureAd",
        isCompliant: device.trustType === "AzureAd",
        accountEnabled: true,
        approximateLastSignInDateTime: ago(2 * MINUTE + index),
        registrationDateTime: ago(100 * DAY),
        profileType: "RegisteredDevice",
        manufacturer: device.os === "iOS" ? "Apple" : device.os.startsWith("Android") ? "Google" : null,
        model: device.model,
        deviceOwnership: device.trustType === "AzureAd" ? "Company" : "Personal",
        registeredOwnerIds: [user.id],
        registeredUserIds: [user.id],
      });
    }
    for (const entry of spec.signIns ?? []) signIns.push(signInRecord(user, spec, entry));
    if (spec.teamsApp) {
      teamsAppInstallations[user.id] = [
        {
          id: Buffer.from(`${user.id}##${TEAMS_APP_ID}`).toString("base64"),
          teamsAppId: TEAMS_APP_ID,
          displayName: "Passkey Helpdesk",
        },
      ];
    }
  });
  signIns.sort((left, right) => (left.createdDateTime < right.createdDateTime ? 1 : -1));

  const personas: TenantPersona[] = USERS.filter((spec) => spec.persona).map((spec) => {
    const persona = spec.persona as PersonaSpec;
    return {
      key: spec.key,
      userPrincipalName: upnOf(spec),
      role: persona.role,
      exercises: persona.exercises,
      scenario: persona.scenario,
      expected: persona.expected,
    };
  });

  return {
    formatVersion: 1,
    capturedDateTime: CAPTURED_DATE_TIME,
    rebaseTimes: true,
    organization: {
      id: PRACTICE_TENANT_ID,
      displayName: "Contoso (practice)",
      verifiedDomains: [{ name: PRACTICE_DOMAIN, isDefault: true, isInitial: true, type: "Managed" }],
    },
    personas,
    users,
    groups,
    devices,
    roleDefinitions: Object.values(ROLE).map((role) => ({
      id: role.id,
      templateId: role.id,
      displayName: role.displayName,
      isBuiltIn: true,
      isEnabled: true,
    })),
    roleAssignments,
    roleEligibilityScheduleInstances: [
      {
        id: Buffer.from(`eligible/${ROLE.globalAdministrator.id}/${idOf.get("nina.hofer")}`)
          .toString("base64url")
          .slice(0, 44),
        principalId: idOf.get("nina.hofer") as string,
        roleDefinitionId: ROLE.globalAdministrator.id,
        directoryScopeId: "/",
        startDateTime: ago(30 * DAY),
        endDateTime: null,
        memberType: "Direct",
        roleEligibilityScheduleId: stableGuid("eligibility/nina.hofer/global-administrator"),
      },
    ],
    privilegedAccessGroupEligibilityScheduleInstances: [
      {
        id: stableGuid("group-eligibility/petra.ulrich/auth-admins-pim"),
        groupId: GROUP_IDS.authAdminsPim,
        principalId: idOf.get("petra.ulrich") as string,
        accessId: "member",
        memberType: "direct",
        startDateTime: ago(30 * DAY),
        endDateTime: null,
        eligibilityScheduleId: stableGuid("group-eligibility-schedule/petra.ulrich/auth-admins-pim"),
      },
    ],
    authenticationMethodsPolicy: authenticationMethodsPolicy(true),
    authenticationMethods,
    userRegistrationDetails,
    signIns,
    directoryAudits: registrationAudits(usersByKey),
    teamsAppInstallations,
    applications: practiceApplications(),
    conditionalAccessPolicies: [
      {
        id: CONDITIONAL_ACCESS_POLICY_ID,
        displayName: "Require phishing-resistant MFA to register security info",
        state: "enabled",
        createdDateTime: ago(10 * DAY),
        modifiedDateTime: ago(10 * DAY),
        conditions: {
          users: {
            includeUsers: [],
            excludeUsers: [],
            includeGroups: [GROUP_IDS.strictSecurityInfo],
            excludeGroups: [],
          },
          applications: {
            includeApplications: [],
            excludeApplications: [],
            includeUserActions: ["urn:user:registersecurityinfo"],
          },
        },
        grantControls: { operator: "OR", builtInControls: [], authenticationStrength: PHISHING_RESISTANT_STRENGTH },
      },
    ],
  };
}

/** The same tenant with "Allow self-service set up" off: nobody can add a passkey, so question 1 fails for everyone. */
export function buildSelfServiceOffVariant(practice: TenantFile = buildPracticeTenant()): TenantFile {
  const variant = structuredClone(practice);
  const fido2 = variant.authenticationMethodsPolicy.authenticationMethodConfigurations.find(
    (entry) => entry.id === "Fido2",
  );
  if (fido2) fido2.isSelfServiceRegistrationAllowed = false;
  for (const persona of variant.personas ?? []) {
    if (persona.expected) persona.expected = { ...persona.expected, policyScope: "fail", firstBlocking: "policyScope" };
  }
  return variant;
}

export const PRACTICE_TENANT_PATH = join(__dirname, "..", "tenants", "contoso-practice.json");
export const SELF_SERVICE_OFF_PATH = join(__dirname, "..", "tenants", "contoso-practice-selfservice-off.json");

if (require.main === module) {
  const practice = buildPracticeTenant();
  writeFileSync(PRACTICE_TENANT_PATH, `${JSON.stringify(practice, null, 2)}\n`);
  writeFileSync(SELF_SERVICE_OFF_PATH, `${JSON.stringify(buildSelfServiceOffVariant(practice), null, 2)}\n`);
  console.log(`wrote ${PRACTICE_TENANT_PATH} and ${SELF_SERVICE_OFF_PATH}`);
}
