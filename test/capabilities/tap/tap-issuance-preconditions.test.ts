import { afterAll, describe, expect, it } from "vitest";
import { approveTapRequest, confirmTapRequest } from "../../../src/capabilities/tap/decide-tap-request.js";
import { reconcileTapRequests } from "../../../src/capabilities/tap/reconcile-tap-requests.js";
import { requestTap } from "../../../src/capabilities/tap/request-tap.js";
import { revealTap } from "../../../src/capabilities/tap/reveal-tap.js";
import type { TapDependencies } from "../../../src/capabilities/tap/tap-dependencies.js";
import type { TapCard } from "../../../src/capabilities/tap/tap-ports.js";
import { type RunningEmulator, startEmulator } from "../../../src/emulator/start-emulator.js";
import type { TenantFile } from "../../../src/emulator/tenant-file.js";
import type { GraphGateway } from "../../../src/graph/graph-gateway.js";
import { AuditLedger } from "../../../src/storage/audit-ledger.js";
import { PRACTICE_TENANT_PATH } from "../../support/bot-http.js";
import { usePracticeServices } from "../../support/practice-services.js";
import { readPracticeTenant, tapConfigurationOf } from "../../support/practice-tenant.js";
import {
  actorFor,
  PRACTICE_GROUPS,
  personaId,
  practiceGateway,
  practiceTapDependencies,
  tapForm,
  tapPostsIn,
} from "./practice-tap-deps.js";

/**
 * The directory changing during the approval window, played by a second emulator holding the tenant as it is at
 * approval time: the request was made against the practice tenant, the approval (and so the issuance) runs against
 * the changed one. Whatever changed, the rules are checked again before issuance and no TAP is POSTed.
 */
// biome-ignore lint/suspicious/noExplicitAny: tenant JSON edited freely, shape checked by the emulator on load
type Raw = Record<string, any>;
const practiceTenant = () => readPracticeTenant() as Raw;
const AUTHENTICATION_ADMINISTRATOR = "c4e39bd9-1100-46d3-8c65-fb160da0071f";
const TAP_ELIGIBLE_GROUP = "0a11e3b0-0000-4000-8000-000000000014";

const userOf = (tenant: Raw, id: string) => (tenant.users as Raw[]).find((user) => user.id === id) as Raw;
const tapConfiguration = (tenant: Raw) => tapConfigurationOf(tenant as TenantFile) as Raw;

const changes: Array<[string, string, string, boolean, (tenant: Raw, targetId: string) => void]> = [
  [
    "was given an active directory role",
    "stale-mfa",
    "privilegedTarget",
    false,
    (tenant, targetId) =>
      tenant.roleAssignments.push({
        ...tenant.roleAssignments[1],
        id: "cHJpdmlsZWdlZC1kdXJpbmctYXBwcm92YWw",
        principalId: targetId,
        roleDefinitionId: AUTHENTICATION_ADMINISTRATOR,
      }),
  ],
  [
    "was made eligible for a directory role",
    "whfb-conflict",
    "privilegedTarget",
    false,
    (tenant, targetId) =>
      tenant.roleEligibilityScheduleInstances.push({
        ...tenant.roleEligibilityScheduleInstances[0],
        id: "ZWxpZ2libGUtZHVyaW5nLWFwcHJvdmFs",
        principalId: targetId,
        roleDefinitionId: AUTHENTICATION_ADMINISTRATOR,
      }),
  ],
  [
    "was disabled",
    "windows-hello-blocked",
    "targetDisabled",
    false,
    (tenant, targetId) => {
      userOf(tenant, targetId).accountEnabled = false;
    },
  ],
  [
    "became a guest",
    "yubikey-allowed",
    "externalGuest",
    false,
    (tenant, targetId) => {
      userOf(tenant, targetId).userType = "Guest";
    },
  ],
  [
    "was excluded from the TAP policy",
    "attestation-mismatch",
    "targetNotInTapPolicy",
    true,
    (tenant) => {
      tapConfiguration(tenant).excludeTargets = [{ id: TAP_ELIGIBLE_GROUP, targetType: "group" }];
    },
  ],
  [
    "lost the TAP method (switched off)",
    "android-user",
    "tapMethodDisabled",
    true,
    (tenant) => {
      tapConfiguration(tenant).state = "disabled";
    },
  ],
  [
    "has a requester who left the Helpdesk Agents group",
    "ios-user",
    "requesterNotAgent",
    false,
    (tenant) => {
      const agents = (tenant.groups as Raw[]).find((group) => group.id === PRACTICE_GROUPS.agentsGroupId) as Raw;
      agents.memberIds = (agents.memberIds as string[]).filter((id) => id !== personaId("agent-1"));
    },
  ],
];

const practice = usePracticeServices();
const extra: RunningEmulator[] = [];
const sent: Array<{ to: string; card: TapCard }> = [];

const deps = (graph?: GraphGateway): TapDependencies =>
  practiceTapDependencies({
    emulator: practice.emulator,
    connectionString: practice.azurite.connectionString,
    graph,
    sent,
  });

async function ledgerOf(requestId: string) {
  return (await AuditLedger.fromConnectionString(practice.azurite.connectionString).readAll()).filter(
    (entry) => entry.requestId === requestId,
  );
}

afterAll(async () => {
  await Promise.all(extra.map((e) => e.close()));
});

describe("TAP preconditions checked again at issuance (real emulator over HTTP)", () => {
  it.each(changes)(
    "a target that %s after the request gets no TAP: failed with the named rule, audited, everyone told, zero POSTs",
    async (_change, targetKey, rule, retryable, change) => {
      const targetId = personaId(targetKey);
      const submitted = await requestTap(deps(), actorFor("agent-1"), tapForm(targetKey));
      const requestId = String(submitted.data.requestId);
      await confirmTapRequest(deps(), actorFor(targetKey), requestId);

      const tenant = practiceTenant();
      change(tenant, targetId);
      const changed = await startEmulator({ port: 0, tenant: tenant as TenantFile, throttleScale: 100 });
      extra.push(changed);
      await approveTapRequest(deps(), actorFor("manager"), requestId);
      sent.length = 0;

      // The directory changed between the approval and the agent's "Issue and show" press.
      const card = await revealTap(deps(practiceGateway(changed)), actorFor("agent-1"), requestId, "personal");

      const key = `tap.failure${rule.charAt(0).toUpperCase()}${rule.slice(1)}`;
      expect(card.data.message).toEqual({ key: key });
      expect(tapPostsIn(changed.requestLog)).toEqual([]);
      expect(tapPostsIn(practice.emulator.requestLog, targetId)).toEqual([]);
      expect(await deps().graph.listTemporaryAccessPasses(targetId)).toEqual([]);

      const stored = (await deps().store.get(requestId))?.value;
      expect(stored).toMatchObject({ status: "failed", failure: { key: rule, retryable }, methodId: null });
      const actions = (await ledgerOf(requestId)).map((entry) => entry.action);
      expect(actions).not.toContain("tap.issuing");
      const failed = (await ledgerOf(requestId)).find((entry) => entry.action === "tap.failed");
      expect(failed?.details).toMatchObject({ failure: rule, retryable, stage: "preconditions" });

      // Requester, target and approver each learn the request failed, and why.
      const told = sent.filter((s) => s.card.data.requestId === requestId && s.card.name === "tap-status");
      expect(told.map((s) => s.to).sort()).toEqual([personaId("agent-1"), targetId, personaId("manager")].sort());
      for (const s of told) expect(s.card.data.message).toEqual({ key: key });
      const toAgent = told.find((s) => s.to === personaId("agent-1"));
      expect(toAgent?.card.data.offerRetry).toBe(retryable);
      expect((await AuditLedger.fromConnectionString(practice.azurite.connectionString).verify()).isIntact).toBe(true);
    },
  );

  it("keeps the request approved (no POST) when Graph cannot answer the re-check at the press, and issues on the next press", async () => {
    const targetKey = "blocked-key";
    const targetId = personaId(targetKey);
    const submitted = await requestTap(deps(), actorFor("agent-1"), tapForm(targetKey));
    const requestId = String(submitted.data.requestId);
    await confirmTapRequest(deps(), actorFor(targetKey), requestId);
    const down = await startEmulator({ port: 0, tenant: PRACTICE_TENANT_PATH, faults: "503:1" });
    extra.push(down);
    const base = practiceGateway(practice.emulator);
    const graph = new Proxy(base, {
      get: (_target, property: keyof GraphGateway) => {
        const source = property === "getDirectoryRoleGrants" ? practiceGateway(down) : base;
        const value = source[property];
        return typeof value === "function" ? value.bind(source) : value;
      },
    });

    await approveTapRequest(deps(), actorFor("manager"), requestId);
    const card = await revealTap(deps(graph), actorFor("agent-1"), requestId, "personal");
    expect(card.data).toMatchObject({ message: { key: "tap.statusReofferedMessage" }, offerIssue: true });
    expect((await deps().store.get(requestId))?.value.status).toBe("approved");
    expect(tapPostsIn(practice.emulator.requestLog, targetId)).toEqual([]);
    expect((await ledgerOf(requestId)).map((entry) => entry.action).at(-1)).toBe("tap.issueDeferred");

    // The reconciler never issues on its own; the agent's next press does.
    const later = () => new Date(Date.now() + 3 * 60_000);
    await reconcileTapRequests(
      practiceTapDependencies({
        emulator: practice.emulator,
        connectionString: practice.azurite.connectionString,
        sent,
        clock: later,
      }),
    );
    expect(tapPostsIn(practice.emulator.requestLog, targetId)).toEqual([]);
    expect((await revealTap(deps(), actorFor("agent-1"), requestId, "personal")).name).toBe("tap-revealed");
    expect(tapPostsIn(practice.emulator.requestLog, targetId)).toHaveLength(1);
  });
});
