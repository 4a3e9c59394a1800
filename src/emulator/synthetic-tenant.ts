import type { TenantFile, TenantUser } from "./tenant-file.js";

/**
 * A large, deterministic, realistic tenant for load tests, paging tests and inventory benchmarks: the same seed gives
 * byte-identical output. Written with plain loops and one seeded PRNG (no per-user closures) so that 100,000 users
 * build in seconds and well under 1 GB. The method mix follows a tenant mid-rollout: about 30 % of users hold a
 * passkey (Authenticator, YubiKey, Windows Hello, a few synced and a few from a blocked model), others WHfB,
 * Authenticator push, phone only, or nothing but a password.
 */
export interface SyntheticTenantOptions {
  users: number;
  seed: number;
  /** Default 2026-11-20T10:00:00.000Z; times in the file are relative to it and rebased by the emulator. */
  capturedDateTime?: string;
}

export const SYNTHETIC_GROUP_IDS = {
  helpdeskAgents: "0a11e3b0-0000-4000-8000-000000000001",
  helpdeskAdmins: "0a11e3b0-0000-4000-8000-000000000002",
  tapApprovers: "0a11e3b0-0000-4000-8000-000000000003",
  pilotRing: "5e7a0000-0000-4000-8000-000000000010",
  windowsHelloRing: "5e7a0000-0000-4000-8000-000000000011",
  securityKeyRing: "5e7a0000-0000-4000-8000-000000000012",
  passkeyExcluded: "5e7a0000-0000-4000-8000-000000000013",
  tapEligible: "5e7a0000-0000-4000-8000-000000000014",
} as const;

const DEFAULT_PROFILE_ID = "00000000-0000-0000-0000-000000000001";
const WINDOWS_HELLO_PROFILE_ID = "5e7a0000-0000-4000-8000-0000000000a1";
const SECURITY_KEY_PROFILE_ID = "5e7a0000-0000-4000-8000-0000000000a2";

export const BOT_APP_ID = "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
export const LIMITED_APP_ID = "6a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const TEAMS_APP_ID = "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b";
const PASSWORD_METHOD_ID = "28c10230-6103-485e-b985-444c60001490";
const MOBILE_PHONE_METHOD_ID = "3179e48a-750b-4051-897c-87b9720928f7";

export const BOT_APPLICATION_PERMISSIONS: readonly string[] = [
  "User.Read.All",
  "GroupMember.Read.All",
  "Device.Read.All",
  "Policy.Read.AuthenticationMethod",
  "UserAuthenticationMethod.Read.All",
  "UserAuthMethod-Passkey.Read.All",
  "UserAuthMethod-TAP.ReadWrite.All",
  "UserAuthMethod-WindowsHello.Read.All",
  "UserAuthMethod-MicrosoftAuthApp.Read.All",
  "UserAuthMethod-Phone.Read.All",
  "UserAuthMethod-PlatformCred.Read.All",
  "AuditLog.Read.All",
  "RoleManagement.Read.Directory",
  "RoleEligibilitySchedule.Read.Directory",
  "TeamsAppInstallation.ReadWriteSelfForUser.All",
  // Conditional Access policies, for the registration loop (GET /identity/conditionalAccess/policies).
  "Policy.Read.All",
];
export const LIMITED_APPLICATION_PERMISSIONS: readonly string[] = ["User.Read.All", "Policy.Read.AuthenticationMethod"];

/** The practice app registrations every generated and practice tenant carries: the bot's, and a limited one for 403s. */
export function practiceApplications(): TenantFile["applications"] {
  return [
    {
      appId: BOT_APP_ID,
      displayName: "Passkey Helpdesk",
      clientSecret: "contoso-practice-bot-secret",
      applicationPermissions: [...BOT_APPLICATION_PERMISSIONS],
    },
    {
      appId: LIMITED_APP_ID,
      displayName: "Passkey Helpdesk (limited)",
      clientSecret: "contoso-practice-limited-secret",
      applicationPermissions: [...LIMITED_APPLICATION_PERMISSIONS],
    },
  ];
}

export const AAGUID = {
  authenticatorIos: "90a3ccdf-635c-4729-a248-9b709135078f",
  authenticatorAndroid: "de1e552d-db1d-4423-a619-566b625cdc84",
  windowsHelloHardware: "08987058-cadc-4b81-b6e1-30de50dcbe96",
  windowsHelloVbsHardware: "9ddd1817-af5a-4672-a2b9-3e3dd95000a9",
  windowsHelloSoftware: "6028b017-b1d4-4c02-b4b3-afcdafc96bb2",
  yubiKey5Series: "ee882879-721c-4913-9775-3dfcce97072a",
  yubiKey5Nfc: "fa2b99dc-9e39-4257-8f92-4a30d23c4118",
  yubiKey5NfcFirmware: "2fc0579f-8113-47ea-b116-bb5a8db9202a",
  yubiKey5Fips: "57f7de54-c807-4eab-b1c6-1c9be7984e92",
  feitianEpassFido2Nfc: "ee041bce-25e5-4cdb-8f86-897fd6418464",
  applePasswords: "fbfc3007-154e-4ecc-8c0b-6e020557d7bd",
  googlePasswordManager: "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4",
} as const;

type Method = Record<string, unknown> & { id: string; "@odata.type": string };

const AUTHENTICATOR_AAGUIDS = new Set<string>([AAGUID.authenticatorIos, AAGUID.authenticatorAndroid]);
const WINDOWS_HELLO_AAGUIDS = new Set<string>([
  AAGUID.windowsHelloHardware,
  AAGUID.windowsHelloVbsHardware,
  AAGUID.windowsHelloSoftware,
]);

function passkeyRegistrationName(method: Method): string {
  if (method.passkeyType === "synced") return "passKeySynced";
  const aaGuid = String(method.aaGuid ?? "").toLowerCase();
  if (AUTHENTICATOR_AAGUIDS.has(aaGuid)) return "passKeyDeviceBoundAuthenticator";
  if (WINDOWS_HELLO_AAGUIDS.has(aaGuid)) return "passKeyDeviceBoundWindowsHello";
  return "passKeyDeviceBound";
}

/**
 * The `userRegistrationDetails` entry Entra's report would show for these methods (without its reporting delay).
 * Shared with the practice-tenant builder so every tenant file agrees with its own methods.
 */
export function registrationDetailsOf(
  user: Pick<TenantUser, "id" | "userPrincipalName" | "displayName" | "userType">,
  methods: readonly Method[],
  isAdmin: boolean,
  lastUpdatedDateTime: string,
): Record<string, unknown> & { id: string } {
  const registered: string[] = [];
  let hasPush = false;
  let hasMobilePhone = false;
  let hasOath = false;
  let isPasswordless = false;
  for (const method of methods) {
    switch (method["@odata.type"]) {
      case "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod":
        if (!hasPush) registered.push("microsoftAuthenticatorPush");
        hasPush = true;
        break;
      case "#microsoft.graph.phoneAuthenticationMethod":
        if (method.phoneType === "mobile") {
          registered.push("mobilePhone");
          hasMobilePhone = true;
        } else registered.push(method.phoneType === "alternateMobile" ? "alternateMobilePhone" : "officePhone");
        break;
      case "#microsoft.graph.softwareOathAuthenticationMethod":
        registered.push("softwareOneTimePasscode");
        hasOath = true;
        break;
      case "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod":
        if (!registered.includes("windowsHelloForBusiness")) registered.push("windowsHelloForBusiness");
        isPasswordless = true;
        break;
      case "#microsoft.graph.fido2AuthenticationMethod": {
        const name = passkeyRegistrationName(method);
        if (!registered.includes(name)) registered.push(name);
        isPasswordless = true;
        break;
      }
      case "#microsoft.graph.temporaryAccessPassAuthenticationMethod":
        registered.push("temporaryAccessPass");
        break;
      case "#microsoft.graph.emailAuthenticationMethod":
        registered.push("email");
        break;
      default:
        break;
    }
  }
  const isMfaRegistered = hasPush || hasMobilePhone || hasOath || isPasswordless;
  const preferred = hasPush ? "push" : hasOath ? "oath" : hasMobilePhone ? "sms" : "none";
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    userDisplayName: user.displayName,
    userType: user.userType === "Guest" ? "guest" : "member",
    isAdmin,
    isMfaCapable: isMfaRegistered,
    isMfaRegistered,
    isPasswordlessCapable: isPasswordless,
    isSsprCapable: isMfaRegistered,
    isSsprEnabled: true,
    isSsprRegistered: isMfaRegistered,
    isSystemPreferredAuthenticationMethodEnabled: true,
    systemPreferredAuthenticationMethods: [preferred],
    userPreferredMethodForSecondaryAuthentication: preferred,
    methodsRegistered: registered,
    lastUpdatedDateTime,
  };
}

/** mulberry32: tiny, fast, good enough for test data, and identical on every platform. */
class SeededRandom {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  below(limit: number): number {
    return Math.floor(this.next() * limit);
  }
  hex32(): string {
    return ((this.next() * 4294967296) >>> 0).toString(16).padStart(8, "0");
  }
  /** A version-4-shaped GUID. */
  guid(): string {
    const a = this.hex32();
    const b = this.hex32();
    const c = this.hex32();
    const d = this.hex32();
    const variant = "89ab"[this.below(4)];
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4, 8)}${d}`;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)] as T;
  }
}

const GIVEN_NAMES = [
  "Adele",
  "Alex",
  "Allan",
  "Ben",
  "Carla",
  "Chen",
  "Dana",
  "Diego",
  "Elif",
  "Emily",
  "Farah",
  "Grady",
  "Hana",
  "Irvin",
  "Jakub",
  "Joni",
  "Kenji",
  "Lara",
  "Lee",
  "Lidia",
  "Marek",
  "Megan",
  "Mia",
  "Nestor",
  "Nora",
  "Olga",
  "Pavel",
  "Priya",
  "Rafael",
  "Sara",
  "Tomas",
  "Uma",
  "Vera",
  "Wei",
  "Yusuf",
  "Zofia",
];
const SURNAMES = [
  "Novak",
  "Svoboda",
  "Dvorak",
  "Cerny",
  "Okafor",
  "Gupta",
  "Haddad",
  "Holloway",
  "Kovac",
  "Lorenz",
  "Mueller",
  "Nakamura",
  "Olsen",
  "Petrov",
  "Quinn",
  "Rossi",
  "Sato",
  "Sherman",
  "Tanaka",
  "Ueda",
  "Varga",
  "Wilke",
  "Young",
];
const DEPARTMENTS = ["Sales", "Finance", "Engineering", "Operations", "Legal", "Marketing", "HR", "Support"];
const JOB_TITLES = ["Analyst", "Engineer", "Specialist", "Consultant", "Coordinator", "Associate", "Lead"];

interface PasskeyKind {
  aaGuid: string;
  displayName: string;
  model: string;
  passkeyType: "deviceBound" | "synced";
  isAttested: boolean;
  weight: number;
}

const PASSKEY_KINDS: readonly PasskeyKind[] = [
  {
    aaGuid: AAGUID.authenticatorIos,
    displayName: "Microsoft Authenticator - iOS",
    model: "Microsoft Authenticator - iOS",
    passkeyType: "deviceBound",
    isAttested: false,
    weight: 28,
  },
  {
    aaGuid: AAGUID.authenticatorAndroid,
    displayName: "Microsoft Authenticator - Android",
    model: "Microsoft Authenticator - Android",
    passkeyType: "deviceBound",
    isAttested: false,
    weight: 20,
  },
  {
    aaGuid: AAGUID.yubiKey5Nfc,
    displayName: "YubiKey 5 NFC",
    model: "YubiKey 5 Series with NFC",
    passkeyType: "deviceBound",
    isAttested: true,
    weight: 14,
  },
  {
    aaGuid: AAGUID.yubiKey5Series,
    displayName: "YubiKey 5C",
    model: "YubiKey 5 Series",
    passkeyType: "deviceBound",
    isAttested: true,
    weight: 10,
  },
  {
    aaGuid: AAGUID.yubiKey5Fips,
    displayName: "YubiKey 5 FIPS",
    model: "YubiKey 5 FIPS Series",
    passkeyType: "deviceBound",
    isAttested: true,
    weight: 4,
  },
  {
    aaGuid: AAGUID.windowsHelloHardware,
    displayName: "Windows Hello",
    model: "Windows Hello Hardware Authenticator",
    passkeyType: "deviceBound",
    isAttested: false,
    weight: 12,
  },
  {
    aaGuid: AAGUID.feitianEpassFido2Nfc,
    displayName: "Feitian ePass",
    model: "Feitian ePass FIDO2-NFC Authenticator",
    passkeyType: "deviceBound",
    isAttested: true,
    weight: 4,
  },
  {
    aaGuid: AAGUID.applePasswords,
    displayName: "iCloud Keychain",
    model: "Apple Passwords",
    passkeyType: "synced",
    isAttested: false,
    weight: 5,
  },
  {
    aaGuid: AAGUID.googlePasswordManager,
    displayName: "Google Password Manager",
    model: "Google Password Manager",
    passkeyType: "synced",
    isAttested: false,
    weight: 3,
  },
];
const PASSKEY_WEIGHT_TOTAL = PASSKEY_KINDS.reduce((total, kind) => total + kind.weight, 0);

/** Which kind of user the generator is drawing; decides the methods and the device. */
const Profile = { Passkey: 0, WindowsHelloForBusiness: 1, Authenticator: 2, PhoneOnly: 3, PasswordOnly: 4 } as const;
type Profile = (typeof Profile)[keyof typeof Profile];

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export function generateSyntheticTenant(options: SyntheticTenantOptions): TenantFile {
  const userCount = Math.max(1, Math.floor(options.users));
  const random = new SeededRandom(options.seed);
  const capturedDateTime = options.capturedDateTime ?? "2026-11-20T10:00:00.000Z";
  const capturedMs = Date.parse(capturedDateTime);
  const at = (msBefore: number) => new Date(capturedMs - msBefore).toISOString();
  const tenantId = random.guid();
  const domain = `synthetic${options.seed >>> 0}.onmicrosoft.com`;

  const users: TenantUser[] = new Array(userCount);
  const authenticationMethods: TenantFile["authenticationMethods"] = {};
  const userRegistrationDetails: NonNullable<TenantFile["userRegistrationDetails"]> = new Array(userCount);
  const devices: NonNullable<TenantFile["devices"]> = [];
  const signIns: NonNullable<TenantFile["signIns"]> = [];
  const directoryAudits: NonNullable<TenantFile["directoryAudits"]> = [];
  const pilot: string[] = [];
  const windowsHelloRing: string[] = [];
  const securityKeyRing: string[] = [];
  const excluded: string[] = [];
  const tapEligible: string[] = [];
  const agents: string[] = [];
  const admins: string[] = [];
  const approvers: string[] = [];
  const adminIndexes = new Set<number>();
  for (let index = 1; index < userCount && adminIndexes.size < Math.min(10, Math.ceil(userCount / 1000)); index += 97) {
    adminIndexes.add(index);
  }

  for (let index = 0; index < userCount; index++) {
    const id = random.guid();
    const given = random.pick(GIVEN_NAMES);
    const surname = random.pick(SURNAMES);
    const isGuest = index > 0 && random.next() < 0.01;
    const localPart = `${given}.${surname}${index}`.toLowerCase();
    const userPrincipalName = isGuest ? `${localPart}_partner.example#EXT#@${domain}` : `${localPart}@${domain}`;
    const displayName = `${given} ${surname}`;
    const department = DEPARTMENTS[index % DEPARTMENTS.length] as string;
    // Managers form a tree by index: every 10th user leads the nine after it, every 100th leads those leads, …
    let managerIndex = -1;
    if (index > 0 && !isGuest) {
      let span = 10;
      managerIndex = index - (index % span);
      while (managerIndex === index && span < 10_000_000) {
        span *= 10;
        managerIndex = index - (index % span);
      }
      if (managerIndex === index) managerIndex = 0;
    }
    const user: TenantUser = {
      id,
      userPrincipalName,
      displayName,
      givenName: given,
      surname,
      mail: isGuest ? `${localPart}@partner.example` : userPrincipalName,
      jobTitle: `${department} ${random.pick(JOB_TITLES)}`,
      department,
      preferredLanguage: random.next() < 0.2 ? "cs-CZ" : "en-US",
      accountEnabled: random.next() > 0.02,
      userType: isGuest ? "Guest" : "Member",
      creationType: isGuest ? "Invitation" : null,
      createdDateTime: at((30 + random.below(1500)) * DAY),
      managerId: managerIndex >= 0 && random.next() > 0.01 ? (users[managerIndex]?.id ?? null) : null,
    };
    users[index] = user;

    const ring = random.next();
    if (!isGuest) {
      if (ring < 0.5) pilot.push(id);
      else if (ring < 0.65) windowsHelloRing.push(id);
      else if (ring < 0.75) securityKeyRing.push(id);
      if (random.next() < 0.02) excluded.push(id);
      if (random.next() < 0.95) tapEligible.push(id);
    }
    if (index > 0 && index % 5000 === 1 && agents.length < 20) agents.push(id);
    if (index > 0 && index % 20000 === 2 && admins.length < 5) admins.push(id);
    if (index > 0 && index % 10000 === 3 && approvers.length < 10) approvers.push(id);

    const createdMs = (5 + random.below(700)) * DAY;
    const methods: Method[] = [
      {
        "@odata.type": "#microsoft.graph.passwordAuthenticationMethod",
        id: PASSWORD_METHOD_ID,
        password: null,
        createdDateTime: at(createdMs + DAY),
      },
    ];
    const draw = random.next();
    const profile: Profile = isGuest
      ? Profile.PasswordOnly
      : draw < 0.3
        ? Profile.Passkey
        : draw < 0.42
          ? Profile.WindowsHelloForBusiness
          : draw < 0.72
            ? Profile.Authenticator
            : draw < 0.88
              ? Profile.PhoneOnly
              : Profile.PasswordOnly;
    const isWindows = profile === Profile.WindowsHelloForBusiness || random.next() < 0.6;
    if (profile !== Profile.PhoneOnly && profile !== Profile.PasswordOnly) {
      const isIos = random.next() < 0.6;
      methods.push({
        "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
        id: random.guid(),
        displayName: isIos ? "iPhone" : "Android phone",
        deviceTag: "SoftwareTokenActivated",
        phoneAppVersion: isIos ? "6.8.40" : "6.2508.5123",
        createdDateTime: at(createdMs),
      });
    }
    if (profile === Profile.PhoneOnly || random.next() < 0.25) {
      methods.push({
        "@odata.type": "#microsoft.graph.phoneAuthenticationMethod",
        id: MOBILE_PHONE_METHOD_ID,
        phoneNumber: `+420 6${String(10_000_000 + random.below(89_999_999))}`,
        phoneType: "mobile",
        smsSignInState: "notAllowedByPolicy",
        createdDateTime: at(createdMs),
      });
    }
    if (profile === Profile.WindowsHelloForBusiness || (profile === Profile.Passkey && random.next() < 0.2)) {
      methods.push({
        "@odata.type": "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod",
        id: random.guid(),
        displayName: `CONTOSO-LT-${String(index).padStart(6, "0")}`,
        keyStrength: "normal",
        createdDateTime: at(createdMs),
      });
    }
    if (profile === Profile.Passkey) {
      let roll = random.below(PASSKEY_WEIGHT_TOTAL);
      let kind = PASSKEY_KINDS[0] as PasskeyKind;
      for (const candidate of PASSKEY_KINDS) {
        if (roll < candidate.weight) {
          kind = candidate;
          break;
        }
        roll -= candidate.weight;
      }
      const passkeyId = random.guid();
      methods.push({
        "@odata.type": "#microsoft.graph.fido2AuthenticationMethod",
        id: passkeyId,
        displayName: kind.displayName,
        aaGuid: kind.aaGuid,
        model: kind.model,
        attestationCertificates: kind.isAttested ? [random.hex32() + random.hex32() + random.hex32()] : [],
        attestationLevel: kind.isAttested ? "attested" : "notAttested",
        passkeyType: kind.passkeyType,
        createdDateTime: at(createdMs - DAY),
      });
      if (random.next() < 0.1) {
        directoryAudits.push(passkeyAddedAudit(random, user, kind, at(createdMs - DAY)));
      }
    }
    if (profile === Profile.PasswordOnly && !isGuest && random.next() < 0.1) {
      const startMs = random.below(3 * DAY);
      methods.push({
        "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethod",
        id: random.guid(),
        temporaryAccessPass: null,
        createdDateTime: at(startMs),
        startDateTime: at(startMs),
        lifetimeInMinutes: 60,
        isUsableOnce: true,
        isUsable: startMs < 60 * MINUTE,
        methodUsabilityReason: startMs < 60 * MINUTE ? "EnabledByPolicy" : "Expired",
      });
    }
    authenticationMethods[id] = methods;
    userRegistrationDetails[index] = registrationDetailsOf(user, methods, adminIndexes.has(index), at(6 * 60 * MINUTE));

    const deviceOs = isWindows ? "Windows" : random.next() < 0.6 ? "iOS" : "Android";
    devices.push({
      id: random.guid(),
      deviceId: random.guid(),
      displayName: isWindows ? `CONTOSO-LT-${String(index).padStart(6, "0")}` : deviceOs === "iOS" ? "iPhone" : "Pixel",
      operatingSystem: deviceOs,
      operatingSystemVersion: isWindows
        ? random.next() < 0.85
          ? "10.0.26100.4349"
          : "10.0.19045.5737"
        : deviceOs === "iOS"
          ? random.pick(["18.1", "17.6.1", "16.7.10"])
          : random.pick(["15.0", "14.0", "13.0"]),
      trustType: profile === Profile.WindowsHelloForBusiness ? "AzureAd" : "Workplace",
      isManaged: profile === Profile.WindowsHelloForBusiness,
      isCompliant: profile === Profile.WindowsHelloForBusiness,
      approximateLastSignInDateTime: at(random.below(14 * DAY)),
      registrationDateTime: at(createdMs + DAY),
      profileType: "RegisteredDevice",
      accountEnabled: true,
      registeredOwnerIds: [id],
      registeredUserIds: [id],
    });

    if (random.next() < 0.05) {
      const hasMfaMethod = profile !== Profile.PasswordOnly;
      signIns.push(syntheticSignIn(random, user, at(random.below(7 * DAY)), hasMfaMethod));
    }
  }

  const adminList = [...adminIndexes].map((index) => users[index] as TenantUser);
  const bulkAdmin = adminList[0] ?? (users[0] as TenantUser);
  for (let burst = 0; burst < Math.min(12, userCount); burst++) {
    const target = users[(burst * 7919) % userCount] as TenantUser;
    directoryAudits.push({
      id: `Directory_${random.guid()}`,
      category: "UserManagement",
      correlationId: random.guid(),
      result: "success",
      resultReason: "Admin registered temporary access pass method for user",
      activityDisplayName: "Admin registered security info",
      activityDateTime: at(2 * DAY - burst * 30_000),
      loggedByService: "Authentication Methods",
      operationType: "Add",
      initiatedBy: {
        user: { id: bulkAdmin.id, displayName: bulkAdmin.displayName, userPrincipalName: bulkAdmin.userPrincipalName },
      },
      targetResources: [
        { id: target.id, displayName: target.displayName, type: "User", userPrincipalName: target.userPrincipalName },
      ],
      additionalDetails: [],
    });
  }
  directoryAudits.push({
    id: `Directory_${random.guid()}`,
    category: "ApplicationManagement",
    correlationId: random.guid(),
    result: "success",
    resultReason: "",
    activityDisplayName: "Authentication Methods Policy Update",
    activityDateTime: at(3 * DAY),
    loggedByService: "Authentication Methods",
    operationType: "Update",
    initiatedBy: {
      user: { id: bulkAdmin.id, displayName: bulkAdmin.displayName, userPrincipalName: bulkAdmin.userPrincipalName },
    },
    targetResources: [
      { id: null, displayName: "Fido2", type: "Policy", userPrincipalName: null, modifiedProperties: [] },
    ],
    additionalDetails: [],
  });
  directoryAudits.sort((left, right) => (left.activityDateTime < right.activityDateTime ? 1 : -1));
  signIns.sort((left, right) => (left.createdDateTime < right.createdDateTime ? 1 : -1));

  const teamsAppInstallations: NonNullable<TenantFile["teamsAppInstallations"]> = {};
  for (const userId of [...agents, ...admins, ...approvers]) {
    teamsAppInstallations[userId] = [
      {
        id: Buffer.from(`${userId}##${TEAMS_APP_ID}`).toString("base64"),
        teamsAppId: TEAMS_APP_ID,
        displayName: "Passkey Helpdesk",
      },
    ];
  }

  const group = (id: string, displayName: string, description: string, memberIds: string[]) => ({
    id,
    displayName,
    description,
    mailEnabled: false,
    mailNickname: displayName.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
    securityEnabled: true,
    groupTypes: [] as string[],
    createdDateTime: at(400 * DAY),
    memberIds,
  });

  return {
    formatVersion: 1,
    capturedDateTime,
    rebaseTimes: true,
    organization: {
      id: tenantId,
      displayName: `Synthetic tenant (seed ${options.seed}, ${userCount} users)`,
      verifiedDomains: [{ name: domain, isDefault: true, isInitial: true, type: "Managed" }],
    },
    users,
    groups: [
      group(
        SYNTHETIC_GROUP_IDS.helpdeskAgents,
        "Helpdesk Agents",
        "Help-desk agents allowed to request TAPs",
        agents.length ? agents : [users[0]?.id as string],
      ),
      group(
        SYNTHETIC_GROUP_IDS.helpdeskAdmins,
        "Helpdesk Admins",
        "Passkey Helpdesk administrators",
        admins.length ? admins : [users[0]?.id as string],
      ),
      group(
        SYNTHETIC_GROUP_IDS.tapApprovers,
        "TAP Approvers",
        "Approve TAPs for users without a manager",
        approvers.length ? approvers : [users[0]?.id as string],
      ),
      group(
        SYNTHETIC_GROUP_IDS.pilotRing,
        "Passkey pilot ring",
        "Passkey rollout ring 1 (Default passkey profile)",
        pilot,
      ),
      group(
        SYNTHETIC_GROUP_IDS.windowsHelloRing,
        "Passkey ring - Windows Hello",
        "Passkey rollout ring with the Windows Hello profile",
        windowsHelloRing,
      ),
      group(
        SYNTHETIC_GROUP_IDS.securityKeyRing,
        "Passkey ring - Security keys",
        "Passkey rollout ring with the attested security key profile",
        securityKeyRing,
      ),
      group(
        SYNTHETIC_GROUP_IDS.passkeyExcluded,
        "Passkey rollout - excluded",
        "Excluded from the Passkey (FIDO2) method",
        excluded,
      ),
      group(
        SYNTHETIC_GROUP_IDS.tapEligible,
        "TAP eligible",
        "Targeted by the Temporary Access Pass method",
        tapEligible,
      ),
    ],
    devices,
    roleDefinitions: [
      {
        id: "62e90394-69f5-4237-9190-012177145e10",
        templateId: "62e90394-69f5-4237-9190-012177145e10",
        displayName: "Global Administrator",
        isBuiltIn: true,
      },
      {
        id: "c4e39bd9-1100-46d3-8c65-fb160da0071f",
        templateId: "c4e39bd9-1100-46d3-8c65-fb160da0071f",
        displayName: "Authentication Administrator",
        isBuiltIn: true,
      },
    ],
    roleAssignments: adminList.map((admin, position) => ({
      id: `synthetic-assignment-${position}`,
      principalId: admin.id,
      roleDefinitionId:
        position === 0 ? "c4e39bd9-1100-46d3-8c65-fb160da0071f" : "62e90394-69f5-4237-9190-012177145e10",
      directoryScopeId: "/",
    })),
    roleEligibilityScheduleInstances: [],
    authenticationMethodsPolicy: {
      id: "authenticationMethodsPolicy",
      displayName: "Authentication Methods Policy",
      description: "The tenant-wide policy that controls which authentication methods are allowed in the tenant.",
      lastModifiedDateTime: at(3 * DAY),
      policyVersion: "1.5",
      reconfirmationInDays: 0,
      policyMigrationState: "migrationComplete",
      authenticationMethodConfigurations: [
        {
          "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
          id: "Fido2",
          state: "enabled",
          isSelfServiceRegistrationAllowed: true,
          isAttestationEnforced: false,
          keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: defaultProfileAllowList() },
          defaultPasskeyProfile: DEFAULT_PROFILE_ID,
          excludeTargets: [{ id: SYNTHETIC_GROUP_IDS.passkeyExcluded, targetType: "group" }],
          includeTargets: [
            {
              id: SYNTHETIC_GROUP_IDS.pilotRing,
              targetType: "group",
              isRegistrationRequired: false,
              allowedPasskeyProfiles: [DEFAULT_PROFILE_ID],
            },
            {
              id: SYNTHETIC_GROUP_IDS.windowsHelloRing,
              targetType: "group",
              isRegistrationRequired: false,
              allowedPasskeyProfiles: [WINDOWS_HELLO_PROFILE_ID],
            },
            {
              id: SYNTHETIC_GROUP_IDS.securityKeyRing,
              targetType: "group",
              isRegistrationRequired: false,
              allowedPasskeyProfiles: [SECURITY_KEY_PROFILE_ID],
            },
          ],
          passkeyProfiles: [
            {
              id: DEFAULT_PROFILE_ID,
              name: "Default passkey profile",
              passkeyTypes: "deviceBound,synced",
              attestationEnforcement: "disabled",
              keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: defaultProfileAllowList() },
            },
            {
              id: WINDOWS_HELLO_PROFILE_ID,
              name: "Windows Hello",
              passkeyTypes: "deviceBound",
              attestationEnforcement: "disabled",
              keyRestrictions: {
                isEnforced: true,
                enforcementType: "allow",
                aaGuids: [AAGUID.windowsHelloHardware, AAGUID.windowsHelloVbsHardware, AAGUID.windowsHelloSoftware],
              },
            },
            {
              id: SECURITY_KEY_PROFILE_ID,
              name: "Security keys (attested)",
              passkeyTypes: "deviceBound",
              attestationEnforcement: "registrationOnly",
              keyRestrictions: { isEnforced: true, enforcementType: "block", aaGuids: [AAGUID.feitianEpassFido2Nfc] },
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
          includeTargets: [{ id: SYNTHETIC_GROUP_IDS.tapEligible, targetType: "group", isRegistrationRequired: false }],
          excludeTargets: [],
        },
        {
          "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
          id: "MicrosoftAuthenticator",
          state: "enabled",
          isSoftwareOathEnabled: false,
          includeTargets: [
            { id: "all_users", targetType: "group", isRegistrationRequired: false, authenticationMode: "any" },
          ],
          excludeTargets: [],
        },
      ],
    },
    authenticationMethods,
    userRegistrationDetails,
    signIns,
    directoryAudits,
    teamsAppInstallations,
    applications: practiceApplications(),
  };
}

function defaultProfileAllowList(): string[] {
  return [
    AAGUID.authenticatorIos,
    AAGUID.authenticatorAndroid,
    AAGUID.yubiKey5Series,
    AAGUID.yubiKey5Nfc,
    AAGUID.yubiKey5NfcFirmware,
    AAGUID.yubiKey5Fips,
  ];
}

function passkeyAddedAudit(
  random: SeededRandom,
  user: TenantUser,
  kind: PasskeyKind,
  activityDateTime: string,
): NonNullable<TenantFile["directoryAudits"]>[number] {
  return {
    id: `Directory_${random.guid()}`,
    category: "UserManagement",
    correlationId: random.guid(),
    result: "success",
    resultReason: "",
    activityDisplayName: kind.passkeyType === "synced" ? "Add Passkey (synced)" : "Add Passkey (device-bound)",
    activityDateTime,
    loggedByService: "Device Registration Service",
    operationType: "Add",
    initiatedBy: { user: { id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName } },
    targetResources: [
      { id: user.id, displayName: user.displayName, type: "User", userPrincipalName: user.userPrincipalName },
    ],
    additionalDetails: [{ key: "AAGuid", value: kind.aaGuid }],
  };
}

function syntheticSignIn(
  random: SeededRandom,
  user: TenantUser,
  createdDateTime: string,
  hasMfaMethod: boolean,
): NonNullable<TenantFile["signIns"]>[number] {
  const details: Array<Record<string, unknown>> = [
    {
      authenticationStepDateTime: createdDateTime,
      authenticationMethod: "Password",
      authenticationMethodDetail: "Password in the cloud",
      succeeded: true,
      authenticationStepResultDetail: "Correct password",
      authenticationStepRequirement: "Primary authentication",
    },
  ];
  if (hasMfaMethod) {
    details.push({
      authenticationStepDateTime: createdDateTime,
      authenticationMethod: "Mobile app notification",
      authenticationMethodDetail: null,
      succeeded: true,
      authenticationStepResultDetail: "MFA successfully completed",
      authenticationStepRequirement: "Multifactor authentication",
    });
  }
  return {
    id: random.guid(),
    createdDateTime,
    userId: user.id,
    userPrincipalName: user.userPrincipalName,
    userDisplayName: user.displayName,
    appId: "4765445b-32c6-49b0-83e6-1d93765276ca",
    appDisplayName: "OfficeHome",
    isInteractive: true,
    status: { errorCode: 0, failureReason: "Other.", additionalDetails: null },
    authenticationRequirement: hasMfaMethod ? "multiFactorAuthentication" : "singleFactorAuthentication",
    authenticationDetails: details,
    deviceDetail: { operatingSystem: "Windows10", browser: "Edge 131.0.0", displayName: "" },
  };
}
