import { randomUUID } from "node:crypto";
import type { TapDependencies } from "../../../src/capabilities/tap/tap-dependencies.js";
import type { TapCard } from "../../../src/capabilities/tap/tap-ports.js";
import type { Actor } from "../../../src/capabilities/tap/tap-request.js";
import { createGraphGateway, type GraphGatewayOptions } from "../../../src/graph/create-graph-gateway.js";
import type { GraphGateway } from "../../../src/graph/graph-gateway.js";
import { createRoleResolver } from "../../../src/roles/role-resolver.js";
import { AuditLedger } from "../../../src/storage/audit-ledger.js";
import { TapRequestRepository } from "../../../src/storage/tap-request-repository.js";
import { PRACTICE_TENANT_ID, practicePersona } from "../../support/bot-http.js";
import {
  PRACTICE_BOT_APP,
  PRACTICE_LIMITED_APP,
  PRACTICE_GROUPS as SHARED_PRACTICE_GROUPS,
} from "../../support/practice-tenant.js";

/** The practice tenant's fixed groups and apps (test/support/practice-tenant.ts). */
export const PRACTICE_GROUPS = SHARED_PRACTICE_GROUPS;
export const BOT_APP = PRACTICE_BOT_APP;
export const LIMITED_APP = PRACTICE_LIMITED_APP;

export interface EmulatorAddress {
  baseUrl: string;
  tenantId: string;
}

export function practiceGateway(
  emulator: EmulatorAddress,
  extra: Partial<Pick<GraphGatewayOptions, "schedulerOptions" | "requestTimeoutMs">> & {
    app?: typeof BOT_APP;
  } = {},
): GraphGateway {
  return createGraphGateway({
    mode: "emulator",
    baseUrl: emulator.baseUrl,
    tenantId: emulator.tenantId,
    ...(extra.app ?? BOT_APP),
    schedulerOptions: { reportsPerWindow: 1000, ...extra.schedulerOptions },
    ...(extra.requestTimeoutMs ? { requestTimeoutMs: extra.requestTimeoutMs } : {}),
  } as GraphGatewayOptions);
}

/**
 * TAP dependencies of one bot instance over the practice tenant: the real gateway against `emulator`, the real
 * repositories on `connectionString`, and a messenger that records what it would have sent.
 */
export function practiceTapDependencies(options: {
  emulator: EmulatorAddress;
  connectionString: string;
  graph?: GraphGateway;
  sent?: Array<{ to: string; card: TapCard }>;
  clock?: () => Date;
}): TapDependencies {
  const graph = options.graph ?? practiceGateway(options.emulator);
  const clock = options.clock ?? (() => new Date());
  return {
    graph,
    store: TapRequestRepository.fromConnectionString(options.connectionString, "TapRequests"),
    audit: AuditLedger.fromConnectionString(options.connectionString, "AuditLedger", clock),
    roles: createRoleResolver({ directory: graph, groups: PRACTICE_GROUPS }),
    messenger: {
      async sendToUser(user, card) {
        options.sent?.push({ to: user.id, card });
      },
    },
    settings: {
      tenantId: PRACTICE_TENANT_ID,
      agentsGroupId: PRACTICE_GROUPS.agentsGroupId,
      adminsGroupId: PRACTICE_GROUPS.adminsGroupId,
      approversGroupId: PRACTICE_GROUPS.tapApproversGroupId,
      requestExpiryMinutes: 30,
    },
    clock,
    newId: randomUUID,
  };
}

/** A practice persona as the actor of a card action or command. */
export function actorFor(key: string): Actor {
  return { id: practicePersona(key).aadObjectId, tenantId: PRACTICE_TENANT_ID, name: key };
}

export function personaId(key: string): string {
  return practicePersona(key).aadObjectId;
}

/** The TAP form as an agent submits it. */
export function tapForm(targetKey: string, extra: Record<string, unknown> = {}) {
  return {
    targetUserId: personaId(targetKey),
    reason: "Lost phone, no MFA method left",
    identityVerification: "videoCallPhotoId",
    lifetimeInMinutes: "60",
    isUsableOnce: "true",
    ...extra,
  };
}

/** Successful TAP creations the emulator answered, optionally for one user. */
export function tapPostsIn(requestLog: Array<{ method: string; path: string; status: number }>, userId?: string) {
  return requestLog.filter(
    (entry) =>
      entry.method === "POST" &&
      entry.path.endsWith("/temporaryAccessPassMethods") &&
      entry.status === 201 &&
      (!userId || entry.path.includes(userId)),
  );
}
