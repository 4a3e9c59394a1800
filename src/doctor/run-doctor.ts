import type { AppConfig } from "../config.js";
import { AccessDeniedError, NotFoundError, ThrottledError } from "../graph/graph-errors.js";
import { GRAPH_FEATURES, type RequiredPermission, requiredPermissions } from "../graph/graph-permissions.js";
import type { DoctorCheck } from "./doctor-check.js";
import { type DoctorGraph, probeFor } from "./permission-probes.js";

export interface DoctorDependencies {
  config: Pick<AppConfig, "graph" | "bot" | "groups" | "teamsAppId" | "tenantId">;
  graph: DoctorGraph;
  /** The storage rows (tables, blobs, queues): probeStorage. */
  checkStorage(): Promise<DoctorCheck[]>;
  /** Asks for a Bot Framework token with the bot's credentials; absent when the bot runs anonymously. */
  requestBotToken?: () => Promise<void>;
  /** Permissions to check; default: every one the bot asks for (src/graph/graph-permissions.ts). */
  permissions?: RequiredPermission[];
}

/**
 * Checks what a deployment needs, in order: configuration, Graph credentials, each Graph permission (one cheap call
 * per permission), storage and the bot registration. Each row says ok, missing, wrong or unreachable, and the fix.
 */
export async function runDoctor(deps: DoctorDependencies): Promise<DoctorCheck[]> {
  const { config } = deps;
  const checks: DoctorCheck[] = [
    {
      check: "configuration",
      status: "ok",
      detail: `GRAPH_MODE=${config.graph.mode}, tenant ${config.tenantId}, Graph app ${config.graph.clientId}`,
    },
  ];
  const credentials = await checkGraphCredentials(deps);
  checks.push(credentials);
  const missing = new Set<string>();
  for (const required of deps.permissions ?? requiredPermissions()) {
    const check: DoctorCheck =
      credentials.status === "ok"
        ? await checkPermission(deps, required, missing)
        : {
            check: `permission ${required.permission}`,
            status: "skipped",
            detail: "not checked: Graph credentials are not working",
          };
    if (check.status === "missing") missing.add(required.permission);
    checks.push(check);
  }
  checks.push(...(await deps.checkStorage()));
  checks.push(await checkBotRegistration(deps));
  return checks;
}

function graphName(config: DoctorDependencies["config"]): string {
  return config.graph.mode === "emulator"
    ? `the Graph emulator at ${config.graph.baseUrl}`
    : `Microsoft Graph at ${config.graph.baseUrl ?? "https://graph.microsoft.com"}`;
}

async function checkGraphCredentials({ config, graph }: DoctorDependencies): Promise<DoctorCheck> {
  const check = "Graph credentials";
  try {
    if (await graph.isReachable()) {
      return { check, status: "ok", detail: `${graphName(config)} accepted the app's token` };
    }
    return {
      check,
      status: "unreachable",
      detail: `${graphName(config)} does not answer`,
      fix:
        config.graph.mode === "emulator"
          ? "start it: npm run emulator (or npm start, which starts everything), or set GRAPH_EMULATOR_URL"
          : "check the network path (proxy, firewall) to graph.microsoft.com and login.microsoftonline.com",
    };
  } catch (error) {
    return {
      check,
      status: "wrong",
      detail: error instanceof Error ? error.message : String(error),
      fix: credentialsFix(config),
    };
  }
}

function credentialsFix(config: DoctorDependencies["config"]): string {
  if (config.graph.mode === "emulator") {
    return "use an app the tenant file lists under applications (unset GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET for the practice app)";
  }
  switch (config.graph.credential.kind) {
    case "secret":
      return "check TENANT_ID, GRAPH_CLIENT_ID and that GRAPH_CLIENT_SECRET is a current secret of that app registration";
    case "certificate":
      return "check TENANT_ID, GRAPH_CLIENT_ID and that the certificate at GRAPH_CLIENT_CERTIFICATE_PATH is uploaded to that app registration";
    case "managedIdentity":
      return "check that GRAPH_CLIENT_ID is the client id of a managed identity assigned to this App Service";
  }
}

function grantFix(config: DoctorDependencies["config"], permission: string): string {
  if (config.graph.mode === "emulator") {
    return `add ${permission} to the app's applicationPermissions in the tenant file (the practice tenant's bot app has it)`;
  }
  if (config.graph.credential.kind === "managedIdentity") {
    return `assign the Microsoft Graph app role ${permission} to the managed identity (README "Grant the permissions")`;
  }
  return `add the application permission ${permission} to app ${config.graph.clientId} and grant admin consent (npm run consent-url)`;
}

async function checkPermission(
  deps: DoctorDependencies,
  required: RequiredPermission,
  missing: ReadonlySet<string>,
): Promise<DoctorCheck> {
  const { permission, features } = required;
  const check = `permission ${permission}`;
  const serves = features.map((feature) => GRAPH_FEATURES[feature].title).join("; ");
  const probe = probeFor(required);
  if (!probe) return { check, status: "unknown", detail: `no cheap call checks it (${serves})` };
  try {
    await probe.run(deps.graph, { groupId: deps.config.groups.agentsGroupId, teamsAppId: deps.config.teamsAppId });
    return { check, status: "ok", detail: serves };
  } catch (error) {
    if (error instanceof NotFoundError) return { check, status: "ok", detail: serves };
    if (error instanceof AccessDeniedError && error.status === 403) {
      const blocker =
        error.missingPermission && error.missingPermission !== permission
          ? error.missingPermission
          : probe.alsoNeeds?.find((other) => missing.has(other));
      if (blocker) {
        return {
          check,
          status: "unknown",
          detail: `checked together with ${blocker}, which is missing`,
          fix: `grant ${blocker}, then run the doctor again`,
        };
      }
      const without = features.map((feature) => GRAPH_FEATURES[feature].withoutIt).join(" ");
      return { check, status: "missing", detail: `not granted. ${without}`, fix: grantFix(deps.config, permission) };
    }
    if (error instanceof AccessDeniedError) {
      return { check, status: "wrong", detail: error.message, fix: credentialsFix(deps.config) };
    }
    if (error instanceof ThrottledError) {
      return {
        check,
        status: "unknown",
        detail: `Graph asked to wait ${error.retryAfterSeconds} s`,
        fix: "run the doctor again in a minute",
      };
    }
    return {
      check,
      status: "unreachable",
      detail: error instanceof Error ? error.message : String(error),
      fix: "run the doctor again; if it persists, check Graph's service health",
    };
  }
}

async function checkBotRegistration({ config, requestBotToken }: DoctorDependencies): Promise<DoctorCheck> {
  const check = "bot registration";
  if (config.bot.kind === "anonymous" || !requestBotToken) {
    return {
      check,
      status: config.graph.mode === "emulator" ? "ok" : "missing",
      detail: "anonymous: the bot accepts unauthenticated activities (Agents Playground only)",
      fix: config.graph.mode === "emulator" ? undefined : "set BOT_ID with BOT_PASSWORD or BOT_MANAGED_IDENTITY=true",
    };
  }
  const how = config.bot.kind === "password" ? "BOT_ID and BOT_PASSWORD" : "BOT_ID's managed identity";
  try {
    await requestBotToken();
    return { check, status: "ok", detail: `${how} get a Bot Framework token (app ${config.bot.appId})` };
  } catch (error) {
    return {
      check,
      status: "wrong",
      detail: `${how} get no Bot Framework token: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
      fix:
        config.bot.kind === "password"
          ? "check BOT_ID and BOT_PASSWORD against the Azure Bot's Microsoft App ID and a current secret of that app"
          : "check that BOT_ID is the client id of the user-assigned identity the Azure Bot (UserAssignedMSI) and this App Service use",
    };
  }
}
