import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuthenticatorCatalog } from "../../../src/capabilities/authenticators/create-authenticator-catalog.js";
import { diagnosePasskeyRegistration } from "../../../src/capabilities/triage/engine/diagnose-passkey-registration.js";
import type {
  Diagnosis,
  FollowUpId,
  LocalizedText,
  Platform,
  Verdict,
} from "../../../src/capabilities/triage/engine/diagnosis.js";
import { groupIdsOfInterest } from "../../../src/capabilities/triage/run-triage.js";
import { createManualClock } from "../../../src/emulator/emulator-clock.js";
import { type RunningEmulator, startEmulator } from "../../../src/emulator/start-emulator.js";
import type { TenantFile } from "../../../src/emulator/tenant-file.js";
import { createGraphGateway } from "../../../src/graph/create-graph-gateway.js";
import type { GraphGateway } from "../../../src/graph/graph-gateway.js";
import type { TenantPolicySnapshot } from "../../../src/graph/model.js";
import { translate } from "../../../src/locales/translate.js";
import { PRACTICE_TENANT_FILE, SELF_SERVICE_OFF_TENANT_FILE } from "../../support/repo-path.js";

const TENANT_PATH = PRACTICE_TENANT_FILE;
const SELF_SERVICE_OFF_PATH = SELF_SERVICE_OFF_TENANT_FILE;
const TENANT_ID = "7d3e5a2c-1b4f-4c8e-9a6d-2f0b8c4e6a10";
const BOT_APP = { clientId: "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f", clientSecret: "contoso-practice-bot-secret" };
const LIMITED_APP = {
  clientId: "6a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
  clientSecret: "contoso-practice-limited-secret",
};
const YUBIKEY_5_NFC = "fa2b99dc-9e39-4257-8f92-4a30d23c4118";
const FEITIAN_EPASS_NFC = "ee041bce-25e5-4cdb-8f86-897fd6418464";
const START = Date.parse("2026-11-22T10:00:00Z");

const ALL_YES: Partial<Record<FollowUpId, boolean>> = {
  windowsPinSet: true,
  tpmReady: true,
  bluetoothOn: true,
  authenticatorSignedIn: true,
  registeredInIcloudKeychain: false,
  severalGoogleAccounts: false,
  securityKeyIsFido2: true,
  browserHasUsbPermission: true,
};

type Verdicts = [policyScope: Verdict, freshMfa: Verdict, platform: Verdict, authenticator: Verdict];

interface PersonaCase {
  key: string;
  /** Where the persona tries to register, from the devices the practice tenant gives them. */
  platform: Platform;
  aaGuid?: string;
  answers?: Partial<Record<FollowUpId, boolean>>;
  verdicts: Verdicts;
  /** The summary key of the question the persona exists to exercise. */
  because: [question: number, summaryKey: string];
  needsTap?: boolean;
}

/**
 * Every end-user persona of the practice tenant, with the verdict of each question. Where a persona fails more than
 * one question the tenant really does (e.g. a Windows laptop under a Default profile that does not allow Windows Hello),
 * the table says so rather than choosing a platform that hides it.
 */
const PERSONAS: PersonaCase[] = [
  {
    key: "not-targeted",
    platform: "ios",
    verdicts: ["fail", "pass", "pass", "fail"],
    because: [1, "policyScope.summary.notIncluded"],
  },
  {
    key: "excluded",
    platform: "android",
    verdicts: ["fail", "pass", "pass", "fail"],
    because: [1, "policyScope.summary.excluded"],
  },
  {
    key: "no-mfa-method",
    platform: "windows",
    verdicts: ["pass", "fail", "pass", "fail"],
    because: [2, "freshMfa.summary.noMfaMethod"],
    needsTap: true,
  },
  {
    key: "stale-mfa",
    platform: "android",
    verdicts: ["pass", "warn", "pass", "pass"],
    because: [2, "freshMfa.summary.stale"],
  },
  {
    key: "has-tap",
    platform: "securityKey",
    aaGuid: YUBIKEY_5_NFC,
    verdicts: ["pass", "pass", "pass", "pass"],
    because: [2, "freshMfa.summary.tapReadyOneTime"],
  },
  {
    key: "tap-not-targeted",
    platform: "windows",
    verdicts: ["pass", "fail", "pass", "fail"],
    because: [2, "freshMfa.summary.noMfaMethod"],
    needsTap: true,
  },
  {
    key: "whfb-conflict",
    platform: "windows",
    verdicts: ["pass", "pass", "fail", "pass"],
    because: [3, "platform.summary.whfbConflict"],
  },
  {
    key: "windows-hello-blocked",
    platform: "windows",
    verdicts: ["pass", "pass", "pass", "fail"],
    because: [4, "authenticator.summary.notAllowed"],
  },
  {
    key: "attestation-mismatch",
    platform: "windows",
    verdicts: ["pass", "pass", "pass", "fail"],
    because: [4, "authenticator.summary.cannotAttest"],
  },
  {
    key: "yubikey-allowed",
    platform: "securityKey",
    aaGuid: YUBIKEY_5_NFC,
    verdicts: ["pass", "pass", "pass", "pass"],
    because: [4, "authenticator.summary.accepted"],
  },
  {
    key: "blocked-key",
    platform: "securityKey",
    aaGuid: FEITIAN_EPASS_NFC,
    verdicts: ["pass", "pass", "pass", "fail"],
    because: [4, "authenticator.summary.blocked"],
  },
  {
    key: "ios-user",
    platform: "otherDeviceQr",
    answers: { ...ALL_YES, bluetoothOn: false },
    verdicts: ["pass", "pass", "fail", "pass"],
    because: [3, "platform.summary.bluetoothOff"],
  },
  {
    key: "android-user",
    platform: "android",
    verdicts: ["pass", "pass", "pass", "pass"],
    because: [3, "platform.summary.androidReady"],
  },
  {
    key: "all-good",
    platform: "securityKey",
    verdicts: ["pass", "pass", "pass", "pass"],
    because: [4, "authenticator.summary.accepted"],
  },
  {
    key: "privileged-admin",
    platform: "ios",
    verdicts: ["pass", "pass", "pass", "pass"],
    because: [1, "policyScope.summary.inScope"],
  },
  {
    key: "external-guest",
    platform: "ios",
    verdicts: ["fail", "pass", "pass", "pass"],
    because: [1, "policyScope.summary.guest"],
  },
  {
    key: "ca-registration-loop",
    platform: "securityKey",
    aaGuid: YUBIKEY_5_NFC,
    verdicts: ["pass", "fail", "pass", "pass"],
    because: [2, "freshMfa.summary.registrationLoop"],
  },
  {
    key: "lost-phone",
    platform: "securityKey",
    aaGuid: YUBIKEY_5_NFC,
    verdicts: ["pass", "pass", "pass", "pass"],
    because: [2, "freshMfa.summary.useIssuedTap"],
  },
  {
    key: "upn-changed",
    platform: "securityKey",
    aaGuid: YUBIKEY_5_NFC,
    verdicts: ["pass", "pass", "pass", "pass"],
    because: [4, "authenticator.summary.accepted"],
  },
  {
    key: "android-work-profile",
    platform: "android",
    aaGuid: "de1e552d-db1d-4423-a619-566b625cdc84",
    verdicts: ["pass", "pass", "pass", "pass"],
    because: [3, "platform.summary.androidReady"],
  },
  {
    key: "no-manager",
    platform: "windows",
    verdicts: ["pass", "fail", "pass", "fail"],
    because: [2, "freshMfa.summary.noMfaMethod"],
    needsTap: true,
  },
];

function textsOf(diagnosis: Diagnosis): LocalizedText[] {
  return diagnosis.questions.flatMap((q) => [
    q.summary,
    ...q.evidence.map((e) => e.label),
    ...q.userFix,
    ...q.adminFix,
    ...q.links.map((l) => l.title),
    ...(q.missing ? [q.missing] : []),
  ]);
}

describe("the practice tenant's personas through the emulator and the gateway", () => {
  const clock = createManualClock(START);
  const catalog = createAuthenticatorCatalog();
  let tenant: TenantFile;
  let emulator: RunningEmulator;
  let gateway: GraphGateway;
  let policy: TenantPolicySnapshot;
  let groupNames: Record<string, string>;

  beforeAll(async () => {
    tenant = JSON.parse(readFileSync(TENANT_PATH, "utf8")) as TenantFile;
    emulator = await startEmulator({ port: 0, tenant: TENANT_PATH, clock, throttleScale: 100 });
    gateway = createGraphGateway({
      mode: "emulator",
      baseUrl: emulator.baseUrl,
      tenantId: TENANT_ID,
      ...BOT_APP,
      schedulerOptions: { reportsPerWindow: 500 },
    });
    policy = await gateway.getTenantPolicySnapshot();
    groupNames = await gateway.getGroupDisplayNames(groupIdsOfInterest(policy));
  });

  afterAll(async () => {
    await emulator?.close();
  });

  async function diagnose(persona: PersonaCase): Promise<Diagnosis> {
    const upn = tenant.personas?.find((p) => p.key === persona.key)?.userPrincipalName;
    if (!upn) throw new Error(`The practice tenant must have persona ${persona.key}`);
    const user = await gateway.getUser(upn);
    const now = new Date(clock.now());
    const snapshot = await gateway.getUserAuthSnapshot(user.id, {
      groupIds: groupIdsOfInterest(policy),
      signInsSince: new Date(now.getTime() - 7 * 24 * 3600_000).toISOString(),
    });
    return diagnosePasskeyRegistration({
      policy,
      snapshot,
      platform: persona.platform,
      ...(persona.aaGuid ? { aaGuid: persona.aaGuid } : {}),
      answers: persona.answers ?? ALL_YES,
      now,
      catalog,
      groupNames,
    });
  }

  it("covers every end-user persona of the tenant", () => {
    const users = (tenant.personas ?? []).filter((p) => p.role === "user").map((p) => p.key);
    expect(PERSONAS.map((p) => p.key).sort()).toEqual(users.sort());
  });

  it.each(PERSONAS)("$key: $verdicts", async (persona) => {
    const diagnosis = await diagnose(persona);
    const summary = diagnosis.questions.map(
      (q) => `${q.question}=${q.verdict} ${q.summary.key} ${q.missing?.key ?? ""}`,
    );
    expect(
      diagnosis.questions.map((q) => q.verdict),
      summary.join("\n"),
    ).toEqual(persona.verdicts);
    const [index, summaryKey] = persona.because;
    expect(diagnosis.questions[index - 1]?.summary.key).toBe(summaryKey);
    expect(diagnosis.needsTemporaryAccessPass).toBe(persona.needsTap ?? false);
    const firstFail = persona.verdicts.indexOf("fail");
    expect(diagnosis.firstBlocking).toBe(firstFail < 0 ? null : diagnosis.questions[firstFail]?.question);
    for (const locale of ["en", "cs"]) {
      for (const text of textsOf(diagnosis)) {
        const rendered = translate(locale, `diagnosis.${text.key}`, text.params);
        expect(rendered, `${locale} ${text.key}`).not.toBe(`diagnosis.${text.key}`);
        expect(rendered, `${locale} ${text.key}`).not.toMatch(/\{\w+\}/);
      }
    }
  });

  it("names every group the policies target, read through the gateway", () => {
    const expected = Object.fromEntries(
      tenant.groups.filter((g) => groupIdsOfInterest(policy).includes(g.id)).map((g) => [g.id, g.displayName]),
    );
    expect(Object.keys(expected).length).toBeGreaterThan(0);
    expect(groupNames).toEqual(expected);
  });

  it("tells the excluded persona's admin the exclusion group by name", async () => {
    const diagnosis = await diagnose(PERSONAS.find((p) => p.key === "excluded") as PersonaCase);
    const excludeIds = policy.fido2.ok ? policy.fido2.value.excludeTargets.map((t) => t.id) : [];
    const fixes = diagnosis.questions[0]?.adminFix.map((f) => String(f.params?.group)) ?? [];
    expect(fixes.length).toBeGreaterThan(0);
    for (const fix of fixes) {
      const id = excludeIds.find((candidate) => fix.includes(candidate));
      expect(id, fix).toBeDefined();
      expect(fix).toBe(`${groupNames[id as string]} (${id})`);
    }
  });

  it("tells the WHfB-conflict persona's admin exactly which device to free", async () => {
    const diagnosis = await diagnose(PERSONAS.find((p) => p.key === "whfb-conflict") as PersonaCase);
    const platform = diagnosis.questions[2];
    expect(platform?.adminFix[0]).toEqual({
      key: "platform.adminFix.whfbDeleteMethod",
      params: { device: "CONTOSO-LT-0142" },
    });
    expect(translate("cs", `diagnosis.${platform?.adminFix[0]?.key}`, platform?.adminFix[0]?.params)).toContain(
      "CONTOSO-LT-0142",
    );
  });

  it("tells the Windows-Hello-blocked persona's admin the three AAGUIDs to allow on the Default profile", async () => {
    const diagnosis = await diagnose(PERSONAS.find((p) => p.key === "windows-hello-blocked") as PersonaCase);
    expect(diagnosis.questions[3]?.adminFix).toContainEqual({
      key: "authenticator.adminFix.addToAllowList",
      params: {
        aaguids:
          "08987058-cadc-4b81-b6e1-30de50dcbe96, 9ddd1817-af5a-4672-a2b9-3e3dd95000a9, 6028b017-b1d4-4c02-b4b3-afcdafc96bb2",
        profile: "Default passkey profile",
      },
    });
    expect(diagnosis.questions[3]?.adminFix).toContainEqual({
      key: "authenticator.adminFix.targetToProfile",
      params: { profile: "Windows Hello" },
    });
  });

  it("with an app lacking permissions, says which permission is missing instead of guessing", async () => {
    const limited = createGraphGateway({
      mode: "emulator",
      baseUrl: emulator.baseUrl,
      tenantId: TENANT_ID,
      ...LIMITED_APP,
    });
    const limitedPolicy = await limited.getTenantPolicySnapshot();
    const user = await limited.getUser(tenant.personas?.find((p) => p.key === "all-good")?.userPrincipalName ?? "");
    const snapshot = await limited.getUserAuthSnapshot(user.id, {
      groupIds: groupIdsOfInterest(limitedPolicy),
      signInsSince: new Date(START - 3600_000).toISOString(),
    });
    const diagnosis = diagnosePasskeyRegistration({
      policy: limitedPolicy,
      snapshot,
      platform: "windows",
      answers: ALL_YES,
      now: new Date(clock.now()),
      catalog,
    });
    const [policyScope, freshMfa, platform] = diagnosis.questions;
    expect(policyScope?.verdict).toBe("unknown");
    expect(policyScope?.missing).toEqual({
      key: "missing.groupMembership.accessDenied",
      params: { permission: expect.stringMatching(/GroupMember\.Read\.All|Directory\.Read\.All/) },
    });
    expect(freshMfa?.verdict).toBe("unknown");
    expect(freshMfa?.missing?.key).toBe("missing.methods.accessDenied");
    expect(platform?.verdict).toBe("unknown");
    expect(diagnosis.firstBlocking).toBeNull();
  });

  it("names the Conditional Access policy behind the registration loop and its admin fix", async () => {
    const diagnosis = await diagnose(PERSONAS.find((p) => p.key === "ca-registration-loop") as PersonaCase);
    const freshMfa = diagnosis.questions[1];
    expect(freshMfa?.summary).toEqual({
      key: "freshMfa.summary.registrationLoop",
      params: { policy: "Require phishing-resistant MFA to register security info" },
    });
    expect(freshMfa?.adminFix[0]).toEqual({
      key: "freshMfa.adminFix.registrationLoop",
      params: {
        policy: "Require phishing-resistant MFA to register security info",
        strength: "Phishing-resistant MFA",
      },
    });
    expect(diagnosis.needsTemporaryAccessPass).toBe(false);
  });

  it("shows the agent the UPN change after upn-changed registered her key: delete it and add it again", async () => {
    const persona = PERSONAS.find((p) => p.key === "upn-changed") as PersonaCase;
    const user = await gateway.getUser(tenant.personas?.find((p) => p.key === persona.key)?.userPrincipalName ?? "");
    const now = new Date(clock.now());
    const snapshot = await gateway.getUserAuthSnapshot(user.id, {
      groupIds: groupIdsOfInterest(policy),
      signInsSince: new Date(now.getTime() - 24 * 3600_000).toISOString(),
      auditsSince: new Date(now.getTime() - 7 * 24 * 3600_000).toISOString(),
    });
    const diagnosis = diagnosePasskeyRegistration({
      policy,
      snapshot,
      platform: persona.platform,
      aaGuid: YUBIKEY_5_NFC,
      answers: ALL_YES,
      now,
      catalog,
    });
    const authenticator = diagnosis.questions[3];
    expect(authenticator?.verdict).toBe("warn");
    expect(authenticator?.summary).toEqual({
      key: "authenticator.summary.upnChanged",
      params: { date: "2026-11-20", passkey: "YubiKey 5 NFC" },
    });
    expect(authenticator?.userFix[0]?.key).toBe("authenticator.userFix.upnChanged");
    expect(authenticator?.adminFix).toContainEqual({
      key: "authenticator.adminFix.upnChanged",
      params: {
        oldUpn: "jana.novak@contosopractice.onmicrosoft.com",
        newUpn: "upn-changed@contosopractice.onmicrosoft.com",
        date: "2026-11-20",
        passkey: "YubiKey 5 NFC",
      },
    });
    expect(diagnosis.firstBlocking).toBeNull();
  });

  it("tells the Android work profile persona to add the passkey in the work profile", async () => {
    const diagnosis = await diagnose(PERSONAS.find((p) => p.key === "android-work-profile") as PersonaCase);
    expect(diagnosis.questions[2]?.userFix.map((f) => f.key)).toContain("platform.userFix.androidWorkProfile");
    const other = await diagnose(PERSONAS.find((p) => p.key === "android-user") as PersonaCase);
    expect(other.questions[2]?.userFix.map((f) => f.key)).not.toContain("platform.userFix.androidWorkProfile");
  });

  it("asks the TAP-not-targeted persona's admin to include her in the TAP policy", async () => {
    const diagnosis = await diagnose(PERSONAS.find((p) => p.key === "tap-not-targeted") as PersonaCase);
    expect(diagnosis.questions[1]?.adminFix.map((f) => f.key)).toContain("freshMfa.adminFix.targetTapPolicy");
  });
});

describe("the practice tenant with self-service set up off", () => {
  let emulator: RunningEmulator;

  afterAll(async () => {
    await emulator?.close();
  });

  it("fails question 1 even for the all-good persona, and names the tenant-wide switch", async () => {
    const tenant = JSON.parse(readFileSync(SELF_SERVICE_OFF_PATH, "utf8")) as TenantFile;
    emulator = await startEmulator({
      port: 0,
      tenant: SELF_SERVICE_OFF_PATH,
      clock: createManualClock(START),
      throttleScale: 100,
    });
    const gateway = createGraphGateway({
      mode: "emulator",
      baseUrl: emulator.baseUrl,
      tenantId: TENANT_ID,
      ...BOT_APP,
    });
    const policy = await gateway.getTenantPolicySnapshot();
    const upn = tenant.personas?.find((p) => p.key === "all-good")?.userPrincipalName ?? "";
    const user = await gateway.getUser(upn);
    const snapshot = await gateway.getUserAuthSnapshot(user.id, { groupIds: groupIdsOfInterest(policy) });
    const diagnosis = diagnosePasskeyRegistration({
      policy,
      snapshot,
      platform: "securityKey",
      answers: ALL_YES,
      now: new Date(START),
      catalog: createAuthenticatorCatalog(),
    });
    expect(diagnosis.firstBlocking).toBe("policyScope");
    expect(diagnosis.questions[0]?.summary.key).toBe("policyScope.summary.selfServiceOff");
    expect(diagnosis.questions[0]?.adminFix.map((f) => f.key)).toEqual(["policyScope.adminFix.enableSelfService"]);
    expect(diagnosis.questions[1]?.missing?.key).toBe("missing.signIns.notRequested");
  });
});
