import { describe, expect, it } from "vitest";
import { renderCard } from "../../../src/bot/render-card.js";
import { createAuthenticatorCatalog } from "../../../src/capabilities/authenticators/create-authenticator-catalog.js";
import type { TriageChoices } from "../../../src/capabilities/triage/conversation-choices.js";
import { formatLocalTime } from "../../../src/capabilities/triage/format-local-time.js";
import type { TriageOutcome } from "../../../src/capabilities/triage/run-triage.js";
import { buildEvidenceCard } from "../../../src/capabilities/triage/triage-card-evidence.js";
import type { Fido2KeyRestrictions, TenantPolicySnapshot } from "../../../src/graph/model.js";
import { translate } from "../../../src/locales/translate.js";
import { cardWords } from "../../support/card-words.js";
import {
  diagnosisFixture,
  EXCLUDE_GROUP,
  INCLUDE_GROUP,
  policyFixture,
  userSnapshotFixture,
} from "./conversation-fixtures.js";

const catalog = createAuthenticatorCatalog();
const authenticatorName = (aaGuid: string) => catalog.lookup(aaGuid)?.name ?? null;
const en = (key: string, params?: Record<string, string | number>) => translate("en", key, params);
const choices: TriageChoices = { platform: "windows", aaGuid: null, answers: {}, start: null, targetUserId: null };

const YUBIKEY_5 = "cb69481e-8ff7-4039-93ec-0a2729a154a8";
const AUTHENTICATOR_ANDROID = "de1e552d-db1d-4423-a619-566b625cdc84";
const UNKNOWN_AAGUID = "00000000-1111-4222-8333-444444444444";

function withRestrictions(keyRestrictions: Fido2KeyRestrictions): TenantPolicySnapshot {
  const policy = policyFixture();
  if (!policy.fido2.ok) throw new Error("the fixture policy is readable");
  const [profile] = policy.fido2.value.passkeyProfiles ?? [];
  if (!profile) throw new Error("the fixture policy has a profile");
  return policyFixture({ passkeyProfiles: [{ ...profile, keyRestrictions }] });
}

function outcome(overrides: Partial<TriageOutcome> = {}): TriageOutcome {
  return {
    diagnosis: diagnosisFixture(),
    policy: policyFixture(),
    user: userSnapshotFixture(),
    groupNames: {},
    ...overrides,
  };
}

function facts(card: ReturnType<typeof buildEvidenceCard>, section: "groups" | "profiles") {
  return cardWords(card)[section] as Array<{ title: string; value: string }>;
}

describe("the agent's evidence card", () => {
  it("names each policy group the user is or is not a member of, the name before the id", () => {
    const card = buildEvidenceCard(
      outcome({ groupNames: { [INCLUDE_GROUP]: "Passkey pilot ring", [EXCLUDE_GROUP]: "Passkey rollout - excluded" } }),
      choices,
      authenticatorName,
    );
    expect(facts(card, "groups")).toEqual([
      { title: `Passkey +: Passkey pilot ring (${INCLUDE_GROUP})`, value: "member" },
      { title: `Passkey −: Passkey rollout - excluded (${EXCLUDE_GROUP})`, value: "not a member" },
    ]);
  });

  it("shows a group Graph gave no name for by its id alone", () => {
    const card = buildEvidenceCard(
      outcome({ groupNames: { [EXCLUDE_GROUP]: "Passkey rollout - excluded" } }),
      choices,
      authenticatorName,
    );
    expect(facts(card, "groups")[0]).toEqual({ title: `Passkey +: ${INCLUDE_GROUP}`, value: "member" });
  });

  it("labels policy targets and sign-in outcomes in the agent's language", () => {
    const failed = userSnapshotFixture();
    if (!failed.signIns.ok) throw new Error("the fixture sign-ins are readable");
    const [signIn] = failed.signIns.value;
    if (!signIn) throw new Error("the fixture has a sign-in");
    const signIns = { ok: true as const, value: [{ ...signIn, status: { errorCode: 50126 } }, signIn] };
    const card = buildEvidenceCard(
      outcome({ user: { ...failed, signIns }, groupNames: { [INCLUDE_GROUP]: "Pilot" } }),
      choices,
      authenticatorName,
    );
    const cs = (key: string, params?: Record<string, string | number>) => translate("cs", key, params);
    const words = cardWords(card, "cs") as Record<string, Array<{ title: string; value: string }>>;
    expect(words.groups?.[0]?.title).toBe(`${cs("triage.evidencePasskeyIncludes")}: Pilot (${INCLUDE_GROUP})`);
    expect(words.groups?.[1]?.title).toBe(`${cs("triage.evidencePasskeyExcludes")}: ${EXCLUDE_GROUP}`);
    expect(words.signIns?.[0]?.value).toMatch(new RegExp(`· ${cs("triage.evidenceSignInError", { code: 50126 })}$`));
    expect(words.signIns?.[1]?.value).toMatch(new RegExp(`· ${cs("triage.evidenceSignInOk")}$`));
    expect(JSON.stringify(words)).not.toMatch(/Passkey [+−]|· error \d|· ok\b/);
  });

  it("lists a profile's allow list by authenticator name, an unknown AAGUID as itself", () => {
    const policy = withRestrictions({
      isEnforced: true,
      enforcementType: "allow",
      aaGuids: [YUBIKEY_5, AUTHENTICATOR_ANDROID, UNKNOWN_AAGUID],
    });
    const card = buildEvidenceCard(outcome({ policy }), choices, authenticatorName);
    expect(facts(card, "profiles")).toEqual([
      {
        title: "Default passkey profile",
        value: `deviceBound,synced; attestation disabled; allows only: YubiKey 5 Series, Microsoft Authenticator (Android), ${UNKNOWN_AAGUID}`,
      },
    ]);
  });

  it("lists a block list by name and says when a profile restricts no keys", () => {
    const blocking = buildEvidenceCard(
      outcome({ policy: withRestrictions({ isEnforced: true, enforcementType: "block", aaGuids: [YUBIKEY_5] }) }),
      choices,
      authenticatorName,
    );
    expect(facts(blocking, "profiles")[0]?.value).toMatch(/; blocks: YubiKey 5 Series$/);
    const open = buildEvidenceCard(
      outcome({ policy: withRestrictions({ isEnforced: false, enforcementType: "allow", aaGuids: [YUBIKEY_5] }) }),
      choices,
      authenticatorName,
    );
    expect(facts(open, "profiles")[0]?.value).toMatch(/; no key restrictions$/);
  });

  it("lists a name several AAGUIDs share once, with how many", () => {
    const yubiKey5Nfc = ["2fc0579f-8113-47ea-b116-bb5a8db9202a", "a25342c0-3cdc-4414-8e46-f4807fca511c"];
    const policy = withRestrictions({
      isEnforced: true,
      enforcementType: "allow",
      aaGuids: [YUBIKEY_5, ...yubiKey5Nfc],
    });
    const card = buildEvidenceCard(outcome({ policy }), choices, authenticatorName);
    expect(facts(card, "profiles")[0]?.value).toMatch(/allows only: YubiKey 5 Series, YubiKey 5 Series with NFC ×2$/);
  });

  it("names at most twelve authenticators of a long list and counts the rest", () => {
    const aaGuids = Array.from({ length: 15 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
    const card = buildEvidenceCard(
      outcome({ policy: withRestrictions({ isEnforced: true, enforcementType: "allow", aaGuids }) }),
      choices,
      authenticatorName,
    );
    const value = facts(card, "profiles")[0]?.value ?? "";
    expect(value).toContain(aaGuids[11]);
    expect(value).not.toContain(aaGuids[12]);
    expect(value).toMatch(/, and 3 more$/);
  });

  it("shows the profile a target naming none gets (the default) and none for an excluded user", () => {
    const policy = policyFixture({
      includeTargets: [{ id: INCLUDE_GROUP, targetType: "group", allowedPasskeyProfiles: [] }],
    });
    const card = buildEvidenceCard(outcome({ policy }), choices, authenticatorName);
    expect(facts(card, "profiles").map((f) => f.title)).toEqual(["Default passkey profile"]);
    const excluded = buildEvidenceCard(
      outcome({ user: userSnapshotFixture({ memberOfGroupIds: { ok: true, value: [INCLUDE_GROUP, EXCLUDE_GROUP] } }) }),
      choices,
      authenticatorName,
    );
    expect(facts(excluded, "profiles")).toEqual([{ title: "—", value: en("triage.evidenceNone") }]);
  });

  it("renders with the names in English and Czech", () => {
    const policy = withRestrictions({ isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY_5] });
    for (const locale of ["en", "cs"]) {
      const card = buildEvidenceCard(
        outcome({ policy, groupNames: { [INCLUDE_GROUP]: "Passkey pilot ring" } }),
        choices,
        authenticatorName,
      );
      const rendered = JSON.stringify(renderCard(card.name, card.data, locale));
      expect(rendered).toContain("Passkey pilot ring");
      expect(rendered).toContain("YubiKey 5 Series");
      expect(rendered).not.toMatch(/\$\{|triage\.evidence/);
    }
  });
});

describe("Request TAP on the evidence card", () => {
  const TAP_GROUP = "0a11e3b0-0000-4000-8000-000000000014";
  const withTapPolicy = (includeId: string): TenantPolicySnapshot => ({
    ...policyFixture(),
    temporaryAccessPass: {
      ok: true,
      value: {
        id: "TemporaryAccessPass",
        state: "enabled",
        defaultLifetimeInMinutes: 60,
        minimumLifetimeInMinutes: 60,
        maximumLifetimeInMinutes: 480,
        isUsableOnce: true,
        defaultLength: 8,
        includeTargets: [{ id: includeId, targetType: "group" }],
        excludeTargets: [],
      },
    },
  });
  const member = userSnapshotFixture();
  const guest = userSnapshotFixture({ user: { ...member.user, userType: "Guest" } });
  const disabled = userSnapshotFixture({ user: { ...member.user, accountEnabled: false } });

  it.each([
    ["a member the TAP policy targets", member, withTapPolicy("all_users"), true, ""],
    ["an external guest", guest, withTapPolicy("all_users"), false, "triage.noTapGuest"],
    ["a disabled account", disabled, withTapPolicy("all_users"), false, "triage.noTapDisabled"],
    ["someone outside the TAP policy", member, withTapPolicy(TAP_GROUP), false, "triage.noTapNotTargeted"],
  ])("for %s", (_name, user, policy, offered, reasonKey) => {
    const card = buildEvidenceCard(outcome({ user, policy }), choices, authenticatorName);
    expect(card.data.canRequestTap).toBe(offered);
    expect(cardWords(card).noTapReason).toBe(reasonKey ? en(reasonKey) : "");
    const rendered = JSON.stringify(renderCard("triage-evidence", card.data, "en"));
    expect(rendered.includes(en("triage.requestTap"))).toBe(offered);
  });
});

describe("times on the agent's evidence card", () => {
  it.each([
    ["2026-11-22T09:58:00Z", "Europe/Prague", "22 Nov, 10:58"],
    ["2026-11-22T09:58:00Z", "America/New_York", "22 Nov, 04:58"],
    ["2026-11-22T09:58:00Z", undefined, "22 Nov, 09:58 UTC"],
    ["2026-11-22T09:58:00Z", "Not/A_Zone", "2026-11-22 09:58 UTC"],
  ])("%s in %s reads %s", (iso, zone, expected) => {
    expect(formatLocalTime(iso, zone)).toBe(expected);
  });

  it("shows sign-ins in the agent's own time zone, not raw ISO", () => {
    const card = buildEvidenceCard(outcome(), choices, authenticatorName, "Europe/Prague");
    const signIns = cardWords(card).signIns as Array<{ title: string }>;
    expect(signIns[0]?.title).toBe("22 Nov, 10:58");
  });
});

describe("a failed registration attempt on the agent's evidence card", () => {
  it("names the key the person tried, from the AAGuid of the refused 'Add Passkey' event", () => {
    const user = userSnapshotFixture({
      registrationAudits: {
        ok: true,
        value: [
          {
            id: "add-1",
            activityDateTime: "2026-11-22T09:40:00Z",
            activityDisplayName: "Add Passkey (device-bound)",
            category: "UserManagement",
            correlationId: null,
            loggedByService: "Device Registration Service",
            operationType: "Add",
            result: "failure",
            resultReason: "Passkey not registered",
            initiatedBy: null,
            targetResources: [],
            additionalDetails: [{ key: "AAGuid", value: YUBIKEY_5 }],
          },
        ],
      },
    });
    const card = buildEvidenceCard(outcome({ user }), choices, authenticatorName);
    const audits = cardWords(card).audits as Array<{ value: string }>;
    expect(audits[0]?.value).toContain(`AAGuid ${YUBIKEY_5} (${authenticatorName(YUBIKEY_5)})`);
    expect(authenticatorName(YUBIKEY_5)).toMatch(/YubiKey/);
  });
});
