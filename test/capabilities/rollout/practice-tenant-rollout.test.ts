import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findInsights, type InventoryInsights } from "../../../src/capabilities/inventory/find-insights.js";
import { loadTargetMemberships } from "../../../src/capabilities/inventory/load-target-memberships.js";
import { runFullInventory } from "../../../src/capabilities/inventory/run-full-inventory.js";
import { predictWhatIf } from "../../../src/capabilities/rollout/predict-what-if.js";
import type { MemberPrediction, RingReadiness } from "../../../src/capabilities/rollout/ring-readiness.js";
import { runRingReadiness } from "../../../src/capabilities/rollout/run-ring-readiness.js";
import { diagnosePasskeyRegistration } from "../../../src/capabilities/triage/engine/diagnose-passkey-registration.js";
import type { Platform } from "../../../src/capabilities/triage/engine/diagnosis.js";
import { groupIdsOfInterest } from "../../../src/capabilities/triage/run-triage.js";
import { type InventoryServices, ringReadinessDependencies } from "../../../src/cli/create-inventory-services.js";
import { createManualClock } from "../../../src/emulator/emulator-clock.js";
import { type RunningEmulator, startEmulator } from "../../../src/emulator/start-emulator.js";
import { type RunningAzurite, startAzurite } from "../../support/azurite.js";
import { emulatorInventoryServices } from "../../support/emulator-inventory-services.js";
import { readPracticeTenant } from "../../support/practice-tenant.js";

const START = Date.parse("2026-11-22T10:00:00Z");
const tenant = readPracticeTenant();
let azurite: RunningAzurite;
let emulator: RunningEmulator;
let services: InventoryServices;
const predictions = new Map<string, MemberPrediction>();
let rings: RingReadiness[];
let insights: InventoryInsights;
const upnOf = (key: string) => {
  const persona = tenant.personas?.find((p) => p.key === key);
  if (persona) return persona.userPrincipalName;
  const [given, surname] = key.split(".");
  const user = tenant.users.find((u) => u.givenName === cap(given) && u.surname === cap(surname));
  if (!user) throw new Error(`The practice tenant must hold ${key}`);
  return user.userPrincipalName;
};
const cap = (text = "") => text.charAt(0).toUpperCase() + text.slice(1);
const upns = (people: Array<{ userPrincipalName: string }>) => people.map((p) => p.userPrincipalName).sort();

beforeAll(async () => {
  [azurite, emulator] = await Promise.all([
    startAzurite(),
    // The clock stands still (persona times stay as written), so the throttle buckets would never refill: scale them up.
    startEmulator({ port: 0, tenant: structuredClone(tenant), clock: createManualClock(START), throttleScale: 1000 }),
  ]);
  services = await emulatorInventoryServices(emulator, azurite, {
    prefix: "Ready",
    schedulerOptions: { reportsPerWindow: 1000 },
  });
  const now = () => new Date(START);
  await runFullInventory(
    { reader: services.reader, store: services.store, checkpoints: services.checkpoints, now },
    "practice-full",
  );
  // Every group of the practice tenant as a ring, so every persona is a member of at least one.
  const result = await runRingReadiness(
    ringReadinessDependencies(services, now, {
      onPrediction: (prediction) => predictions.set(prediction.person.userPrincipalName, prediction),
    }),
    { ringIds: tenant.groups.map((group) => group.id), runId: "practice-rings" },
  );
  rings = result.rings;
  const policy = await services.gateway.getTenantPolicySnapshot();
  const memberships = await loadTargetMemberships(services.reader, policy);
  insights = await findInsights(
    {
      users: services.store.users("practice-full"),
      audits: services.store.audits("practice-full"),
      fido2: policy.fido2,
      memberOf: memberships.of,
      catalog: services.catalog,
    },
    { bulkThreshold: 8, bulkWindowMinutes: 10 },
  );
}, 120_000);
afterAll(async () => {
  await emulator?.close();
  await azurite?.stop();
});

const personas = (tenant.personas ?? []).filter((persona) => persona.role === "user");

describe("ring readiness on the practice tenant", () => {
  it("has a prediction for every end-user persona that is in a group", () => {
    expect(personas.length).toBeGreaterThan(10);
    const grouped = personas.filter((persona) => {
      const user = tenant.users.find((u) => u.userPrincipalName === persona.userPrincipalName);
      return tenant.groups.some((group) => group.memberIds.includes(user?.id ?? ""));
    });
    for (const persona of grouped) expect(predictions.has(persona.userPrincipalName), persona.key).toBe(true);
  });

  it.each(personas.map((persona) => [persona.key, persona.userPrincipalName] as const))(
    "%s: the first blocking question is the one the triage gives for the same attempt, read live from Graph",
    async (_key, upn) => {
      const prediction = predictions.get(upn);
      if (!prediction) return; // in no group: no ring can hold them (asserted above for the others)
      const policy = await services.gateway.getTenantPolicySnapshot();
      const snapshot = await services.gateway.getUserAuthSnapshot(prediction.person.id, {
        groupIds: groupIdsOfInterest(policy),
        signInsSince: new Date(START - 86_400_000).toISOString(),
      });
      const diagnosis = diagnosePasskeyRegistration({
        policy,
        snapshot,
        platform: prediction.platform as Platform,
        ...(prediction.aaGuid ? { aaGuid: prediction.aaGuid } : {}),
        now: new Date(START),
        catalog: services.catalog,
        answers: {},
      });
      expect(prediction.firstBlocking).toBe(diagnosis.firstBlocking);
    },
  );

  it("gives a funnel that narrows and a blocker group per failing question with its admin fix", () => {
    for (const ring of rings) {
      const f = ring.funnel;
      expect(f.members).toBeGreaterThanOrEqual(f.inPolicy);
      expect(f.inPolicy).toBeGreaterThanOrEqual(f.canProveIdentity);
      expect(f.canProveIdentity).toBeGreaterThanOrEqual(f.platformReady);
      expect(f.platformReady).toBeGreaterThanOrEqual(f.authenticatorAccepted);
      const blocked = [...predictions.values()].filter(
        (p) => p.ringIds.includes(ring.ringId) && p.firstBlocking,
      ).length;
      expect(ring.blockers.reduce((sum, group) => sum + group.count, 0)).toBeLessThanOrEqual(f.members);
      if (blocked > 0) expect(ring.blockers.length).toBeGreaterThan(0);
    }
  });
});

describe("inventory insights on the practice tenant find the person built for each", () => {
  it("covers the disabled account the registration report leaves out", () => {
    expect(insights.totals.users).toBe(tenant.users.length);
    expect(insights.totals.disabled).toBe(1);
  });

  it("no phishing-resistant method: password, phone and Authenticator-push people, not key, passkey or WHfB holders", () => {
    const found = upns(insights.noPhishingResistant.people);
    for (const key of ["no-mfa-method", "stale-mfa", "has-tap", "nina.hofer", "android-work-profile"]) {
      expect(found).toContain(upnOf(key));
    }
    for (const key of ["all-good", "samir.haddad", "dana.kovac", "pavel.dvorak", "external-guest", "upn-changed"]) {
      expect(found).not.toContain(upnOf(key));
    }
  });

  it("names each AAGUID seen with the profiles that accept and refuse it at sign-in", () => {
    const byAaguid = new Map(insights.aaguids.map((entry) => [entry.aaGuid, entry]));
    // The report says "synced" without the provider, and only unnamed device-bound passkeys cost a fido2Methods read:
    // the Default profile's allow list cannot be judged for it, the two device-bound-only profiles refuse it.
    const synced = insights.aaguids.find((entry) => entry.aaGuid === null && /Synced/.test(entry.name));
    expect(synced?.name).toMatch(/Synced passkey/);
    expect(synced?.acceptedBy).toEqual([]);
    expect(synced?.refusedBy.sort()).toEqual(["Security keys (attested)", "Windows Hello"]);
    // The report names a Windows Hello passkey without saying which of the three Windows Hello AAGUIDs it is.
    const hello = insights.aaguids.find((entry) => entry.name === "Windows Hello");
    expect(hello?.count).toBe(1);
    // Windows Hello AAGUIDs must be explicitly allowed (passkey-domain.md, Windows): a block list that happens not to
    // name them (the attested-keys profile) does not accept them, whatever the stage.
    expect(hello?.acceptedBy).toEqual(["Windows Hello"]);
    expect(hello?.refusedBy.sort()).toEqual(["Default passkey profile", "Security keys (attested)"]);
    expect(byAaguid.get("ee882879-721c-4913-9775-3dfcce97072a")?.acceptedBy.sort()).toEqual([
      "Default passkey profile",
      "Security keys (attested)",
    ]);
  });

  it("passkeys no profile in the owner's scope accepts: Samir's Windows Hello in the pilot ring, Olga's synced one", () => {
    expect(upns(insights.unacceptedPasskeys.people)).toEqual([upnOf("olga.petrova"), upnOf("samir.haddad")].sort());
  });

  it("synced passkeys where the profiles expect device-bound: Olga only", () => {
    expect(upns(insights.syncedWhereDeviceBound.people)).toEqual([upnOf("olga.petrova")]);
  });

  it("bulk registrations: Dana Kovac, eight different people within eight minutes", () => {
    expect(insights.bulkRegistrations).toHaveLength(1);
    expect(insights.bulkRegistrations[0]?.initiatorUpn).toBe(upnOf("dana.kovac"));
    expect(insights.bulkRegistrations[0]?.distinctTargets).toBe(8);
  });

  it("registrations started and never completed: the four failing personas", () => {
    expect(upns(insights.incompleteRegistrations.people)).toEqual(
      ["whfb-conflict", "windows-hello-blocked", "attestation-mismatch", "blocked-key"].map(upnOf).sort(),
    );
  });

  it("TAPs outstanding: only the usable ones (the new hires' TAPs expired two days ago)", () => {
    // has-tap holds a TAP waiting for its first passkey; lost-phone was issued one to replace a lost phone.
    expect(upns(insights.outstandingTaps.people)).toEqual([upnOf("has-tap"), upnOf("lost-phone")].sort());
  });
});

describe("what-if names exactly who breaks, without a Graph request", () => {
  it("Default profile allows only Authenticator: the YubiKeys in the pilot ring break at sign-in and at registration", async () => {
    const before = emulator.requestLog.length;
    const result = await predictWhatIf(
      { rollout: services.rollout, catalog: services.catalog, now: () => new Date(START) },
      {
        kind: "allowList",
        profile: "Default passkey profile",
        aaGuids: ["90a3ccdf-635c-4729-a248-9b709135078f", "de1e552d-db1d-4423-a619-566b625cdc84"],
      },
    );
    expect(emulator.requestLog.length).toBe(before);
    // The admin and upn-changed hold YubiKey 5 NFC passkeys in the pilot ring, whose only profile is the Default one.
    expect(upns(result.signInBreaks)).toEqual([upnOf("admin"), upnOf("upn-changed")].sort());
    expect(
      result.registrationBreaks
        .map((b) => [b.userPrincipalName, b.question])
        .sort((a, b) => a.join().localeCompare(b.join())),
    ).toEqual([
      [upnOf("admin"), "authenticator"],
      [upnOf("upn-changed"), "authenticator"],
    ]);
  });

  it("enforcing attestation on the Default profile breaks no existing passkey (registration only)", async () => {
    const result = await predictWhatIf(
      { rollout: services.rollout, catalog: services.catalog, now: () => new Date(START) },
      { kind: "enforceAttestation", profile: "Default passkey profile" },
    );
    expect(result.signInBreaks).toEqual([]);
  });

  it("a profile or ring the policy does not have is refused with the rule's sentence, not a failure", async () => {
    const deps = { rollout: services.rollout, catalog: services.catalog, now: () => new Date(START) };
    const noProfile = predictWhatIf(deps, { kind: "enforceAttestation", profile: "No such profile" });
    await expect(noProfile).rejects.toMatchObject({
      isRefusal: true,
      rule: "whatIfTargetExists",
      messageKey: "inventory.whatifUnknownProfile",
      messageParams: { name: "No such profile" },
    });
    const notARing = "0a11e3b0-0000-4000-8000-0000000000ff";
    const noRing = predictWhatIf(deps, { kind: "moveRing", ringId: notARing, profile: "Windows Hello" });
    await expect(noRing).rejects.toMatchObject({
      messageKey: "inventory.whatifUnknownRing",
      messageParams: { name: notARing },
    });
  });

  it("moving the Security keys ring to the Windows Hello profile breaks every security key and synced passkey there", async () => {
    const result = await predictWhatIf(
      { rollout: services.rollout, catalog: services.catalog, now: () => new Date(START) },
      { kind: "moveRing", ringId: "0a11e3b0-0000-4000-8000-000000000012", profile: "Windows Hello" },
    );
    expect(upns(result.signInBreaks)).toEqual([upnOf("all-good")]);
  });
});
