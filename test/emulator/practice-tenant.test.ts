import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  buildPracticeTenant,
  buildSelfServiceOffVariant,
  GROUP_IDS,
  PRACTICE_TENANT_PATH,
  PROFILE_IDS,
  SELF_SERVICE_OFF_PATH,
} from "../../scripts/build-practice-tenants.js";
import type { TenantFile, TenantUser } from "../../src/emulator/tenant-file.js";
import { botApplicationPermissions } from "../../src/graph/graph-permissions.js";
import { hasSharedReference, needsShared, sharedReferencePath } from "../support/repo-path.js";

const PERSONA_KEYS = [
  "not-targeted",
  "excluded",
  "no-mfa-method",
  "stale-mfa",
  "has-tap",
  "tap-not-targeted",
  "whfb-conflict",
  "windows-hello-blocked",
  "attestation-mismatch",
  "yubikey-allowed",
  "blocked-key",
  "ios-user",
  "android-user",
  "all-good",
  "privileged-admin",
  "external-guest",
  "agent-1",
  "agent-2",
  "manager",
  "manager-top",
  "no-manager",
  "ca-registration-loop",
  "lost-phone",
  "admin",
  "upn-changed",
  "android-work-profile",
];
const DOMAIN = "contosopractice.onmicrosoft.com";
const WINDOWS_HELLO_AAGUIDS = [
  "08987058-cadc-4b81-b6e1-30de50dcbe96",
  "9ddd1817-af5a-4672-a2b9-3e3dd95000a9",
  "6028b017-b1d4-4c02-b4b3-afcdafc96bb2",
];

type Method = Record<string, unknown> & { id: string; "@odata.type": string };
interface Profile {
  id: string;
  name: string;
  passkeyTypes: string;
  attestationEnforcement: string;
  keyRestrictions: { isEnforced: boolean; enforcementType: string; aaGuids: string[] };
}
interface Target {
  id: string;
  targetType: string;
  allowedPasskeyProfiles?: string[];
}

const practice = JSON.parse(readFileSync(PRACTICE_TENANT_PATH, "utf8")) as TenantFile;
const selfServiceOff = JSON.parse(readFileSync(SELF_SERVICE_OFF_PATH, "utf8")) as TenantFile;

function configuration(tenant: TenantFile, id: string) {
  const found = tenant.authenticationMethodsPolicy.authenticationMethodConfigurations.find((entry) => entry.id === id);
  if (!found) throw new Error(`no ${id} configuration`);
  return found;
}
const fido2 = configuration(practice, "Fido2");
const temporaryAccessPassPolicy = configuration(practice, "TemporaryAccessPass");
const profiles = fido2.passkeyProfiles as Profile[];
const includeTargets = fido2.includeTargets as Target[];
const excludeTargets = fido2.excludeTargets as Target[];

function userOf(key: string): TenantUser {
  const persona = practice.personas?.find((entry) => entry.key === key);
  const user = practice.users.find((entry) => entry.userPrincipalName === persona?.userPrincipalName);
  if (!user) throw new Error(`no user for persona ${key}`);
  return user;
}

/** Group ids the object is a member of, directly or through nested groups. */
function transitiveGroupsOf(objectId: string): Set<string> {
  const found = new Set<string>();
  const pending = [objectId];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    for (const group of practice.groups) {
      if (group.memberIds.includes(current) && !found.has(group.id)) {
        found.add(group.id);
        pending.push(group.id);
      }
    }
  }
  return found;
}

function methodsOf(key: string): Method[] {
  return practice.authenticationMethods[userOf(key).id] ?? [];
}
function hasType(methods: Method[], type: string): boolean {
  return methods.some((method) => method["@odata.type"] === `#microsoft.graph.${type}`);
}
const MFA_TYPES = [
  "microsoftAuthenticatorAuthenticationMethod",
  "phoneAuthenticationMethod",
  "softwareOathAuthenticationMethod",
  "windowsHelloForBusinessAuthenticationMethod",
  "fido2AuthenticationMethod",
];
function hasMfaMethod(key: string): boolean {
  return MFA_TYPES.some((type) => hasType(methodsOf(key), type));
}

/** The profiles that apply to a user: union over matching include targets; none when excluded. */
function profilesInScope(key: string): Profile[] {
  const groups = transitiveGroupsOf(userOf(key).id);
  if (excludeTargets.some((target) => groups.has(target.id))) return [];
  const ids = new Set(
    includeTargets
      .filter((target) => target.id === "all_users" || groups.has(target.id))
      .flatMap((target) => target.allowedPasskeyProfiles ?? []),
  );
  return profiles.filter((profile) => ids.has(profile.id));
}
function keyRestrictionsAllow(profile: Profile, aaGuid: string): boolean {
  if (!profile.keyRestrictions.isEnforced) return true;
  const listed = profile.keyRestrictions.aaGuids.includes(aaGuid);
  return profile.keyRestrictions.enforcementType === "allow" ? listed : !listed;
}
function signInsOf(key: string) {
  return (practice.signIns ?? []).filter((signIn) => signIn.userId === userOf(key).id);
}
function minutesBeforeCapture(iso: string): number {
  return (Date.parse(practice.capturedDateTime as string) - Date.parse(iso)) / 60_000;
}
function lastMfaMinutesAgo(key: string): number {
  const mfa = signInsOf(key).filter((signIn) => signIn.authenticationRequirement === "multiFactorAuthentication");
  return Math.min(...mfa.map((signIn) => minutesBeforeCapture(signIn.createdDateTime)));
}
function devicesOf(key: string) {
  return (practice.devices ?? []).filter((device) => device.registeredOwnerIds?.includes(userOf(key).id));
}

describe("the practice tenant files", () => {
  it("are exactly what scripts/build-practice-tenants.ts produces, so the builder is their single source", () => {
    const built = buildPracticeTenant();
    expect(practice).toEqual(JSON.parse(JSON.stringify(built)));
    expect(selfServiceOff).toEqual(JSON.parse(JSON.stringify(buildSelfServiceOffVariant(built))));
  });

  it("use the fixed practice constants: tenant, organization, domain, apps and bot groups", () => {
    expect(practice.organization.id).toBe("7d3e5a2c-1b4f-4c8e-9a6d-2f0b8c4e6a10");
    expect(practice.organization.displayName).toBe("Contoso (practice)");
    expect(practice.organization.verifiedDomains).toContainEqual(
      expect.objectContaining({ name: DOMAIN, isDefault: true }),
    );
    const bot = practice.applications.find((app) => app.appId === "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f");
    const limited = practice.applications.find((app) => app.appId === "6a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d");
    expect(bot?.clientSecret).toBe("contoso-practice-bot-secret");
    // Exactly what the bot asks for: the one permission source generates the practice app registration.
    expect(bot?.applicationPermissions).toEqual(botApplicationPermissions());
    expect(limited?.clientSecret).toBe("contoso-practice-limited-secret");
    expect([...(limited?.applicationPermissions ?? [])].sort()).toEqual([
      "Policy.Read.AuthenticationMethod",
      "User.Read.All",
    ]);
    const groupNames = new Map(practice.groups.map((group) => [group.id, group.displayName]));
    expect(groupNames.get("0a11e3b0-0000-4000-8000-000000000001")).toBe("Helpdesk Agents");
    expect(groupNames.get("0a11e3b0-0000-4000-8000-000000000002")).toBe("Helpdesk Admins");
    expect(groupNames.get("0a11e3b0-0000-4000-8000-000000000003")).toBe("TAP Approvers");
  });

  it("name every persona of the shared list, once, with UPN <key>@domain (the guest with its #EXT# UPN)", () => {
    expect(practice.personas?.map((persona) => persona.key).sort()).toEqual([...PERSONA_KEYS].sort());
    for (const persona of practice.personas ?? []) {
      const expectedUpn =
        persona.key === "external-guest"
          ? `external-guest_fabrikam.example#EXT#@${DOMAIN}`
          : `${persona.key}@${DOMAIN}`;
      expect(persona.userPrincipalName).toBe(expectedUpn);
      expect(practice.users.filter((user) => user.userPrincipalName === expectedUpn)).toHaveLength(1);
      expect(persona.exercises.length).toBeGreaterThan(20);
      expect(persona.expected).toBeDefined();
      expect(persona.scenario).toBeDefined();
    }
  });

  it("have unique ids for users, UPNs, groups, devices, sign-ins, audits and each user's methods", () => {
    const unique = (values: string[]) => expect(new Set(values).size).toBe(values.length);
    unique(practice.users.map((user) => user.id));
    unique(practice.users.map((user) => user.userPrincipalName.toLowerCase()));
    unique(practice.groups.map((group) => group.id));
    unique((practice.devices ?? []).map((device) => device.id));
    unique((practice.devices ?? []).map((device) => device.deviceId));
    unique((practice.signIns ?? []).map((signIn) => signIn.id));
    unique((practice.directoryAudits ?? []).map((entry) => entry.id));
    for (const methods of Object.values(practice.authenticationMethods)) unique(methods.map((method) => method.id));
    expect(practice.users.length).toBeGreaterThanOrEqual(30);
  });

  it("reference only ids that exist", () => {
    const userIds = new Set(practice.users.map((user) => user.id));
    const groupIds = new Set(practice.groups.map((group) => group.id));
    const roleIds = new Set((practice.roleDefinitions ?? []).map((role) => role.id));
    for (const user of practice.users) if (user.managerId) expect(userIds).toContain(user.managerId);
    for (const group of practice.groups)
      for (const id of group.memberIds) expect(userIds.has(id) || groupIds.has(id)).toBe(true);
    for (const device of practice.devices ?? []) {
      for (const id of [...(device.registeredOwnerIds ?? []), ...(device.registeredUserIds ?? [])])
        expect(userIds).toContain(id);
    }
    const roleAssignable = new Set(
      practice.groups.filter((group) => group.isAssignableToRole).map((group) => group.id),
    );
    for (const grant of [...(practice.roleAssignments ?? []), ...(practice.roleEligibilityScheduleInstances ?? [])]) {
      // A role is held by a user, or by a role-assignable group for its members.
      expect(userIds.has(grant.principalId) || roleAssignable.has(grant.principalId), grant.principalId).toBe(true);
      expect(roleIds).toContain(grant.roleDefinitionId);
    }
    for (const id of Object.keys(practice.authenticationMethods)) expect(userIds).toContain(id);
    for (const id of Object.keys(practice.teamsAppInstallations ?? {})) expect(userIds).toContain(id);
    for (const entry of practice.userRegistrationDetails ?? []) expect(userIds).toContain(entry.id);
    for (const signIn of practice.signIns ?? []) expect(userIds).toContain(signIn.userId);
    for (const entry of practice.directoryAudits ?? []) {
      const initiator = (entry.initiatedBy as { user?: { id: string } }).user;
      if (initiator) expect(userIds).toContain(initiator.id);
      for (const target of entry.targetResources as Array<{ id: string | null; type: string }>) {
        if (target.type === "User") expect(userIds).toContain(target.id);
      }
    }
    for (const configurationEntry of practice.authenticationMethodsPolicy.authenticationMethodConfigurations) {
      for (const target of [
        ...((configurationEntry.includeTargets as Target[]) ?? []),
        ...((configurationEntry.excludeTargets as Target[]) ?? []),
      ]) {
        if (target.id !== "all_users") expect(groupIds).toContain(target.id);
      }
    }
    const profileIds = new Set(profiles.map((profile) => profile.id));
    for (const target of includeTargets)
      for (const id of target.allowedPasskeyProfiles ?? []) expect(profileIds).toContain(id);
  });

  it("give every user except manager-top, no-manager and the guest a manager; most end users report to `manager`", () => {
    const withoutManager = practice.users.filter((user) => !user.managerId).map((user) => user.userPrincipalName);
    expect(withoutManager.sort()).toEqual(
      [userOf("manager-top"), userOf("no-manager"), userOf("external-guest")]
        .map((user) => user.userPrincipalName)
        .sort(),
    );
    expect(userOf("manager").managerId).toBe(userOf("manager-top").id);
    const endUsers = (practice.personas ?? []).filter((persona) => persona.role === "user");
    const reportingToManager = endUsers.filter((persona) => userOf(persona.key).managerId === userOf("manager").id);
    expect(reportingToManager.length).toBeGreaterThan(endUsers.length / 2);
  });

  it("shape the Passkey policy as Graph does: enabled, self-service on, at most 3 profiles, legacy fields mirroring the default", () => {
    expect(fido2["@odata.type"]).toBe("#microsoft.graph.fido2AuthenticationMethodConfiguration");
    expect(fido2.state).toBe("enabled");
    expect(fido2.isSelfServiceRegistrationAllowed).toBe(true);
    expect(profiles.length).toBeLessThanOrEqual(3);
    const defaultProfile = profiles.find((profile) => profile.id === fido2.defaultPasskeyProfile);
    expect(defaultProfile?.id).toBe("00000000-0000-0000-0000-000000000001");
    expect(defaultProfile?.name).toBe("Default passkey profile");
    expect(fido2.isAttestationEnforced).toBe(defaultProfile?.attestationEnforcement === "registrationOnly");
    expect(fido2.keyRestrictions).toEqual(defaultProfile?.keyRestrictions);
    expect(temporaryAccessPassPolicy).toMatchObject({
      "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration",
      state: "enabled",
      minimumLifetimeInMinutes: 60,
      maximumLifetimeInMinutes: 480,
      defaultLifetimeInMinutes: 60,
    });
  });

  it("keep registration details consistent with each user's methods", () => {
    for (const entry of practice.userRegistrationDetails ?? []) {
      const methods = practice.authenticationMethods[entry.id] ?? [];
      const registered = entry.methodsRegistered as string[];
      const hasMfa = MFA_TYPES.some((type) => hasType(methods, type));
      expect(entry.isMfaRegistered).toBe(hasMfa);
      expect(registered.some((name) => name.startsWith("passKey"))).toBe(hasType(methods, "fido2AuthenticationMethod"));
      expect(registered.includes("windowsHelloForBusiness")).toBe(
        hasType(methods, "windowsHelloForBusinessAuthenticationMethod"),
      );
      expect(registered.includes("temporaryAccessPass")).toBe(
        hasType(methods, "temporaryAccessPassAuthenticationMethod"),
      );
    }
  });

  it.skipIf(!hasSharedReference)(needsShared("use only AAGUIDs the shared catalog knows"), () => {
    const catalogPath = sharedReferencePath("aaguids.json");
    const known = new Set(Object.keys(JSON.parse(readFileSync(catalogPath, "utf8")).authenticators));
    const used = [
      ...profiles.flatMap((profile) => profile.keyRestrictions.aaGuids),
      ...Object.values(practice.authenticationMethods)
        .flat()
        .flatMap((method) => (typeof method.aaGuid === "string" ? [method.aaGuid] : [])),
      ...(practice.personas ?? []).flatMap((persona) => (persona.scenario?.aaGuid ? [persona.scenario.aaGuid] : [])),
    ];
    for (const aaGuid of used) expect(known, aaGuid).toContain(aaGuid);
  });

  const onlyDeclaredProperties =
    "write methods and policy configurations with only properties Microsoft's v1.0 schema declares";
  it.skipIf(!hasSharedReference)(needsShared(onlyDeclaredProperties), () => {
    const schemaPath = sharedReferencePath("graph-schemas.json");
    const parsed = JSON.parse(readFileSync(schemaPath, "utf8"));
    const schemas = (parsed.components?.schemas ?? parsed) as Record<string, unknown>;
    const propertiesOf = (name: string): Set<string> => {
      const found = new Set<string>();
      const visit = (schema: unknown) => {
        if (!schema || typeof schema !== "object") return;
        const node = schema as { $ref?: string; allOf?: unknown[]; properties?: Record<string, unknown> };
        if (node.$ref) visit(schemas[node.$ref.replace("#/components/schemas/", "")]);
        for (const part of node.allOf ?? []) visit(part);
        for (const key of Object.keys(node.properties ?? {})) found.add(key);
      };
      visit(schemas[name]);
      return found;
    };
    // The reference file is a subset of Graph's schema; types it leaves out (e.g. the SMS configuration) are skipped.
    expect(Object.keys(schemas)).toEqual(
      expect.arrayContaining([
        "microsoft.graph.fido2AuthenticationMethod",
        "microsoft.graph.fido2AuthenticationMethodConfiguration",
      ]),
    );
    const checkObject = (value: Record<string, unknown>, typeName: string) => {
      if (!schemas[typeName]) return;
      const declared = propertiesOf(typeName);
      for (const key of Object.keys(value)) expect(declared, `${typeName}.${key}`).toContain(key);
    };
    for (const method of Object.values(practice.authenticationMethods).flat()) {
      checkObject(method, method["@odata.type"].slice(1));
    }
    for (const entry of practice.authenticationMethodsPolicy.authenticationMethodConfigurations) {
      checkObject(entry, entry["@odata.type"].slice(1));
    }
    for (const profile of profiles)
      checkObject(profile as unknown as Record<string, unknown>, "microsoft.graph.passkeyProfile");
    for (const target of includeTargets) {
      checkObject(target as unknown as Record<string, unknown>, "microsoft.graph.passkeyAuthenticationMethodTarget");
    }
  });
});

describe("each persona's defining condition holds in the data", () => {
  it("not-targeted is in no include target of the Passkey policy", () => {
    const groups = transitiveGroupsOf(userOf("not-targeted").id);
    expect(includeTargets.some((target) => target.id === "all_users" || groups.has(target.id))).toBe(false);
  });

  it("excluded is in the exclude group and also in an include group", () => {
    const groups = transitiveGroupsOf(userOf("excluded").id);
    expect(excludeTargets.some((target) => groups.has(target.id))).toBe(true);
    expect(includeTargets.some((target) => groups.has(target.id))).toBe(true);
  });

  it("no-mfa-method, tap-not-targeted and no-manager have only a password", () => {
    for (const key of ["no-mfa-method", "tap-not-targeted", "no-manager"]) {
      expect(methodsOf(key).map((method) => method["@odata.type"])).toEqual([
        "#microsoft.graph.passwordAuthenticationMethod",
      ]);
    }
  });

  it("no-mfa-method and no-manager are targeted by the TAP policy; tap-not-targeted is not", () => {
    const tapGroups = (temporaryAccessPassPolicy.includeTargets as Target[]).map((target) => target.id);
    expect(tapGroups).not.toContain("all_users");
    const inTapScope = (key: string) => tapGroups.some((id) => transitiveGroupsOf(userOf(key).id).has(id));
    expect(inTapScope("no-mfa-method")).toBe(true);
    expect(inTapScope("no-manager")).toBe(true);
    expect(inTapScope("tap-not-targeted")).toBe(false);
  });

  it("stale-mfa has Authenticator and last did MFA days before capture", () => {
    expect(hasType(methodsOf("stale-mfa"), "microsoftAuthenticatorAuthenticationMethod")).toBe(true);
    expect(lastMfaMinutesAgo("stale-mfa")).toBeGreaterThan(24 * 60);
  });

  it("has-tap holds a usable one-time TAP issued recently and no other MFA method", () => {
    const tap = methodsOf("has-tap").find((method) =>
      method["@odata.type"].endsWith("temporaryAccessPassAuthenticationMethod"),
    );
    expect(tap).toMatchObject({ isUsableOnce: true, isUsable: true, temporaryAccessPass: null });
    const startedMinutesAgo = minutesBeforeCapture(tap?.startDateTime as string);
    expect(startedMinutesAgo).toBeLessThan(tap?.lifetimeInMinutes as number);
    expect(hasMfaMethod("has-tap")).toBe(false);
    expect(transitiveGroupsOf(userOf("has-tap").id).has(GROUP_IDS.tapEligible)).toBe(true);
  });

  it("every ready persona did MFA 2 minutes before capture", () => {
    for (const persona of practice.personas ?? []) {
      // has-tap and lost-phone pass on the TAP the help desk issued them, not on a recent MFA sign-in.
      if (persona.expected?.freshMfa !== "pass" || persona.key === "has-tap" || persona.key === "lost-phone") continue;
      expect(lastMfaMinutesAgo(persona.key), persona.key).toBeLessThanOrEqual(5);
    }
  });

  it("whfb-conflict has a WHfB method and an Entra-joined Windows 11 device, and a profile accepting Windows Hello", () => {
    expect(hasType(methodsOf("whfb-conflict"), "windowsHelloForBusinessAuthenticationMethod")).toBe(true);
    expect(devicesOf("whfb-conflict")).toContainEqual(
      expect.objectContaining({
        operatingSystem: "Windows",
        trustType: "AzureAd",
        operatingSystemVersion: expect.stringMatching(/^10\.0\.2\d{4}/),
      }),
    );
    expect(
      profilesInScope("whfb-conflict").some((profile) =>
        keyRestrictionsAllow(profile, WINDOWS_HELLO_AAGUIDS[0] as string),
      ),
    ).toBe(true);
  });

  it("windows-hello-blocked's only profile has attestation off and an allow list without the Windows Hello AAGUIDs", () => {
    const scoped = profilesInScope("windows-hello-blocked");
    expect(scoped).toHaveLength(1);
    expect(scoped[0]).toMatchObject({
      attestationEnforcement: "disabled",
      keyRestrictions: { isEnforced: true, enforcementType: "allow" },
    });
    for (const aaGuid of WINDOWS_HELLO_AAGUIDS) expect(scoped[0]?.keyRestrictions.aaGuids).not.toContain(aaGuid);
    expect(hasType(methodsOf("windows-hello-blocked"), "windowsHelloForBusinessAuthenticationMethod")).toBe(false);
  });

  it("attestation-mismatch's only profile enforces attestation but does not block Windows Hello by AAGUID", () => {
    const scoped = profilesInScope("attestation-mismatch");
    expect(scoped).toHaveLength(1);
    expect(scoped[0]?.attestationEnforcement).toBe("registrationOnly");
    expect(keyRestrictionsAllow(scoped[0] as Profile, WINDOWS_HELLO_AAGUIDS[0] as string)).toBe(true);
  });

  it("yubikey-allowed's profile allows the YubiKey 5 NFC AAGUID with attestation off", () => {
    const scoped = profilesInScope("yubikey-allowed");
    expect(
      scoped.some(
        (profile) =>
          profile.keyRestrictions.enforcementType === "allow" &&
          keyRestrictionsAllow(profile, "fa2b99dc-9e39-4257-8f92-4a30d23c4118"),
      ),
    ).toBe(true);
  });

  it("blocked-key's security key AAGUID is on the block list of every profile in scope", () => {
    const aaGuid = practice.personas?.find((persona) => persona.key === "blocked-key")?.scenario?.aaGuid as string;
    const scoped = profilesInScope("blocked-key");
    expect(scoped.length).toBeGreaterThan(0);
    for (const profile of scoped) {
      expect(profile.keyRestrictions).toMatchObject({ enforcementType: "block", isEnforced: true });
      expect(profile.keyRestrictions.aaGuids).toContain(aaGuid);
    }
  });

  it("ios-user and android-user have Authenticator and a phone with iOS 18 / Android 15", () => {
    expect(devicesOf("ios-user")).toContainEqual(
      expect.objectContaining({ operatingSystem: "iOS", operatingSystemVersion: "18.1" }),
    );
    expect(devicesOf("android-user")).toContainEqual(
      expect.objectContaining({ operatingSystem: "Android", operatingSystemVersion: "15.0" }),
    );
    expect(hasType(methodsOf("ios-user"), "microsoftAuthenticatorAuthenticationMethod")).toBe(true);
    expect(hasType(methodsOf("android-user"), "microsoftAuthenticatorAuthenticationMethod")).toBe(true);
  });

  it("all-good already has an attested passkey that a profile in scope accepts", () => {
    const passkey = methodsOf("all-good").find((method) => method["@odata.type"].endsWith("fido2AuthenticationMethod"));
    expect(passkey?.attestationLevel).toBe("attested");
    expect(
      profilesInScope("all-good").some((profile) => keyRestrictionsAllow(profile, passkey?.aaGuid as string)),
    ).toBe(true);
  });

  it("privileged-admin holds an active privileged role; another user is only PIM-eligible for Global Administrator", () => {
    const roleNames = new Map((practice.roleDefinitions ?? []).map((role) => [role.id, role.displayName]));
    const active = (practice.roleAssignments ?? []).filter(
      (grant) => grant.principalId === userOf("privileged-admin").id,
    );
    expect(active.map((grant) => roleNames.get(grant.roleDefinitionId))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^(Global Administrator|Privileged Role Administrator)$/)]),
    );
    const eligible = practice.roleEligibilityScheduleInstances ?? [];
    expect(eligible.map((grant) => roleNames.get(grant.roleDefinitionId))).toContain("Global Administrator");
    for (const grant of eligible) {
      expect((practice.roleAssignments ?? []).some((assignment) => assignment.principalId === grant.principalId)).toBe(
        false,
      );
    }
  });

  it("external-guest is an invited guest with an #EXT# UPN", () => {
    expect(userOf("external-guest")).toMatchObject({ userType: "Guest", creationType: "Invitation", managerId: null });
    expect(userOf("external-guest").userPrincipalName).toContain("#EXT#");
  });

  it("agents, admins and approvers sit in the fixed bot groups", () => {
    const members = (groupId: string) => practice.groups.find((group) => group.id === groupId)?.memberIds ?? [];
    expect(members(GROUP_IDS.helpdeskAgents)).toEqual(
      expect.arrayContaining([userOf("agent-1").id, userOf("agent-2").id]),
    );
    expect(members(GROUP_IDS.helpdeskAdmins)).toContain(userOf("admin").id);
    expect(members(GROUP_IDS.tapApprovers)).toContain(userOf("manager-top").id);
    expect(userOf("manager-top").managerId ?? null).toBeNull();
    const managed = practice.users.filter((user) => user.managerId === userOf("manager").id);
    expect(managed.length).toBeGreaterThanOrEqual(3);
  });

  it("the audit log shows failed attempts, a passkey add with its AAGUID, a policy update 3 days ago and one admin's burst", () => {
    const audits = practice.directoryAudits ?? [];
    const forUser = (key: string) =>
      audits.filter((entry) =>
        (entry.targetResources as Array<{ id: string }>).some((target) => target.id === userOf(key).id),
      );
    const failed = forUser("windows-hello-blocked").map((entry) => entry.activityDisplayName);
    expect(failed).toContain("User started security info registration");
    expect(failed).not.toContain("User registered security info");
    const added = forUser("all-good").find((entry) => entry.activityDisplayName === "Add Passkey (device-bound)");
    expect(added?.additionalDetails).toContainEqual({ key: "AAGuid", value: "ee882879-721c-4913-9775-3dfcce97072a" });
    const policyUpdates = audits.filter(
      (entry) => entry.activityDisplayName === "Authentication Methods Policy Update",
    );
    expect(policyUpdates).toHaveLength(1);
    expect(minutesBeforeCapture(policyUpdates[0]?.activityDateTime as string) / (24 * 60)).toBeCloseTo(3, 0);
    const burst = audits.filter(
      (entry) =>
        entry.activityDisplayName === "Admin registered security info" &&
        (entry.initiatedBy as { user?: unknown }).user,
    );
    const initiators = new Set(burst.map((entry) => (entry.initiatedBy as { user: { id: string } }).user.id));
    expect(burst.length).toBeGreaterThanOrEqual(5);
    expect(initiators.size).toBe(1);
  });
});

describe("the self-service-off variant", () => {
  it("differs from the practice tenant only in the self-service switch and the expected policy-scope answers", () => {
    const variantFido2 = configuration(selfServiceOff, "Fido2");
    expect(variantFido2.isSelfServiceRegistrationAllowed).toBe(false);
    const normalized = structuredClone(selfServiceOff);
    configuration(normalized, "Fido2").isSelfServiceRegistrationAllowed = true;
    normalized.personas = practice.personas;
    expect(normalized).toEqual(practice);
    for (const persona of selfServiceOff.personas ?? []) {
      expect(persona.expected).toMatchObject({ policyScope: "fail", firstBlocking: "policyScope" });
    }
  });
});

describe("docs/personas.md", () => {
  it("states for every persona the same UPN and expected answers as the tenant file", () => {
    const doc = readFileSync(join(__dirname, "..", "..", "docs", "personas.md"), "utf8");
    for (const persona of practice.personas ?? []) {
      const rows = doc.split("\n").map((line) => line.split("|").map((cell) => cell.trim()));
      const cells = rows.find((row) => row[1] === `\`${persona.key}\`` && row.length >= 10);
      expect(cells, persona.key).toBeDefined();
      if (!cells) continue;
      expect(cells[2]).toBe(`\`${persona.userPrincipalName}\``);
      const verdicts = cells.slice(5, 9).map((cell) => /^\*\*(pass|fail|warn|unknown)\*\*/.exec(cell)?.[1]);
      const expected = persona.expected;
      expect(verdicts, persona.key).toEqual([
        expected?.policyScope,
        expected?.freshMfa,
        expected?.platform,
        expected?.authenticator,
      ]);
    }
  });
});

describe("the README's persona table", () => {
  it("names every persona of the tenant file in the 'Who is who' table", () => {
    const readme = readFileSync(join(__dirname, "..", "..", "README.md"), "utf8");
    const section = /## Who is who[\s\S]*?\n## /.exec(readme)?.[0];
    expect(section, "README.md must have a 'Who is who' section").toBeDefined();
    const tableRows = (section ?? "").split("\n").filter((line) => line.startsWith("|"));
    for (const persona of practice.personas ?? []) {
      expect(
        tableRows.some((row) => row.includes(`\`${persona.key}\``)),
        persona.key,
      ).toBe(true);
    }
  });
});

describe("loading through the emulator's loader", () => {
  it("loads both files without error and rebases capture time to now", async () => {
    const { loadTenant } = await import("../../src/emulator/load-tenant.js");
    const now = Date.parse("2030-01-01T12:00:00Z");
    for (const path of [PRACTICE_TENANT_PATH, SELF_SERVICE_OFF_PATH]) {
      const loaded = loadTenant(path, now);
      expect(loaded.users.length).toBe(practice.users.length);
      const freshest = Math.max(...(loaded.signIns ?? []).map((signIn) => Date.parse(signIn.createdDateTime)));
      expect(now - freshest).toBe(2 * 60_000);
    }
  });

  it("loads the minimal complete example of docs/tenant-file.md", async () => {
    const { loadTenant } = await import("../../src/emulator/load-tenant.js");
    const doc = readFileSync(join(__dirname, "..", "..", "docs", "tenant-file.md"), "utf8");
    const example = /## A minimal complete example[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const loaded = loadTenant(JSON.parse(example as string) as TenantFile, Date.parse("2030-01-01T12:00:00Z"));
    expect(loaded.users).toHaveLength(1);
  });

  it("keeps the policy ids the bot configuration refers to", () => {
    expect(PROFILE_IDS.default).toBe("00000000-0000-0000-0000-000000000001");
    expect(includeTargets.map((target) => target.id)).toEqual([
      GROUP_IDS.pilotRing,
      GROUP_IDS.windowsHelloRing,
      GROUP_IDS.securityKeyRing,
    ]);
  });
});
