import { describe, expect, it } from "vitest";
import { createAuthenticatorCatalog } from "../../../src/capabilities/authenticators/create-authenticator-catalog.js";
import { diagnosePasskeyRegistration } from "../../../src/capabilities/triage/engine/diagnose-passkey-registration.js";
import type { Diagnosis, Platform, QuestionId, Verdict } from "../../../src/capabilities/triage/engine/diagnosis.js";
import { runTriage } from "../../../src/capabilities/triage/run-triage.js";
import { createManualClock } from "../../../src/emulator/emulator-clock.js";
import { startEmulator } from "../../../src/emulator/start-emulator.js";
import { createGraphGateway } from "../../../src/graph/create-graph-gateway.js";
import {
  AAGUID,
  at,
  BOT_APP,
  buildCombinedTenant,
  CAPTURED,
  caPolicy,
  DEFAULT_PROFILES,
  GROUP,
  method,
  PERSON_UPN,
  type PersonState,
  type PolicyVariant,
  signIn,
  TENANT_ID,
} from "./combined-tenant.js";

type Verdicts = [Verdict, Verdict, Verdict, Verdict];

interface Row {
  rule: string;
  name: string;
  person: PersonState;
  variant?: PolicyVariant;
  platform: Platform;
  aaGuid?: string;
  verdicts: Verdicts;
  /** [question, summary key] the row exists to prove. */
  because: [QuestionId, string];
  needsTap?: boolean;
  /** A locale key that must be among that question's fixes. */
  fix?: string;
  /** Where the agent's triage, which also reads the directory audit log (7 days), must answer otherwise. */
  agent?: { verdicts: Verdicts; because: [QuestionId, string]; fix?: string };
}

const FRESH = [signIn.mfa(2)];
const PHONE = method.authenticator();
const iphone = (version: string) => ({ operatingSystem: "iOS", operatingSystemVersion: version });
const android = (version: string) => ({ operatingSystem: "Android", operatingSystemVersion: version });
const WINDOWS_HELLO_PROFILE = {
  passkeyTypes: "deviceBound",
  attestationEnforcement: "disabled" as const,
  keyRestrictions: { isEnforced: true, enforcementType: "allow" as const, aaGuids: [...AAGUID.windowsHelloAll] },
};
const NO_RESTRICTIONS_DEVICE_BOUND = {
  passkeyTypes: "deviceBound",
  attestationEnforcement: "disabled" as const,
  keyRestrictions: { isEnforced: false, enforcementType: "block" as const, aaGuids: [] },
};

/** Expected answers come from passkey-domain.md, never from what the engine did before. */
const ROWS: Row[] = [
  // §1.1 OS minimums belong to the provider.
  {
    rule: "1 provider OS",
    name: "Apple Passwords on iOS 16 in the synced ring (nested groups elsewhere) is fine: its minimum is iOS 16",
    person: {
      rings: ["synced", "pilotNested", "tapEligible"],
      methods: [PHONE],
      devices: [iphone("16.7")],
      signIns: FRESH,
    },
    platform: "ios",
    aaGuid: AAGUID.applePasswords,
    verdicts: ["pass", "pass", "pass", "pass"],
    because: ["platform", "platform.summary.providerReady"],
  },
  {
    rule: "1 provider OS",
    name: "Authenticator on the same iOS 16 phone is too old: Authenticator passkeys need iOS 17",
    person: { rings: ["pilotNested"], methods: [PHONE], devices: [iphone("16.7")], signIns: FRESH },
    platform: "ios",
    aaGuid: AAGUID.authenticatorIos,
    verdicts: ["pass", "pass", "fail", "pass"],
    because: ["platform", "platform.summary.osTooOld"],
  },
  {
    rule: "1 provider OS",
    name: "Google Password Manager on Android 13 in the synced ring is fine: its minimum is Android 9",
    person: { rings: ["synced"], methods: [PHONE], devices: [android("13")], signIns: FRESH },
    platform: "android",
    aaGuid: AAGUID.googlePasswordManager,
    verdicts: ["pass", "pass", "pass", "pass"],
    because: ["platform", "platform.summary.providerReady"],
  },
  {
    rule: "1 provider OS",
    name: "a password manager on Android 13 cannot act as a passkey provider (Android 14 credential manager)",
    person: { rings: ["synced"], methods: [PHONE], devices: [android("13")], signIns: FRESH },
    platform: "android",
    aaGuid: AAGUID.onePassword,
    verdicts: ["pass", "pass", "fail", "pass"],
    because: ["platform", "platform.summary.osTooOld"],
  },
  {
    rule: "1 provider OS",
    name: "a password manager refused by an allow-list ring is told to delete the orphan passkey",
    person: { rings: ["pilot"], methods: [PHONE], devices: [android("15")], signIns: FRESH },
    platform: "android",
    aaGuid: AAGUID.onePassword,
    verdicts: ["pass", "pass", "pass", "fail"],
    because: ["authenticator", "authenticator.summary.notAllowed"],
    fix: "authenticator.userFix.deleteOrphan",
  },
  {
    rule: "1 provider OS",
    name: "Apple Passwords in the attested device-bound ring is refused (synced, cannot attest)",
    person: { rings: ["attested"], methods: [PHONE], devices: [iphone("18.1")], signIns: FRESH },
    platform: "ios",
    aaGuid: AAGUID.applePasswords,
    verdicts: ["pass", "pass", "pass", "fail"],
    because: ["authenticator", "authenticator.summary.cannotAttest"],
  },
  {
    rule: "1 provider OS",
    name: "an Android work profile (AndroidForWork, 14) in the nested pilot group: fine, and told to use the work profile",
    person: {
      rings: ["pilotNested"],
      methods: [method.authenticator("6.2508.1", "Work phone")],
      devices: [{ operatingSystem: "AndroidForWork", operatingSystemVersion: "14.0" }],
      signIns: FRESH,
    },
    platform: "android",
    aaGuid: AAGUID.authenticatorAndroid,
    verdicts: ["pass", "pass", "pass", "pass"],
    because: ["platform", "platform.summary.needsAnswers"],
    fix: "platform.userFix.androidWorkProfile",
  },
  // §1.2 Windows Hello needs an explicit allow list, attestation off.
  {
    rule: "2 Windows Hello",
    name: "a ring whose only profile has no key restrictions does not accept Windows Hello",
    person: { rings: ["attested"], methods: [PHONE], signIns: FRESH },
    variant: { profiles: { attested: NO_RESTRICTIONS_DEVICE_BOUND } },
    platform: "windows",
    aaGuid: AAGUID.windowsHello,
    verdicts: ["pass", "pass", "pass", "fail"],
    because: ["authenticator", "authenticator.summary.windowsHelloNeedsAllowList"],
    fix: "authenticator.adminFix.windowsHelloAllowList",
  },
  {
    rule: "2 Windows Hello",
    name: "a block list that does not name Windows Hello, attestation off, is not enough",
    person: { rings: ["attested"], methods: [PHONE], signIns: FRESH },
    variant: { profiles: { attested: { ...DEFAULT_PROFILES.attested, attestationEnforcement: "disabled" } } },
    platform: "windows",
    aaGuid: AAGUID.windowsHello,
    verdicts: ["pass", "pass", "pass", "fail"],
    because: ["authenticator", "authenticator.summary.windowsHelloNeedsAllowList"],
  },
  {
    rule: "2 Windows Hello",
    name: "a block list with attestation enforced refuses it on attestation",
    person: { rings: ["attested"], methods: [PHONE], signIns: FRESH },
    platform: "windows",
    aaGuid: AAGUID.windowsHello,
    verdicts: ["pass", "pass", "pass", "fail"],
    because: ["authenticator", "authenticator.summary.cannotAttest"],
  },
  {
    rule: "2 Windows Hello",
    name: "two rings: the allow list without Windows Hello plus a Windows Hello allow-list profile accepts it",
    person: { rings: ["pilotNested", "synced"], methods: [PHONE], signIns: FRESH },
    variant: { profiles: { synced: WINDOWS_HELLO_PROFILE } },
    platform: "windows",
    aaGuid: AAGUID.windowsHello,
    verdicts: ["pass", "pass", "pass", "pass"],
    because: ["authenticator", "authenticator.summary.accepted"],
  },
  {
    rule: "2 Windows Hello",
    name: "an explicit Windows Hello allow list with attestation enforced still refuses it",
    person: { rings: ["synced"], methods: [PHONE], signIns: FRESH },
    variant: { profiles: { synced: { ...WINDOWS_HELLO_PROFILE, attestationEnforcement: "registrationOnly" } } },
    platform: "windows",
    aaGuid: AAGUID.windowsHello,
    verdicts: ["pass", "pass", "pass", "fail"],
    because: ["authenticator", "authenticator.summary.cannotAttest"],
  },
  // §1.3 A TAP is usable only as the policy allows.
  {
    rule: "3 TAP",
    name: "a multi-use TAP while the policy demands one-time passes is refused: a new one-time TAP is needed",
    person: { rings: ["pilot", "tapEligible"], methods: [method.tap({ isUsableOnce: false })] },
    platform: "securityKey",
    aaGuid: AAGUID.yubikey5Nfc,
    verdicts: ["pass", "fail", "pass", "pass"],
    because: ["freshMfa", "freshMfa.summary.tapMultiUseRefused"],
    needsTap: true,
    fix: "freshMfa.adminFix.reissueOneTimeTap",
  },
  {
    rule: "3 TAP",
    name: "the same multi-use TAP works where the policy allows multi-use passes",
    person: { rings: ["pilot", "tapEligible"], methods: [method.tap({ isUsableOnce: false })] },
    variant: { tapIsUsableOnce: false },
    platform: "securityKey",
    aaGuid: AAGUID.yubikey5Nfc,
    verdicts: ["pass", "pass", "pass", "pass"],
    because: ["freshMfa", "freshMfa.summary.tapReady"],
  },
  {
    rule: "3 TAP",
    name: "a one-time TAP exported as used, signed in with 11 minutes ago, is spent",
    person: {
      rings: ["pilotNested", "tapEligible"],
      methods: [method.tap({ isUsable: false, methodUsabilityReason: "OneTimeUsed" })],
      signIns: [signIn.tap(11)],
    },
    platform: "securityKey",
    aaGuid: AAGUID.yubikey5Nfc,
    verdicts: ["pass", "fail", "pass", "pass"],
    because: ["freshMfa", "freshMfa.summary.tapUsed"],
    needsTap: true,
  },
  {
    rule: "3 TAP",
    name: "a one-time TAP used exactly 10 minutes ago has no window left",
    person: {
      rings: ["pilot", "tapEligible"],
      methods: [method.tap({ isUsable: false, methodUsabilityReason: "OneTimeUsed" })],
      signIns: [signIn.tap(10)],
    },
    platform: "securityKey",
    aaGuid: AAGUID.yubikey5Nfc,
    verdicts: ["pass", "fail", "pass", "pass"],
    because: ["freshMfa", "freshMfa.summary.tapUsed"],
    needsTap: true,
  },
  {
    rule: "3 TAP",
    name: "a one-time TAP used 9 minutes ago leaves the window open: finish now",
    person: {
      rings: ["pilot", "tapEligible"],
      methods: [method.tap({ isUsable: false, methodUsabilityReason: "OneTimeUsed" })],
      signIns: [signIn.tap(9)],
    },
    platform: "securityKey",
    aaGuid: AAGUID.yubikey5Nfc,
    verdicts: ["pass", "warn", "pass", "pass"],
    because: ["freshMfa", "freshMfa.summary.tapWindowOpen"],
  },
  {
    rule: "3 TAP",
    name: "a TAP that starts in 30 minutes is a wait, with the time",
    person: { rings: ["pilot", "tapEligible"], methods: [method.tap({ startDateTime: "2026-11-22T10:30:00Z" })] },
    platform: "securityKey",
    aaGuid: AAGUID.yubikey5Nfc,
    verdicts: ["pass", "warn", "pass", "pass"],
    because: ["freshMfa", "freshMfa.summary.tapNotYetValid"],
  },
  {
    rule: "3 TAP",
    name: "a valid TAP held by someone the TAP policy excludes cannot be used",
    person: { rings: ["pilot", "tapEligible", "tapExcluded"], methods: [method.tap()] },
    platform: "securityKey",
    aaGuid: AAGUID.yubikey5Nfc,
    verdicts: ["pass", "fail", "pass", "pass"],
    because: ["freshMfa", "freshMfa.summary.tapDisabledByPolicy"],
    needsTap: true,
  },
  // §1.4 Only methods usable now count.
  {
    rule: "4 usable MFA",
    name: "the only MFA method is a Windows Hello passkey no profile in scope accepts any more: a TAP is needed",
    person: { rings: ["pilotNested", "tapEligible"], methods: [method.passkey(AAGUID.windowsHello)], signIns: FRESH },
    platform: "securityKey",
    aaGuid: AAGUID.yubikey5Nfc,
    verdicts: ["pass", "fail", "pass", "pass"],
    because: ["freshMfa", "freshMfa.summary.onlyRefusedPasskey"],
    needsTap: true,
  },
  {
    rule: "4 usable MFA",
    name: "the only MFA method is a synced passkey in a device-bound-only ring: it cannot sign in either",
    person: {
      rings: ["attested", "tapEligible"],
      methods: [method.passkey(AAGUID.onePassword, "synced")],
      signIns: FRESH,
    },
    platform: "securityKey",
    aaGuid: AAGUID.yubikey5Nfc,
    verdicts: ["pass", "fail", "pass", "pass"],
    because: ["freshMfa", "freshMfa.summary.onlyRefusedPasskey"],
    needsTap: true,
  },
  {
    rule: "4 usable MFA",
    name: "email one-time passcodes are not MFA",
    person: { rings: ["pilot", "tapEligible"], methods: [method.email()] },
    platform: "securityKey",
    aaGuid: AAGUID.yubikey5Nfc,
    verdicts: ["pass", "fail", "pass", "pass"],
    because: ["freshMfa", "freshMfa.summary.noMfaMethod"],
    needsTap: true,
  },
  {
    rule: "4 usable MFA",
    name: "an accepted passkey with a fresh passkey sign-in counts",
    person: { rings: ["pilotNested"], methods: [method.passkey(AAGUID.yubikey5Nfc)], signIns: FRESH },
    platform: "securityKey",
    aaGuid: AAGUID.yubikey5Nfc,
    verdicts: ["pass", "pass", "pass", "pass"],
    because: ["freshMfa", "freshMfa.summary.fresh"],
  },
  {
    rule: "4 usable MFA",
    name: "a lost phone (stale Authenticator) with an issued TAP: use the TAP now, not 'sign in again'",
    person: { rings: ["pilot", "tapEligible"], methods: [PHONE, method.tap()], signIns: [signIn.mfa(3 * 24 * 60)] },
    platform: "securityKey",
    aaGuid: AAGUID.yubikey5Nfc,
    verdicts: ["pass", "pass", "pass", "pass"],
    because: ["freshMfa", "freshMfa.summary.useIssuedTap"],
  },
  // §1.5 Disabled accounts first.
  {
    rule: "5 disabled",
    name: "a disabled account with fresh MFA and an accepted key is blocked first by the account",
    person: { rings: ["pilot", "tapEligible"], accountEnabled: false, methods: [PHONE], signIns: FRESH },
    platform: "securityKey",
    aaGuid: AAGUID.yubikey5Nfc,
    verdicts: ["fail", "fail", "pass", "pass"],
    because: ["policyScope", "policyScope.summary.accountDisabled"],
    fix: "policyScope.adminFix.enableAccount",
  },
  {
    rule: "5 disabled",
    name: "a disabled account that is also excluded and has no MFA is still told about the account first",
    person: { rings: ["pilot", "excluded", "tapEligible"], accountEnabled: false },
    platform: "securityKey",
    aaGuid: AAGUID.yubikey5Nfc,
    verdicts: ["fail", "fail", "pass", "fail"],
    because: ["policyScope", "policyScope.summary.accountDisabled"],
  },
  // §1.6 Exact instants.
  {
    rule: "6 exact time",
    name: "MFA 5 minutes 30 seconds ago is not within 5 minutes",
    person: { rings: ["pilot"], methods: [PHONE], signIns: [signIn.mfa(5.5)] },
    platform: "securityKey",
    aaGuid: AAGUID.yubikey5Nfc,
    verdicts: ["pass", "warn", "pass", "pass"],
    because: ["freshMfa", "freshMfa.summary.stale"],
  },
  {
    rule: "6 exact time",
    name: "MFA 4 minutes 59 seconds ago is",
    person: { rings: ["pilot"], methods: [PHONE], signIns: [signIn.mfa(4 + 59 / 60)] },
    platform: "securityKey",
    aaGuid: AAGUID.yubikey5Nfc,
    verdicts: ["pass", "pass", "pass", "pass"],
    because: ["freshMfa", "freshMfa.summary.fresh"],
  },
  // §1.7 An AAGUID no profile in scope accepts fails; the all-zero AAGUID cannot attest; the user's choice counts.
  {
    rule: "7 AAGUID",
    name: "the all-zero AAGUID cannot satisfy an attestation-enforcing profile",
    person: { rings: ["attested"], methods: [PHONE], signIns: FRESH },
    platform: "securityKey",
    aaGuid: AAGUID.zero,
    verdicts: ["pass", "pass", "pass", "fail"],
    because: ["authenticator", "authenticator.summary.cannotAttest"],
  },
  {
    rule: "7 AAGUID",
    name: "an unknown security key in the synced-only ring fails on type (the person chose a security key)",
    person: { rings: ["synced"], methods: [PHONE], signIns: FRESH },
    platform: "securityKey",
    aaGuid: AAGUID.unknownKey,
    verdicts: ["pass", "pass", "pass", "fail"],
    because: ["authenticator", "authenticator.summary.wrongPasskeyType"],
  },
  {
    rule: "7 AAGUID",
    name: "an unknown security key against an allow list without it fails, whatever its attestation",
    person: { rings: ["pilotNested"], methods: [PHONE], signIns: FRESH },
    platform: "securityKey",
    aaGuid: AAGUID.unknownKey,
    verdicts: ["pass", "pass", "pass", "fail"],
    because: ["authenticator", "authenticator.summary.notAllowed"],
  },
  {
    rule: "7 AAGUID",
    name: "an unknown security key against an attested profile that does not block it truly depends on attestation",
    person: { rings: ["attested"], methods: [PHONE], signIns: FRESH },
    platform: "securityKey",
    aaGuid: AAGUID.unknownKey,
    verdicts: ["pass", "pass", "pass", "unknown"],
    because: ["authenticator", "authenticator.summary.attestationUnknown"],
  },
  {
    rule: "7 AAGUID",
    name: "two rings: the attested ring refuses the blocked Feitian, the pilot allow list does not list it either",
    person: { rings: ["attested", "pilot"], methods: [PHONE], signIns: FRESH },
    platform: "securityKey",
    aaGuid: AAGUID.feitian,
    verdicts: ["pass", "pass", "pass", "fail"],
    because: ["authenticator", "authenticator.summary.notAllowed"],
  },
  // §1.8 Fresh MFA means MFA performed.
  {
    rule: "8 MFA performed",
    name: "a sign-in a minute ago whose MFA was satisfied by an older claim is not fresh MFA",
    person: { rings: ["pilot"], methods: [PHONE], signIns: [signIn.mfaByClaim(1), signIn.mfa(2 * 60)] },
    platform: "securityKey",
    aaGuid: AAGUID.yubikey5Nfc,
    verdicts: ["pass", "warn", "pass", "pass"],
    because: ["freshMfa", "freshMfa.summary.stale"],
  },
  {
    rule: "8 MFA performed",
    name: "a claim-satisfied sign-in after a performed MFA 3 minutes ago: the performed one counts",
    person: { rings: ["pilot"], methods: [PHONE], signIns: [signIn.mfaByClaim(1), signIn.mfa(3)] },
    platform: "securityKey",
    aaGuid: AAGUID.yubikey5Nfc,
    verdicts: ["pass", "pass", "pass", "pass"],
    because: ["freshMfa", "freshMfa.summary.fresh"],
  },
  // §3 The Conditional Access registration loop.
  {
    rule: "3 CA loop",
    name: "a registration policy demanding phishing-resistant MFA locks out a nested-group member with only Authenticator",
    person: { rings: ["pilotNested", "tapEligible"], methods: [PHONE], signIns: FRESH },
    variant: {
      conditionalAccess: [
        caPolicy({
          scope: "registration",
          allowedCombinations: ["fido2", "windowsHelloForBusiness", "x509CertificateMultiFactor"],
        }),
      ],
    },
    platform: "securityKey",
    aaGuid: AAGUID.yubikey5Nfc,
    verdicts: ["pass", "fail", "pass", "pass"],
    because: ["freshMfa", "freshMfa.summary.registrationLoop"],
    fix: "freshMfa.adminFix.registrationLoop",
  },
  {
    rule: "3 CA loop",
    name: "the same policy allowing a one-time TAP: a TAP is the way in",
    person: { rings: ["pilot", "tapEligible"], methods: [PHONE], signIns: FRESH },
    variant: {
      conditionalAccess: [
        caPolicy({ scope: "registration", allowedCombinations: ["fido2", "temporaryAccessPassOneTime"] }),
      ],
    },
    platform: "securityKey",
    aaGuid: AAGUID.yubikey5Nfc,
    verdicts: ["pass", "fail", "pass", "pass"],
    because: ["freshMfa", "freshMfa.summary.registrationLoop"],
    needsTap: true,
  },
  {
    rule: "3 CA loop",
    name: "the TAP-allowing policy with a one-time TAP already issued is no loop",
    person: { rings: ["pilot", "tapEligible"], methods: [PHONE, method.tap()], signIns: FRESH },
    variant: {
      conditionalAccess: [
        caPolicy({ scope: "registration", allowedCombinations: ["fido2", "temporaryAccessPassOneTime"] }),
      ],
    },
    platform: "securityKey",
    aaGuid: AAGUID.yubikey5Nfc,
    verdicts: ["pass", "pass", "pass", "pass"],
    because: ["freshMfa", "freshMfa.summary.fresh"],
  },
  {
    rule: "3 CA loop",
    name: "a policy requiring a passkey for all resources locks out someone without one",
    person: { rings: ["pilot"], methods: [PHONE], signIns: FRESH },
    variant: { conditionalAccess: [caPolicy({ scope: "allResources", allowedCombinations: ["fido2"] })] },
    platform: "securityKey",
    aaGuid: AAGUID.yubikey5Nfc,
    verdicts: ["pass", "fail", "pass", "pass"],
    because: ["freshMfa", "freshMfa.summary.allResourcesLoop"],
  },
  {
    rule: "3 CA loop",
    name: "a report-only policy locks nobody out",
    person: { rings: ["pilot"], methods: [PHONE], signIns: FRESH },
    variant: {
      conditionalAccess: [
        caPolicy({ scope: "registration", allowedCombinations: ["fido2"], state: "enabledForReportingButNotEnforced" }),
      ],
    },
    platform: "securityKey",
    aaGuid: AAGUID.yubikey5Nfc,
    verdicts: ["pass", "pass", "pass", "pass"],
    because: ["freshMfa", "freshMfa.summary.fresh"],
  },
  {
    rule: "3 CA loop",
    name: "a person in the policy's excluded group is not locked out",
    person: { rings: ["pilot", "tapEligible"], methods: [PHONE], signIns: FRESH },
    variant: {
      conditionalAccess: [
        caPolicy({ scope: "registration", allowedCombinations: ["fido2"], excludeGroups: [GROUP.tapEligible] }),
      ],
    },
    platform: "securityKey",
    aaGuid: AAGUID.yubikey5Nfc,
    verdicts: ["pass", "pass", "pass", "pass"],
    because: ["freshMfa", "freshMfa.summary.fresh"],
  },
  // §3 UPN changed after registration: the passkey must be removed and added again (the audit log, agent path).
  {
    rule: "3 UPN change",
    name: "a YubiKey registered 30 days ago, renamed 2 days ago, adding the same key again: delete it first",
    person: {
      rings: ["pilotNested", "tapEligible"],
      methods: [PHONE, method.passkey(AAGUID.yubikey5Nfc)],
      signIns: FRESH,
      upnChanges: [{ minutesAgo: 2 * 24 * 60, from: "pat.old@combined.example" }],
    },
    platform: "securityKey",
    aaGuid: AAGUID.yubikey5Nfc,
    verdicts: ["pass", "pass", "pass", "pass"],
    because: ["authenticator", "authenticator.summary.accepted"],
    agent: {
      verdicts: ["pass", "pass", "pass", "warn"],
      because: ["authenticator", "authenticator.summary.upnChanged"],
      fix: "authenticator.userFix.upnChanged",
    },
  },
  {
    rule: "3 UPN change",
    name: "the same person adding Authenticator on an iPhone is not blocked by the old key, and is told to replace it",
    person: {
      rings: ["pilot", "synced"],
      methods: [PHONE, method.passkey(AAGUID.yubikey5Nfc)],
      devices: [iphone("18.1")],
      signIns: FRESH,
      upnChanges: [{ minutesAgo: 2 * 24 * 60, from: "pat.old@combined.example" }],
    },
    platform: "ios",
    aaGuid: AAGUID.authenticatorIos,
    verdicts: ["pass", "pass", "pass", "pass"],
    because: ["authenticator", "authenticator.summary.accepted"],
    agent: {
      verdicts: ["pass", "pass", "pass", "pass"],
      because: ["authenticator", "authenticator.summary.accepted"],
      fix: "authenticator.userFix.upnChanged",
    },
  },
  {
    rule: "3 UPN change",
    name: "a passkey added after the rename is not affected",
    person: {
      rings: ["pilot"],
      methods: [PHONE, { ...method.passkey(AAGUID.yubikey5Nfc), createdDateTime: at(24 * 60) }],
      signIns: FRESH,
      upnChanges: [{ minutesAgo: 2 * 24 * 60, from: "pat.old@combined.example" }],
    },
    platform: "securityKey",
    aaGuid: AAGUID.yubikey5Nfc,
    verdicts: ["pass", "pass", "pass", "pass"],
    because: ["authenticator", "authenticator.summary.accepted"],
  },
  {
    rule: "3 UPN change",
    name: "a failed rename, or an update of another property, changes nothing",
    person: {
      rings: ["pilotNested"],
      methods: [PHONE, method.passkey(AAGUID.yubikey5Nfc)],
      signIns: FRESH,
      upnChanges: [
        { minutesAgo: 2 * 24 * 60, from: "pat.old@combined.example", result: "failure" },
        { minutesAgo: 24 * 60, from: "Pat Old", property: "DisplayName" },
      ],
    },
    platform: "securityKey",
    aaGuid: AAGUID.yubikey5Nfc,
    verdicts: ["pass", "pass", "pass", "pass"],
    because: ["authenticator", "authenticator.summary.accepted"],
  },
  {
    rule: "3 UPN change",
    name: "a renamed Windows Hello passkey the pilot allow list no longer takes: still refused, and told to replace it",
    person: {
      rings: ["pilotNested", "attested"],
      methods: [PHONE, method.passkey(AAGUID.windowsHello)],
      signIns: FRESH,
      upnChanges: [{ minutesAgo: 3 * 24 * 60, from: "pat.old@combined.example" }],
    },
    platform: "windows",
    aaGuid: AAGUID.windowsHello,
    verdicts: ["pass", "pass", "pass", "fail"],
    because: ["authenticator", "authenticator.summary.notAllowed"],
    agent: {
      verdicts: ["pass", "pass", "pass", "fail"],
      because: ["authenticator", "authenticator.summary.notAllowed"],
      fix: "authenticator.adminFix.upnChanged",
    },
  },
  {
    rule: "3 UPN change",
    name: "a renamed person who does not name the key: the registered key is the one in the way",
    person: {
      rings: ["pilot", "tapEligible"],
      methods: [PHONE, method.passkey(AAGUID.yubikey5Nfc)],
      signIns: FRESH,
      upnChanges: [{ minutesAgo: 6 * 24 * 60, from: "pat.old@combined.example" }],
    },
    platform: "securityKey",
    verdicts: ["pass", "pass", "pass", "pass"],
    because: ["authenticator", "authenticator.summary.accepted"],
    agent: {
      verdicts: ["pass", "pass", "pass", "warn"],
      because: ["authenticator", "authenticator.summary.upnChanged"],
      fix: "authenticator.userFix.upnChanged",
    },
  },
];

async function triage(row: Row, forAgent: boolean): Promise<Diagnosis> {
  const clock = createManualClock(CAPTURED);
  const emulator = await startEmulator({ port: 0, tenant: buildCombinedTenant(row.person, row.variant), clock });
  try {
    const gateway = createGraphGateway({
      mode: "emulator",
      baseUrl: emulator.baseUrl,
      tenantId: TENANT_ID,
      ...BOT_APP,
      schedulerOptions: { reportsPerWindow: 500 },
    });
    const catalog = createAuthenticatorCatalog();
    const user = await gateway.getUser(PERSON_UPN);
    const { diagnosis } = await runTriage(
      {
        gateway,
        diagnose: (input) => diagnosePasskeyRegistration({ ...input, catalog }),
        now: () => new Date(clock.now()),
      },
      { userId: user.id, platform: row.platform, aaGuid: row.aaGuid ?? null, forAgent },
    );
    return diagnosis;
  } finally {
    await emulator.close();
  }
}

describe("the triage on conditions combined as real tenants combine them (emulator, gateway, runTriage)", () => {
  it.each(
    ROWS.flatMap((row) =>
      [false, true].map((forAgent) => ({ ...row, forAgent, path: forAgent ? "agent" : "end user" })),
    ),
  )("§1.$rule — $name ($path)", async (input) => {
    const row = input.forAgent && input.agent ? { ...input, ...input.agent } : input;
    const diagnosis = await triage(row, row.forAgent);
    const explain = diagnosis.questions
      .map((q) => `${q.question}=${q.verdict} ${q.summary.key} ${q.missing?.key ?? ""}`)
      .join("\n");
    expect(
      diagnosis.questions.map((q) => q.verdict),
      explain,
    ).toEqual(row.verdicts);
    const [question, summaryKey] = row.because;
    const result = diagnosis.questions.find((q) => q.question === question);
    expect(result?.summary.key, explain).toBe(summaryKey);
    expect(diagnosis.needsTemporaryAccessPass).toBe(row.needsTap ?? false);
    const firstFail = row.verdicts.indexOf("fail");
    expect(diagnosis.firstBlocking).toBe(firstFail < 0 ? null : diagnosis.questions[firstFail]?.question);
    if (row.fix) {
      expect([...(result?.userFix ?? []), ...(result?.adminFix ?? [])].map((f) => f.key)).toContain(row.fix);
    }
  });
});
