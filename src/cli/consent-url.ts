import { parseArgs } from "node:util";
import { type AppConfig, ConfigError, loadConfigFromEnvironment } from "../config.js";
import { botApplicationPermissions } from "../graph/graph-permissions.js";
import { isGuid } from "../text/is-guid.js";

/** Microsoft Graph's application id: the same in every tenant. */
const MICROSOFT_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

export interface ConsentCliOutput {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = `Usage: npm run consent-url -- [--tenant ID --client-id ID] [--redirect-uri URL]
       npm run consent-url -- --managed-identity PRINCIPAL_ID
Prints what an administrator opens to grant the bot's Graph application permissions to an app registration (--tenant
and --client-id, or TENANT_ID and GRAPH_CLIENT_ID of the bot's live configuration), or, for a managed identity, the
Azure CLI commands that assign them.`;

/** The v2 admin-consent URL: `.default` consents to every permission the app registration lists. */
export function adminConsentUrl(tenantId: string, clientId: string, redirectUri?: string): string {
  const query = new URLSearchParams({ client_id: clientId, scope: "https://graph.microsoft.com/.default" });
  if (redirectUri) query.set("redirect_uri", redirectUri);
  return `https://login.microsoftonline.com/${encodeURIComponent(tenantId)}/v2.0/adminconsent?${query}`;
}

/**
 * A managed identity has no consent screen: its Graph app roles are assigned directly, one appRoleAssignment each
 * (az CLI, signed in as a Privileged Role Administrator or Global Administrator).
 */
export function managedIdentityGrantScript(principalId: string, permissions: readonly string[]): string {
  return [
    `MI=${principalId}`,
    `GRAPH=$(az ad sp show --id ${MICROSOFT_GRAPH_APP_ID} --query id -o tsv)`,
    `for ROLE in ${permissions.join(" ")}; do`,
    `  ROLE_ID=$(az ad sp show --id ${MICROSOFT_GRAPH_APP_ID} --query "appRoles[?value=='$ROLE'].id" -o tsv)`,
    `  az rest --method POST --uri "https://graph.microsoft.com/v1.0/servicePrincipals/$MI/appRoleAssignments" \\`,
    `    --body "{\\"principalId\\":\\"$MI\\",\\"resourceId\\":\\"$GRAPH\\",\\"appRoleId\\":\\"$ROLE_ID\\"}"`,
    "done",
  ].join("\n");
}

/** `npm run consent-url`; returns the exit code. */
export function runConsentCli(
  args: string[],
  io: ConsentCliOutput,
  loadAppConfig: () => Pick<AppConfig, "tenantId" | "graph"> = loadConfigFromEnvironment,
): number {
  let options: {
    "redirect-uri"?: string;
    "managed-identity"?: string;
    tenant?: string;
    "client-id"?: string;
    help?: boolean;
  };
  try {
    options = parseArgs({
      args,
      options: {
        "redirect-uri": { type: "string" },
        "managed-identity": { type: "string" },
        tenant: { type: "string" },
        "client-id": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    io.out(USAGE);
    return 0;
  }
  const permissions = botApplicationPermissions();
  if (options["managed-identity"]) {
    io.out("Assign the bot's Graph application permissions to the managed identity (needs Azure; az login first):\n");
    io.out(managedIdentityGrantScript(options["managed-identity"], permissions));
    return 0;
  }
  let tenantId = options.tenant;
  let clientId = options["client-id"];
  if (!tenantId || !clientId) {
    let config: Pick<AppConfig, "tenantId" | "graph">;
    try {
      config = loadAppConfig();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      io.err(`Configuration error: ${error.message} (or pass --tenant and --client-id)`);
      return 2;
    }
    if (config.graph.mode === "emulator") {
      io.err(
        "GRAPH_MODE is emulator: the practice tenant's app is consented already. Pass --tenant and --client-id (or the live configuration) for a real tenant.",
      );
      return 2;
    }
    tenantId ??= config.graph.tenantId;
    clientId ??= config.graph.clientId;
  }
  if (!isGuid(tenantId) || !isGuid(clientId)) {
    io.err("--tenant and --client-id must be GUIDs (the directory id and the app registration's client id)");
    return 2;
  }
  io.out(`1. On app registration ${clientId}, add these Microsoft Graph application permissions:`);
  io.out(`   ${permissions.join(", ")}`);
  io.out(
    `   https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/CallAnAPI/appId/${clientId}`,
  );
  io.out("2. Then a Global Administrator or Privileged Role Administrator opens, and accepts:");
  io.out(`   ${adminConsentUrl(tenantId, clientId, options["redirect-uri"])}`);
  if (!options["redirect-uri"])
    io.out("   (or presses 'Grant admin consent' on the page above; --redirect-uri adds a registered reply URL)");
  io.out("3. Check: npm run doctor");
  return 0;
}

if (require.main === module) {
  process.exitCode = runConsentCli(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}
