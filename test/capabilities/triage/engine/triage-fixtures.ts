import { createAuthenticatorCatalog } from "../../../../src/capabilities/authenticators/create-authenticator-catalog.js";
import type { TriageInput } from "../../../../src/capabilities/triage/engine/diagnosis.js";
import type {
  AuthenticationMethod,
  DirectoryAuditRecord,
  DirectoryDevice,
  Fido2Policy,
  GraphRead,
  PasskeyProfile,
  ReadProblem,
  SignInRecord,
  TemporaryAccessPassMethod,
  TemporaryAccessPassPolicy,
} from "../../../../src/graph/model.js";

export const NOW = new Date("2026-11-22T10:00:00Z");
export const USER_ID = "11111111-1111-4111-8111-111111111111";
export const PILOT_GROUP = "22222222-2222-4222-8222-222222222222";
export const EXCLUDED_GROUP = "33333333-3333-4333-8333-333333333333";
export const TAP_GROUP = "44444444-4444-4444-8444-444444444444";
export const DEFAULT_PROFILE_ID = "00000000-0000-0000-0000-000000000001";
export const WINDOWS_PROFILE_ID = "55555555-5555-4555-8555-555555555555";

export const WH_HARDWARE = "08987058-cadc-4b81-b6e1-30de50dcbe96";
export const WH_VBS = "9ddd1817-af5a-4672-a2b9-3e3dd95000a9";
export const WH_SOFTWARE = "6028b017-b1d4-4c02-b4b3-afcdafc96bb2";
export const AUTHENTICATOR_IOS = "90a3ccdf-635c-4729-a248-9b709135078f";
export const AUTHENTICATOR_ANDROID = "de1e552d-db1d-4423-a619-566b625cdc84";
export const YUBIKEY_5 = "cb69481e-8ff7-4039-93ec-0a2729a154a8";
export const YUBIKEY_5_NFC = "fa2b99dc-9e39-4257-8f92-4a30d23c4118";
export const GOOGLE_PASSWORD_MANAGER = "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4";

export const catalog = createAuthenticatorCatalog();

export const ok = <T>(value: T): GraphRead<T> => ({ ok: true, value });
export const failed = <T>(problem: ReadProblem): GraphRead<T> => ({ ok: false, problem });

/** One of each GraphRead problem, for "unknown names what was missing" tables. */
export const READ_PROBLEMS: Array<[string, ReadProblem, string]> = [
  ["accessDenied", { kind: "accessDenied", missingPermission: null }, "accessDenied"],
  ["throttled", { kind: "throttled", retryAfterSeconds: 12 }, "throttled"],
  ["unavailable", { kind: "unavailable", detail: "503" }, "unavailable"],
  ["notRequested", { kind: "notRequested" }, "notRequested"],
];

export function minutesAgo(minutes: number): string {
  return new Date(NOW.getTime() - minutes * 60_000).toISOString();
}

export function profile(overrides: Partial<PasskeyProfile> = {}): PasskeyProfile {
  return {
    id: DEFAULT_PROFILE_ID,
    name: "Default passkey profile",
    passkeyTypes: "deviceBound",
    attestationEnforcement: "disabled",
    keyRestrictions: { isEnforced: false, enforcementType: "allow", aaGuids: [] },
    ...overrides,
  };
}

export function allowList(...aaGuids: string[]) {
  return { isEnforced: true, enforcementType: "allow" as const, aaGuids };
}

export function blockList(...aaGuids: string[]) {
  return { isEnforced: true, enforcementType: "block" as const, aaGuids };
}

export function fido2Policy(overrides: Partial<Fido2Policy> = {}): Fido2Policy {
  return {
    id: "Fido2",
    state: "enabled",
    isSelfServiceRegistrationAllowed: true,
    isAttestationEnforced: false,
    keyRestrictions: null,
    defaultPasskeyProfile: DEFAULT_PROFILE_ID,
    includeTargets: [{ id: PILOT_GROUP, targetType: "group", allowedPasskeyProfiles: [DEFAULT_PROFILE_ID] }],
    excludeTargets: [],
    passkeyProfiles: [profile()],
    ...overrides,
  };
}

export function tapPolicy(overrides: Partial<TemporaryAccessPassPolicy> = {}): TemporaryAccessPassPolicy {
  return {
    id: "TemporaryAccessPass",
    state: "enabled",
    defaultLifetimeInMinutes: 60,
    minimumLifetimeInMinutes: 60,
    maximumLifetimeInMinutes: 480,
    isUsableOnce: true,
    defaultLength: 8,
    includeTargets: [{ id: "all_users", targetType: "group" }],
    excludeTargets: [],
    ...overrides,
  };
}

export const PASSWORD: AuthenticationMethod = {
  "@odata.type": "#microsoft.graph.passwordAuthenticationMethod",
  id: "28c10230-6103-485e-b985-444c60001490",
};
export const EMAIL: AuthenticationMethod = {
  "@odata.type": "#microsoft.graph.emailAuthenticationMethod",
  id: "3ddfcfc8-9383-446f-83cc-3ab9be4be18f",
  emailAddress: "someone@example.com",
};

export function authenticatorApp(version = "6.8.40", displayName = "iPhone 15"): AuthenticationMethod {
  return {
    "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
    id: `auth-${version}`,
    displayName,
    deviceTag: "SoftwareTokenActivated",
    phoneAppVersion: version,
  };
}

export function whfb(displayName = "CONTOSO-LT-042"): AuthenticationMethod {
  return {
    "@odata.type": "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod",
    id: "whfb-1",
    displayName,
    keyStrength: "normal",
    createdDateTime: "2026-03-01T08:00:00Z",
  };
}

export function fido2Method(aaGuid: string, displayName = "My key"): AuthenticationMethod {
  return {
    "@odata.type": "#microsoft.graph.fido2AuthenticationMethod",
    id: `fido2-${aaGuid}`,
    displayName,
    aaGuid,
    model: displayName,
    attestationCertificates: [],
    attestationLevel: "attested",
  };
}

export function tap(overrides: Partial<TemporaryAccessPassMethod> = {}): TemporaryAccessPassMethod {
  return {
    "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethod",
    id: "tap-1",
    temporaryAccessPass: null,
    createdDateTime: minutesAgo(30),
    startDateTime: minutesAgo(30),
    lifetimeInMinutes: 120,
    isUsableOnce: true,
    isUsable: true,
    methodUsabilityReason: "EnabledByPolicy",
    ...overrides,
  };
}

export function device(overrides: Partial<DirectoryDevice> = {}): DirectoryDevice {
  return {
    id: "dev-1",
    deviceId: "d1",
    displayName: "CONTOSO-LT-042",
    operatingSystem: "Windows",
    operatingSystemVersion: "10.0.22631.3880",
    trustType: "AzureAd",
    isManaged: true,
    isCompliant: true,
    approximateLastSignInDateTime: minutesAgo(60),
    ...overrides,
  };
}

export function signIn(minutes: number, overrides: Partial<SignInRecord> = {}): SignInRecord {
  return {
    id: `signin-${minutes}`,
    createdDateTime: minutesAgo(minutes),
    userId: USER_ID,
    userPrincipalName: "pat@contoso.example",
    appDisplayName: "My Signins",
    isInteractive: true,
    status: { errorCode: 0 },
    authenticationRequirement: "multiFactorAuthentication",
    authenticationDetails: [
      {
        authenticationStepDateTime: minutesAgo(minutes),
        authenticationMethod: "Password",
        authenticationMethodDetail: null,
        authenticationStepRequirement: "Primary authentication",
        authenticationStepResultDetail: null,
        succeeded: true,
      },
      {
        authenticationStepDateTime: minutesAgo(minutes),
        authenticationMethod: "Microsoft Authenticator",
        authenticationMethodDetail: null,
        authenticationStepRequirement: "Secondary authentication",
        authenticationStepResultDetail: null,
        succeeded: true,
      },
    ],
    ...overrides,
  };
}

export function tapSignIn(minutes: number): SignInRecord {
  return signIn(minutes, {
    authenticationRequirement: "singleFactorAuthentication",
    authenticationDetails: [
      {
        authenticationStepDateTime: minutesAgo(minutes),
        authenticationMethod: "Temporary Access Pass",
        authenticationMethodDetail: null,
        authenticationStepRequirement: "Primary authentication",
        authenticationStepResultDetail: null,
        succeeded: true,
      },
    ],
  });
}

export function policyChange(minutes: number): DirectoryAuditRecord {
  return {
    id: `audit-${minutes}`,
    activityDateTime: minutesAgo(minutes),
    activityDisplayName: "Authentication Methods Policy Update",
    category: "Policy",
    correlationId: null,
    loggedByService: "Authentication Methods",
    operationType: "Update",
    result: "success",
    resultReason: null,
    initiatedBy: { user: { id: "admin", displayName: "Admin", userPrincipalName: "admin@contoso.example" } },
    targetResources: [],
    additionalDetails: [],
  };
}

/** Device Registration Service's refused passkey add, with the key's AAGUID in additionalDetails (graph.md §7.2). */
export function failedPasskeyAdd(minutes: number, aaGuid: string): DirectoryAuditRecord {
  return {
    ...policyChange(minutes),
    id: `add-passkey-${minutes}`,
    activityDisplayName: "Add Passkey (device-bound)",
    category: "UserManagement",
    loggedByService: "Device Registration Service",
    operationType: "Add",
    result: "failure",
    resultReason: "Passkey not registered",
    additionalDetails: [{ key: "AAGuid", value: aaGuid }],
  };
}

export interface InputOverrides {
  fido2?: GraphRead<Fido2Policy>;
  tapPolicy?: GraphRead<TemporaryAccessPassPolicy>;
  recentPolicyChanges?: GraphRead<DirectoryAuditRecord[]>;
  memberOf?: GraphRead<string[]>;
  methods?: GraphRead<AuthenticationMethod[]>;
  devices?: GraphRead<DirectoryDevice[]>;
  signIns?: GraphRead<SignInRecord[]>;
  registrationAudits?: GraphRead<DirectoryAuditRecord[]>;
  userType?: string;
  platform?: TriageInput["platform"];
  aaGuid?: string;
  answers?: TriageInput["answers"];
  symptomText?: string;
}

/** A member of the pilot group with Authenticator and a fresh MFA sign-in, under a permissive default profile. */
export function buildInput(o: InputOverrides = {}): TriageInput {
  return {
    policy: {
      fido2: o.fido2 ?? ok(fido2Policy()),
      temporaryAccessPass: o.tapPolicy ?? ok(tapPolicy()),
      recentPolicyChanges: o.recentPolicyChanges ?? ok([]),
      fetchedDateTime: NOW.toISOString(),
    },
    snapshot: {
      user: {
        id: USER_ID,
        userPrincipalName: "pat@contoso.example",
        displayName: "Pat Example",
        mail: "pat@contoso.example",
        userType: o.userType ?? "Member",
        accountEnabled: true,
      },
      memberOfGroupIds: o.memberOf ?? ok([PILOT_GROUP]),
      methods: o.methods ?? ok([PASSWORD, authenticatorApp()]),
      devices: o.devices ?? ok([]),
      signIns: o.signIns ?? ok([signIn(2)]),
      registrationAudits: o.registrationAudits ?? ok([]),
      fetchedDateTime: NOW.toISOString(),
    },
    platform: o.platform,
    aaGuid: o.aaGuid,
    answers: o.answers,
    symptomText: o.symptomText,
    now: NOW,
    catalog,
    groupNames: { [PILOT_GROUP]: "Passkey pilot", [EXCLUDED_GROUP]: "Passkey excluded" },
  };
}
