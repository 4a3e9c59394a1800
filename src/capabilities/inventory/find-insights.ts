import type { DirectoryAuditRecord, Fido2Policy, GraphRead, PasskeyProfile } from "../../graph/model.js";
import { PHISHING_RESISTANT_METHODS_REGISTERED } from "../../graph/model.js";
import type { AuthenticatorCatalog } from "../authenticators/create-authenticator-catalog.js";
import { resolvePasskeyScope } from "../triage/engine/resolve-passkey-scope.js";
import type { InventoryPasskey, InventoryUser } from "./inventory-user.js";
import { judgePasskey, judgeProfile } from "./judge-passkey.js";
import { auditTargetUserIds } from "./relevant-audit.js";

export interface PersonRef {
  id: string;
  userPrincipalName: string;
  displayName: string;
}

/** A count, and the first people it covers (a 300,000-person tenant's list would not fit a card or memory). */
export interface PeopleInsight<T = PersonRef> {
  count: number;
  people: T[];
}

export interface AaguidSeen {
  /** null: a synced passkey of a provider the report does not name. */
  aaGuid: string | null;
  name: string;
  count: number;
  acceptedBy: string[];
  refusedBy: string[];
}

export interface BulkRegistration {
  initiatorId: string;
  initiatorUpn: string;
  distinctTargets: number;
  fromDateTime: string;
  toDateTime: string;
}

export interface InventoryInsights {
  totals: { users: number; enabled: number; disabled: number; withPasskey: number; passkeys: number };
  noPhishingResistant: PeopleInsight;
  aaguids: AaguidSeen[];
  unacceptedPasskeys: PeopleInsight<PersonRef & { passkey: string; refusedBy: string[] }>;
  bulkRegistrations: BulkRegistration[];
  incompleteRegistrations: PeopleInsight<PersonRef & { startedDateTime: string }>;
  outstandingTaps: PeopleInsight;
  syncedWhereDeviceBound: PeopleInsight<PersonRef & { passkey: string }>;
  /** Passkeys added per day (audit log), for the "registrations over time" chart. */
  registrationsByDay: Array<{ day: string; count: number }>;
}

export interface InsightOptions {
  /** Bulk registration: at least this many different people… */
  bulkThreshold?: number;
  /** …registered by one initiator within this many minutes. */
  bulkWindowMinutes?: number;
  /** People kept per insight list; counts stay exact. */
  sampleLimit?: number;
}

export interface InsightInputs {
  users: AsyncIterable<InventoryUser>;
  audits: AsyncIterable<DirectoryAuditRecord>;
  fido2: GraphRead<Fido2Policy>;
  memberOf: (userId: string) => string[];
  catalog: Pick<AuthenticatorCatalog, "lookup">;
}

const COMPLETED =
  /^(Add Passkey|Add FIDO2 security key|User registered (all required )?security info|Admin registered security info)/i;
const STARTED = /^(User started security info registration|Get passkey creation options)$/i;
const BULK = /^(Admin registered security info|Add Passkey|Add FIDO2 security key)/i;
const PASSKEY_ADDED = /^(Add Passkey|Add FIDO2 security key)/i;

export function passkeyLabel(passkey: InventoryPasskey, catalog: Pick<AuthenticatorCatalog, "lookup">): string {
  if (passkey.aaGuid) return catalog.lookup(passkey.aaGuid)?.name ?? passkey.model ?? passkey.aaGuid;
  if (passkey.family === "authenticator") return "Microsoft Authenticator";
  if (passkey.family === "windowsHello") return "Windows Hello";
  return "Synced passkey (provider not named by the report)";
}

function personOf(user: InventoryUser): PersonRef {
  return { id: user.id, userPrincipalName: user.userPrincipalName, displayName: user.displayName };
}

function allProfiles(fido2: GraphRead<Fido2Policy>): PasskeyProfile[] {
  if (!fido2.ok) return [];
  const scope = resolvePasskeyScope(fido2, { ok: true, value: [] }, "00000000-0000-0000-0000-000000000000");
  return scope.kind === "unreadable" ? [] : scope.allProfiles;
}

/**
 * The administrators' "patterns to watch", in one pass over a snapshot's users and audit events (both streamed):
 * counts are exact, each list keeps its first `sampleLimit` people.
 */
export async function findInsights(inputs: InsightInputs, options: InsightOptions = {}): Promise<InventoryInsights> {
  const limit = options.sampleLimit ?? 500;
  const push = <T>(insight: PeopleInsight<T>, item: T) => {
    insight.count++;
    if (insight.people.length < limit) insight.people.push(item);
  };
  const insights: InventoryInsights = {
    totals: { users: 0, enabled: 0, disabled: 0, withPasskey: 0, passkeys: 0 },
    noPhishingResistant: { count: 0, people: [] },
    aaguids: [],
    unacceptedPasskeys: { count: 0, people: [] },
    bulkRegistrations: [],
    incompleteRegistrations: { count: 0, people: [] },
    outstandingTaps: { count: 0, people: [] },
    syncedWhereDeviceBound: { count: 0, people: [] },
    registrationsByDay: [],
  };
  const profiles = allProfiles(inputs.fido2);
  const seen = new Map<string, AaguidSeen>();
  const names = new Map<string, PersonRef>();

  for await (const user of inputs.users) {
    const person = personOf(user);
    const totals = insights.totals;
    totals.users++;
    if (user.accountEnabled) totals.enabled++;
    else totals.disabled++;
    if (user.passkeys.length > 0) totals.withPasskey++;
    totals.passkeys += user.passkeys.length;
    const isMember = user.userType.toLowerCase() !== "guest";
    if (
      user.accountEnabled &&
      isMember &&
      !user.methodsRegistered.some((m) => PHISHING_RESISTANT_METHODS_REGISTERED.includes(m))
    ) {
      push(insights.noPhishingResistant, person);
    }
    // Outstanding: still usable now (Graph's isUsable); when the TAPs could not be read, the report's word is kept.
    const hasUsableTap = user.temporaryAccessPasses
      ? user.temporaryAccessPasses.some((tap) => tap.isUsable === true)
      : user.methodsRegistered.includes("temporaryAccessPass");
    if (user.accountEnabled && hasUsableTap) push(insights.outstandingTaps, person);
    const memberOf = inputs.memberOf(user.id);
    for (const passkey of user.passkeys) {
      const label = passkeyLabel(passkey, inputs.catalog);
      const key = passkey.aaGuid ?? `family:${passkey.family ?? "unknown"}`;
      let entry = seen.get(key);
      if (!entry) {
        entry = { aaGuid: passkey.aaGuid, name: label, count: 0, acceptedBy: [], refusedBy: [] };
        for (const profile of profiles) {
          const verdict = judgeProfile(profile, passkey, inputs.catalog);
          if (verdict === "accepted") entry.acceptedBy.push(profile.name);
          if (verdict === "refused") entry.refusedBy.push(profile.name);
        }
        seen.set(key, entry);
      }
      entry.count++;
      if (!user.accountEnabled) continue;
      const judgement = judgePasskey(passkey, user.id, inputs.fido2, memberOf, inputs.catalog);
      if (judgement.verdict === "refused") {
        push(insights.unacceptedPasskeys, { ...person, passkey: label, refusedBy: judgement.refusedBy });
      }
      if (passkey.passkeyType === "synced" && !judgement.isOutOfScope) {
        const scope = resolvePasskeyScope(inputs.fido2, { ok: true, value: memberOf }, user.id);
        const expectsDeviceBound =
          scope.kind === "included" &&
          scope.profiles.length > 0 &&
          scope.profiles.every((p) => !p.passkeyTypes.toLowerCase().includes("synced"));
        if (expectsDeviceBound) push(insights.syncedWhereDeviceBound, { ...person, passkey: label });
      }
    }
    names.set(user.id.toLowerCase(), person);
  }
  insights.aaguids = [...seen.values()].sort((a, b) => b.count - a.count);

  const threshold = options.bulkThreshold ?? 10;
  const windowMs = (options.bulkWindowMinutes ?? 30) * 60_000;
  const byInitiator = new Map<string, { upn: string; events: Array<{ at: number; target: string }> }>();
  const started = new Map<string, string>();
  const perDay = new Map<string, number>();
  for await (const audit of inputs.audits) {
    const at = Date.parse(audit.activityDateTime);
    const targets = auditTargetUserIds(audit);
    const initiator = audit.initiatedBy?.user?.id?.toLowerCase() ?? null;
    if (PASSKEY_ADDED.test(audit.activityDisplayName) && audit.result !== "failure") {
      const day = audit.activityDateTime.slice(0, 10);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    if (BULK.test(audit.activityDisplayName) && initiator) {
      for (const target of targets) {
        if (target === initiator) continue;
        let entry = byInitiator.get(initiator);
        if (!entry) {
          entry = { upn: audit.initiatedBy?.user?.userPrincipalName ?? initiator, events: [] };
          byInitiator.set(initiator, entry);
        }
        entry.events.push({ at, target });
      }
    }
    for (const target of targets) {
      if (STARTED.test(audit.activityDisplayName)) {
        if (!started.has(target)) started.set(target, audit.activityDateTime);
      } else if (COMPLETED.test(audit.activityDisplayName) && audit.result !== "failure") {
        started.delete(target);
      }
    }
  }
  for (const [initiatorId, entry] of byInitiator) {
    const events = entry.events.sort((a, b) => a.at - b.at);
    let best: BulkRegistration | null = null;
    let from = 0;
    for (let to = 0; to < events.length; to++) {
      while ((events[to] as { at: number }).at - (events[from] as { at: number }).at > windowMs) from++;
      const distinct = new Set(events.slice(from, to + 1).map((event) => event.target)).size;
      if (distinct >= threshold && (!best || distinct > best.distinctTargets)) {
        best = {
          initiatorId,
          initiatorUpn: entry.upn,
          distinctTargets: distinct,
          fromDateTime: new Date((events[from] as { at: number }).at).toISOString(),
          toDateTime: new Date((events[to] as { at: number }).at).toISOString(),
        };
      }
    }
    if (best) insights.bulkRegistrations.push(best);
  }
  for (const [userId, startedDateTime] of started) {
    const person = names.get(userId) ?? { id: userId, userPrincipalName: userId, displayName: userId };
    push(insights.incompleteRegistrations, { ...person, startedDateTime });
  }
  insights.registrationsByDay = [...perDay.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, count]) => ({ day, count }));
  return insights;
}
