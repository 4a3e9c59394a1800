import type { Diagnosis, QuestionResult } from "../../../src/capabilities/triage/engine/diagnosis.js";
import type { TenantPolicySnapshot, UserAuthSnapshot } from "../../../src/graph/model.js";

export const USER_ID = "11111111-2222-4333-8444-555555555555";
export const INCLUDE_GROUP = "0b22e3b0-0000-4000-8000-000000000010";
export const EXCLUDE_GROUP = "0b22e3b0-0000-4000-8000-000000000011";
const NOW = "2026-11-22T10:00:00.000Z";

export function question(overrides: Partial<QuestionResult> & Pick<QuestionResult, "question">): QuestionResult {
  return {
    verdict: "pass",
    summary: { key: "test.summary" },
    evidence: [],
    userFix: [],
    adminFix: [],
    links: [],
    followUps: [],
    ...overrides,
  };
}

/** A Windows user blocked at question 3, with two follow-ups Graph cannot answer. */
export function diagnosisFixture(overrides: Partial<Diagnosis> = {}): Diagnosis {
  return {
    userId: USER_ID,
    userPrincipalName: "windows-hello-blocked@contosopractice.onmicrosoft.com",
    displayName: "Wanda Hello",
    platform: "windows",
    aaGuid: "08987058-cadc-4b81-b6e1-30de50dcbe96",
    authenticatorName: "Windows Hello Hardware Authenticator",
    questions: [
      question({ question: "policyScope" }),
      question({ question: "freshMfa", verdict: "warn", userFix: [{ key: "test.signInAgain" }] }),
      question({
        question: "platform",
        verdict: "fail",
        userFix: [{ key: "test.setUpPin" }],
        adminFix: [{ key: "test.adminFix", params: { profile: "Windows Hello" } }],
        followUps: ["windowsPinSet", "tpmReady"],
      }),
      question({ question: "authenticator", verdict: "unknown", missing: { key: "test.missing" } }),
    ],
    firstBlocking: "platform",
    needsTemporaryAccessPass: false,
    suggestedStart: null,
    checkedDateTime: NOW,
    ...overrides,
  };
}

export function policyFixture(
  overrides: Partial<NonNullable<Extract<TenantPolicySnapshot["fido2"], { ok: true }>["value"]>> = {},
): TenantPolicySnapshot {
  return {
    fido2: {
      ok: true,
      value: {
        id: "Fido2",
        state: "enabled",
        isSelfServiceRegistrationAllowed: true,
        isAttestationEnforced: false,
        keyRestrictions: null,
        defaultPasskeyProfile: "00000000-0000-0000-0000-000000000001",
        includeTargets: [
          { id: INCLUDE_GROUP, targetType: "group", allowedPasskeyProfiles: ["00000000-0000-0000-0000-000000000001"] },
        ],
        excludeTargets: [{ id: EXCLUDE_GROUP, targetType: "group" }],
        passkeyProfiles: [
          {
            id: "00000000-0000-0000-0000-000000000001",
            name: "Default passkey profile",
            passkeyTypes: "deviceBound,synced",
            attestationEnforcement: "disabled",
            keyRestrictions: {
              isEnforced: true,
              enforcementType: "allow",
              aaGuids: ["cb69481e-8ff7-4039-93ec-0a2729a154a8"],
            },
          },
        ],
        ...overrides,
      },
    },
    temporaryAccessPass: {
      ok: false,
      problem: { kind: "accessDenied", missingPermission: "Policy.Read.AuthenticationMethod" },
    },
    recentPolicyChanges: { ok: true, value: [] },
    fetchedDateTime: NOW,
  };
}

export function userSnapshotFixture(overrides: Partial<UserAuthSnapshot> = {}): UserAuthSnapshot {
  return {
    user: {
      id: USER_ID,
      userPrincipalName: "windows-hello-blocked@contosopractice.onmicrosoft.com",
      displayName: "Wanda Hello",
      mail: null,
      userType: "Member",
      accountEnabled: true,
    },
    memberOfGroupIds: { ok: true, value: [INCLUDE_GROUP] },
    methods: {
      ok: true,
      value: [
        {
          "@odata.type": "#microsoft.graph.fido2AuthenticationMethod",
          id: "m1",
          displayName: "YubiKey 5",
          aaGuid: "cb69481e-8ff7-4039-93ec-0a2729a154a8",
          model: "YubiKey 5",
          attestationCertificates: [],
          attestationLevel: "attested",
        },
        { "@odata.type": "#microsoft.graph.passwordAuthenticationMethod", id: "p1" },
      ],
    },
    devices: {
      ok: true,
      value: [
        {
          id: "d1",
          deviceId: "dev-1",
          displayName: "WANDA-LAPTOP",
          operatingSystem: "Windows",
          operatingSystemVersion: "10.0.26100",
          trustType: "AzureAd",
          isManaged: true,
          isCompliant: true,
          approximateLastSignInDateTime: NOW,
        },
      ],
    },
    signIns: {
      ok: true,
      value: [
        {
          id: "s1",
          createdDateTime: "2026-11-22T09:58:00Z",
          userId: USER_ID,
          userPrincipalName: null,
          appDisplayName: "My Signins",
          isInteractive: true,
          status: { errorCode: 0 },
          authenticationRequirement: "multiFactorAuthentication",
          authenticationDetails: [
            {
              authenticationStepDateTime: "2026-11-22T09:58:00Z",
              authenticationMethod: "Password",
              authenticationMethodDetail: null,
              authenticationStepRequirement: "Primary authentication",
              authenticationStepResultDetail: null,
              succeeded: true,
            },
          ],
        },
      ],
    },
    registrationAudits: {
      ok: true,
      value: [
        {
          id: "a1",
          activityDateTime: "2026-11-22T09:59:00Z",
          activityDisplayName: "User started security info registration",
          category: "UserManagement",
          correlationId: null,
          loggedByService: "Authentication Methods",
          operationType: "Add",
          result: "success",
          resultReason: null,
          initiatedBy: null,
          targetResources: [],
          additionalDetails: [],
        },
      ],
    },
    fetchedDateTime: NOW,
    ...overrides,
  };
}
