import { readFileSync } from "node:fs";
import type { TenantFile } from "../../src/emulator/tenant-file.js";
import { createGraphGateway, type GraphGatewayOptions } from "../../src/graph/create-graph-gateway.js";
import type { GraphGateway } from "../../src/graph/graph-gateway.js";
import { PRACTICE_TENANT_FILE } from "./repo-path.js";

/**
 * The practice tenant as tests use it: its fixed ids and app registrations, a fresh copy of the committed file to
 * change, and a gateway over an emulator holding it. One place, so a test file does not keep its own copy of the
 * secrets, the group ids or the "read the JSON, edit it, start an emulator" steps.
 */
export const PRACTICE_TENANT_ID = "7d3e5a2c-1b4f-4c8e-9a6d-2f0b8c4e6a10";

/** The bot's app registration: every permission of the Graph permission table. */
export const PRACTICE_BOT_APP = {
  clientId: "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
  clientSecret: "contoso-practice-bot-secret",
};

/** The practice tenant's limited app: User.Read.All and Policy.Read.AuthenticationMethod only, so methods answer 403. */
export const PRACTICE_LIMITED_APP = {
  clientId: "6a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
  clientSecret: "contoso-practice-limited-secret",
};

/** The practice tenant's fixed groups, named as the bot's configuration names them. */
export const PRACTICE_GROUPS = {
  agentsGroupId: "0a11e3b0-0000-4000-8000-000000000001",
  adminsGroupId: "0a11e3b0-0000-4000-8000-000000000002",
  tapApproversGroupId: "0a11e3b0-0000-4000-8000-000000000003",
};

/** A fresh copy of a committed practice tenant file: a test may change it without another test seeing the change. */
export function readPracticeTenant(file = PRACTICE_TENANT_FILE): TenantFile {
  return JSON.parse(readFileSync(file, "utf8")) as TenantFile;
}

/** The Temporary Access Pass method configuration of a tenant, to change in place. */
export function tapConfigurationOf(tenant: TenantFile): Record<string, unknown> {
  const tap = tenant.authenticationMethodsPolicy.authenticationMethodConfigurations.find(
    (configuration) => configuration.id === "TemporaryAccessPass",
  );
  if (!tap) throw new Error("The tenant must have a TemporaryAccessPass method configuration");
  return tap;
}

/** The gateway as the bot builds it, over an emulator, signed in as one of the practice tenant's apps. */
export function practiceGatewayFor(
  emulator: { baseUrl: string; tenantId: string },
  app: { clientId: string; clientSecret: string } = PRACTICE_BOT_APP,
  extra: Partial<GraphGatewayOptions> = {},
): GraphGateway {
  return createGraphGateway({
    mode: "emulator",
    baseUrl: emulator.baseUrl,
    tenantId: emulator.tenantId,
    ...app,
    ...extra,
  } as GraphGatewayOptions);
}
