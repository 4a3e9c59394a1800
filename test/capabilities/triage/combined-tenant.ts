import type { TenantFile } from "../../../src/emulator/tenant-file.js";

/**
 * A tenant "written by someone else": several rings, a nested group, three passkey profiles of different kinds and a
 * TAP policy, with one person per table row whose own state combines conditions. Used through the real emulator and
 * gateway. Times are relative to CAPTURED; the emulator's clock starts there.
 */
export const CAPTURED = Date.parse("2026-11-22T10:00:00Z");
export const TENANT_ID = "7d3e5a2c-1b4f-4c8e-9a6d-2f0b8c4e6a10";
export const BOT_APP = {
  clientId: "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
  clientSecret: "combined-bot-secret",
};
export const PERSON_UPN = "pat@combined.example";
const PERSON_ID = "00000000-0000-4000-a000-0000000000aa";

export const AAGUID = {
  authenticatorIos: "90a3ccdf-635c-4729-a248-9b709135078f",
  authenticatorAndroid: "de1e552d-db1d-4423-a619-566b625cdc84",
  yubikey5Nfc: "fa2b99dc-9e39-4257-8f92-4a30d23c4118",
  feitian: "ee041bce-25e5-4cdb-8f86-897fd6418464",
  windowsHello: "08987058-cadc-4b81-b6e1-30de50dcbe96",
  windowsHelloAll: [
    "08987058-cadc-4b81-b6e1-30de50dcbe96",
    "9ddd1817-af5a-4672-a2b9-3e3dd95000a9",
    "6028b017-b1d4-4c02-b4b3-afcdafc96bb2",
  ],
  applePasswords: "fbfc3007-154e-4ecc-8c0b-6e020557d7bd",
  googlePasswordManager: "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4",
  onePassword: "bada5566-a7aa-401f-bd96-45619a55120d",
  zero: "00000000-0000-0000-0000-000000000000",
  unknownKey: "0d15ea5e-0000-4000-8000-00000000beef",
} as const;

/** Rings: pilot (allow list), synced (synced only, no restrictions), attested (device-bound, attested, block list). */
export const GROUP = {
  pilot: "0a11e3b0-0000-4000-8000-0000000000c1",
  pilotFinance: "0a11e3b0-0000-4000-8000-0000000000c2",
  synced: "0a11e3b0-0000-4000-8000-0000000000c3",
  attested: "0a11e3b0-0000-4000-8000-0000000000c4",
  excluded: "0a11e3b0-0000-4000-8000-0000000000c5",
  tapEligible: "0a11e3b0-0000-4000-8000-0000000000c6",
  tapExcluded: "0a11e3b0-0000-4000-8000-0000000000c7",
} as const;
export type Ring = "pilot" | "pilotNested" | "synced" | "attested" | "excluded" | "tapEligible" | "tapExcluded";

export const PROFILE = {
  pilot: "00000000-0000-0000-0000-000000000001",
  synced: "0a11e3b0-0000-4000-8000-0000000000a1",
  attested: "0a11e3b0-0000-4000-8000-0000000000a2",
} as const;

export interface ProfileShape {
  passkeyTypes: string;
  attestationEnforcement: "disabled" | "registrationOnly";
  keyRestrictions: { isEnforced: boolean; enforcementType: "allow" | "block"; aaGuids: string[] };
}

export const DEFAULT_PROFILES: Record<keyof typeof PROFILE, ProfileShape> = {
  pilot: {
    passkeyTypes: "deviceBound,synced",
    attestationEnforcement: "disabled",
    keyRestrictions: {
      isEnforced: true,
      enforcementType: "allow",
      aaGuids: [AAGUID.authenticatorIos, AAGUID.authenticatorAndroid, AAGUID.yubikey5Nfc],
    },
  },
  synced: {
    passkeyTypes: "synced",
    attestationEnforcement: "disabled",
    keyRestrictions: { isEnforced: false, enforcementType: "block", aaGuids: [] },
  },
  attested: {
    passkeyTypes: "deviceBound",
    attestationEnforcement: "registrationOnly",
    keyRestrictions: { isEnforced: true, enforcementType: "block", aaGuids: [AAGUID.feitian] },
  },
};

export interface PersonState {
  rings: Ring[];
  accountEnabled?: boolean;
  userType?: "Member" | "Guest";
  /** Graph authentication methods (password is always added). */
  methods?: Array<Record<string, unknown>>;
  devices?: Array<{
    operatingSystem: string;
    operatingSystemVersion: string;
    trustType?: string;
    displayName?: string;
  }>;
  signIns?: Array<{ minutesAgo: number; details: Array<Record<string, unknown>>; requirement?: string }>;
  /** Directory "Update user" audit events that renamed the person (Core Directory, modified userPrincipalName). */
  upnChanges?: Array<{ minutesAgo: number; from: string; result?: "success" | "failure"; property?: string }>;
}

export interface PolicyVariant {
  profiles?: Partial<Record<keyof typeof PROFILE, ProfileShape>>;
  tapIsUsableOnce?: boolean;
  conditionalAccess?: Array<Record<string, unknown>>;
}

/** A Conditional Access policy on the pilot ring (members through the nested group too). */
export function caPolicy(options: {
  state?: string;
  scope: "registration" | "allResources";
  allowedCombinations: string[];
  excludeGroups?: string[];
}): Record<string, unknown> {
  return {
    id: "0a11e3b0-0000-4000-8000-0000000000ca",
    displayName: options.scope === "registration" ? "Strong auth to register security info" : "Passkeys everywhere",
    state: options.state ?? "enabled",
    conditions: {
      users: {
        includeUsers: [],
        excludeUsers: [],
        includeGroups: [GROUP.pilot],
        excludeGroups: options.excludeGroups ?? [],
      },
      applications: {
        includeApplications: options.scope === "allResources" ? ["All"] : [],
        excludeApplications: [],
        includeUserActions: options.scope === "registration" ? ["urn:user:registersecurityinfo"] : [],
      },
    },
    grantControls: {
      operator: "OR",
      builtInControls: [],
      authenticationStrength: {
        id: "00000000-0000-0000-0000-000000000004",
        displayName: "Custom strength",
        allowedCombinations: options.allowedCombinations,
      },
    },
  };
}

export function at(minutesAgo: number): string {
  return new Date(CAPTURED - minutesAgo * 60_000).toISOString().replace(".000Z", "Z");
}

export const method = {
  authenticator: (version = "6.8.40", name = "Phone") => ({
    "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
    id: "a1111111-0000-4000-a000-000000000001",
    displayName: name,
    deviceTag: "SoftwareTokenActivated",
    phoneAppVersion: version,
    createdDateTime: at(60 * 24 * 90),
  }),
  email: () => ({
    "@odata.type": "#microsoft.graph.emailAuthenticationMethod",
    id: "3ddfcfc8-9383-446f-83cc-3ab9be4be18f",
    emailAddress: "pat@home.example",
  }),
  passkey: (aaGuid: string, passkeyType: "deviceBound" | "synced" = "deviceBound") => ({
    "@odata.type": "#microsoft.graph.fido2AuthenticationMethod",
    id: `f1111111-0000-4000-a000-${aaGuid.slice(0, 12).replace(/-/g, "0")}`,
    displayName: "My passkey",
    createdDateTime: at(60 * 24 * 30),
    aaGuid,
    model: null,
    attestationCertificates: [],
    attestationLevel: "notAttested",
    passkeyType,
  }),
  tap: (overrides: Record<string, unknown> = {}) => ({
    "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethod",
    id: "7a900000-0000-4000-a000-000000000001",
    temporaryAccessPass: null,
    createdDateTime: at(15),
    startDateTime: at(15),
    lifetimeInMinutes: 60,
    isUsableOnce: true,
    isUsable: true,
    methodUsabilityReason: "EnabledByPolicy",
    ...overrides,
  }),
};

const step = (minutesAgo: number, method: string, requirement: string, result: string) => ({
  authenticationStepDateTime: at(minutesAgo),
  authenticationMethod: method,
  authenticationMethodDetail: null,
  succeeded: true,
  authenticationStepResultDetail: result,
  authenticationStepRequirement: requirement,
});

export const signIn = {
  /** Password, then Authenticator push: MFA performed at that moment. */
  mfa: (minutesAgo: number) => ({
    minutesAgo,
    details: [
      step(minutesAgo, "Password", "Primary authentication", "Correct password"),
      step(minutesAgo, "Mobile app notification", "Multifactor authentication", "MFA successfully completed"),
    ],
  }),
  /** MFA required, but met by the claim of an earlier sign-in: nothing performed now. */
  mfaByClaim: (minutesAgo: number) => ({
    minutesAgo,
    details: [
      step(minutesAgo, "Password", "Primary authentication", "Correct password"),
      step(
        minutesAgo,
        "Previously satisfied",
        "Multifactor authentication",
        "MFA requirement satisfied by claim in the token",
      ),
    ],
  }),
  tap: (minutesAgo: number) => ({
    minutesAgo,
    requirement: "singleFactorAuthentication",
    details: [step(minutesAgo, "Temporary Access Pass", "Primary authentication", "Temporary Access Pass")],
  }),
};

function profileEntity(key: keyof typeof PROFILE, shape: ProfileShape) {
  const names = { pilot: "Pilot (allow list)", synced: "Synced passkeys", attested: "Security keys (attested)" };
  return { id: PROFILE[key], name: names[key], ...shape };
}

export function buildCombinedTenant(person: PersonState, variant: PolicyVariant = {}): TenantFile {
  const profiles = { ...DEFAULT_PROFILES, ...variant.profiles };
  const members = (ring: Ring) => person.rings.includes(ring);
  const user = {
    id: PERSON_ID,
    userPrincipalName: PERSON_UPN,
    displayName: "Pat Combined",
    mail: PERSON_UPN,
    accountEnabled: person.accountEnabled ?? true,
    userType: person.userType ?? "Member",
    creationType: null,
    managerId: null,
  };
  const group = (id: string, displayName: string, memberIds: string[]) => ({
    id,
    displayName,
    securityEnabled: true,
    mailEnabled: false,
    groupTypes: [],
    memberIds,
  });
  const me = (ring: Ring) => (members(ring) ? [PERSON_ID] : []);
  return {
    formatVersion: 1,
    capturedDateTime: new Date(CAPTURED).toISOString(),
    rebaseTimes: true,
    organization: {
      id: TENANT_ID,
      displayName: "Combined conditions",
      verifiedDomains: [{ name: "combined.example", isDefault: true, isInitial: true, type: "Managed" }],
    },
    users: [user],
    groups: [
      // The pilot ring nests a department group: membership counts transitively.
      group(GROUP.pilot, "Passkey ring 1 - pilot", [...me("pilot"), GROUP.pilotFinance]),
      group(GROUP.pilotFinance, "Finance", me("pilotNested")),
      group(GROUP.synced, "Passkey ring 2 - synced", me("synced")),
      group(GROUP.attested, "Passkey ring 3 - security keys", me("attested")),
      group(GROUP.excluded, "Passkey rollout - excluded", me("excluded")),
      group(GROUP.tapEligible, "TAP eligible", me("tapEligible")),
      group(GROUP.tapExcluded, "TAP excluded", me("tapExcluded")),
    ],
    devices: (person.devices ?? []).map((device, index) => ({
      id: `d0000000-0000-4000-a000-00000000000${index}`,
      deviceId: `e0000000-0000-4000-a000-00000000000${index}`,
      displayName: device.displayName ?? `DEVICE-${index}`,
      operatingSystem: device.operatingSystem,
      operatingSystemVersion: device.operatingSystemVersion,
      trustType: device.trustType ?? "Workplace",
      accountEnabled: true,
      approximateLastSignInDateTime: at(60 + index),
      registeredOwnerIds: [PERSON_ID],
      registeredUserIds: [PERSON_ID],
    })),
    authenticationMethodsPolicy: {
      id: "authenticationMethodsPolicy",
      displayName: "Authentication Methods Policy",
      policyVersion: "1.5",
      authenticationMethodConfigurations: [
        {
          "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
          id: "Fido2",
          state: "enabled",
          isSelfServiceRegistrationAllowed: true,
          isAttestationEnforced: false,
          keyRestrictions: { isEnforced: false, enforcementType: "block", aaGuids: [] },
          defaultPasskeyProfile: PROFILE.pilot,
          passkeyProfiles: (Object.keys(PROFILE) as Array<keyof typeof PROFILE>).map((k) =>
            profileEntity(k, profiles[k]),
          ),
          includeTargets: [
            {
              id: GROUP.pilot,
              targetType: "group",
              isRegistrationRequired: false,
              allowedPasskeyProfiles: [PROFILE.pilot],
            },
            {
              id: GROUP.synced,
              targetType: "group",
              isRegistrationRequired: false,
              allowedPasskeyProfiles: [PROFILE.synced],
            },
            {
              id: GROUP.attested,
              targetType: "group",
              isRegistrationRequired: false,
              allowedPasskeyProfiles: [PROFILE.attested],
            },
          ],
          excludeTargets: [{ id: GROUP.excluded, targetType: "group" }],
        },
        {
          "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration",
          id: "TemporaryAccessPass",
          state: "enabled",
          defaultLifetimeInMinutes: 60,
          defaultLength: 8,
          minimumLifetimeInMinutes: 60,
          maximumLifetimeInMinutes: 480,
          isUsableOnce: variant.tapIsUsableOnce ?? true,
          includeTargets: [{ id: GROUP.tapEligible, targetType: "group", isRegistrationRequired: false }],
          excludeTargets: [{ id: GROUP.tapExcluded, targetType: "group" }],
        },
      ],
    },
    authenticationMethods: {
      [PERSON_ID]: [
        {
          "@odata.type": "#microsoft.graph.passwordAuthenticationMethod",
          id: "28c10230-6103-485e-b985-444c60001490",
          password: null,
          createdDateTime: at(60 * 24 * 300),
        },
        ...(person.methods ?? []),
      ],
    },
    signIns: (person.signIns ?? []).map((s, index) => ({
      id: `51600001-0000-4000-a000-00000000000${index}`,
      createdDateTime: at(s.minutesAgo),
      userDisplayName: user.displayName,
      userPrincipalName: PERSON_UPN,
      userId: PERSON_ID,
      appId: "19db86c3-b2b9-44cc-b339-36da233a3be2",
      appDisplayName: "My Signins",
      isInteractive: true,
      status: { errorCode: 0, failureReason: "Other.", additionalDetails: null },
      authenticationRequirement: s.requirement ?? "multiFactorAuthentication",
      signInEventTypes: ["interactiveUser"],
      authenticationDetails: s.details,
    })),
    directoryAudits: (person.upnChanges ?? []).map((change, index) => ({
      id: `Directory_0c4a0000-0000-4000-a000-00000000000${index}`,
      category: "UserManagement",
      correlationId: `0c4a0000-0000-4000-b000-00000000000${index}`,
      result: change.result ?? "success",
      resultReason: "",
      activityDisplayName: "Update user",
      activityDateTime: at(change.minutesAgo),
      loggedByService: "Core Directory",
      operationType: "Update",
      initiatedBy: {
        user: {
          id: "00000000-0000-4000-a000-0000000000ad",
          displayName: "Admin",
          userPrincipalName: "admin@combined.example",
        },
      },
      targetResources: [
        {
          id: PERSON_ID,
          displayName: user.displayName,
          type: "User",
          userPrincipalName: PERSON_UPN,
          modifiedProperties: [
            {
              displayName: change.property ?? "UserPrincipalName",
              oldValue: JSON.stringify([change.from]),
              newValue: JSON.stringify([PERSON_UPN]),
            },
            {
              displayName: "Included Updated Properties",
              oldValue: null,
              newValue: `"${change.property ?? "UserPrincipalName"}"`,
            },
          ],
        },
      ],
      additionalDetails: [],
    })),
    conditionalAccessPolicies: variant.conditionalAccess ?? [],
    applications: [
      {
        appId: BOT_APP.clientId,
        displayName: "Passkey Helpdesk bot",
        clientSecret: BOT_APP.clientSecret,
        applicationPermissions: [
          "User.Read.All",
          "GroupMember.Read.All",
          "Policy.Read.AuthenticationMethod",
          "UserAuthenticationMethod.Read.All",
          "AuditLog.Read.All",
          "Device.Read.All",
          "Policy.Read.All",
        ],
      },
    ],
  } as unknown as TenantFile;
}
