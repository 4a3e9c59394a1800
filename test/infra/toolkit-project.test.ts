import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseEnv } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { INVENTORY_EXPORTS_CONTAINER } from "../../src/capabilities/inventory/inventory-file-consent.js";
import { loadConfig } from "../../src/config.js";
import { UNANSWERED_EXPORT_HOURS } from "../../src/storage/inventory-exports.js";

const root = resolve(__dirname, "../..");
const read = (file: string) => readFileSync(resolve(root, file), "utf8");
const mainBicep = read("infra/azure.bicep");
const botBicep = read("infra/botRegistration/azurebot.bicep");
const parameters = JSON.parse(read("infra/azure.parameters.json")).parameters as Record<string, { value: unknown }>;

/** Comment-free Bicep, so a parameter named only in a comment does not count as used. */
const code = (bicep: string) => bicep.replace(/(^|\s)\/\/.*$/gm, "$1");

function declaredParams(bicep: string): Array<{ name: string; hasDefault: boolean }> {
  return [...code(bicep).matchAll(/^param (\w+) \w+( =)?/gm)].map((m) => ({
    name: m[1] as string,
    hasDefault: !!m[2],
  }));
}

function outputs(bicep: string): string[] {
  return [...code(bicep).matchAll(/^output (\w+) /gm)].map((m) => m[1] as string);
}

/** `name: 'X'` / `value: …` pairs of the web app's appSettings. */
function appSettings(): Map<string, string> {
  const block = code(mainBicep).slice(code(mainBicep).indexOf("appSettings: ["));
  const settings = new Map<string, string>();
  for (const m of block.matchAll(/name: '([^']+)'\s*\n\s*value: ([^\n]+)/g))
    settings.set(m[1] as string, (m[2] as string).trim());
  return settings;
}

/** The variables src/config.ts reads (read(env, "X") / isSet(env, "X")). */
function configVariables(): string[] {
  const source = read("src/config.ts");
  return [...new Set([...source.matchAll(/(?:read|isSet)\(\s*env,\s*"([A-Z_]+)"/g)].map((m) => m[1] as string))].sort();
}

const placeholders = (text: string) =>
  [...new Set([...text.matchAll(/\$\{\{\s*([A-Za-z_]\w*)\s*\}\}/g)].map((m) => m[1] as string))].sort();

const envFile = (name: string) => parseEnv(read(`env/.env.${name}`)) as Record<string, string>;

type Action = { uses: string; with?: Record<string, unknown>; writeToEnvironmentFile?: Record<string, string> };
const project = (file: string) =>
  parse(read(file)) as { version: string; provision?: Action[]; deploy?: Action[]; publish?: Action[] };

describe("infra/ (Bicep, checked without a Bicep compiler)", () => {
  it.each([
    ["infra/azure.bicep", mainBicep],
    ["infra/botRegistration/azurebot.bicep", botBicep],
  ])("uses every parameter %s declares", (_file, bicep) => {
    for (const { name } of declaredParams(bicep)) {
      const uses = code(bicep).match(new RegExp(`\\b${name}\\b`, "g"))?.length ?? 0;
      expect(uses, `${name} is declared but never used`).toBeGreaterThan(1);
    }
  });

  it("gets a value from azure.parameters.json for every parameter without a default, and no unknown one", () => {
    const declared = declaredParams(mainBicep);
    for (const { name, hasDefault } of declared) if (!hasDefault) expect(Object.keys(parameters)).toContain(name);
    for (const name of Object.keys(parameters)) expect(declared.map((p) => p.name)).toContain(name);
  });

  it("passes the bot registration module exactly the parameters it declares (all it requires)", () => {
    const module = code(mainBicep).slice(code(mainBicep).indexOf("module azureBotRegistration"));
    const passed = [...module.slice(module.indexOf("params: {")).matchAll(/^\s{4}(\w+): /gm)].map((m) => m[1]);
    const declared = declaredParams(botBicep);
    for (const name of passed) expect(declared.map((p) => p.name)).toContain(name);
    for (const { name, hasDefault } of declared) if (!hasDefault) expect(passed).toContain(name);
  });

  it("hosts a Linux Node 20 App Service, always on, https only, several instances allowed", () => {
    expect(mainBicep).toMatch(/linuxFxVersion: 'NODE\|20-lts'/);
    expect(mainBicep).toMatch(/alwaysOn: true/);
    expect(mainBicep).toMatch(/httpsOnly: true/);
    expect(mainBicep).toMatch(/reserved: true/);
    expect(mainBicep).toMatch(/capacity: instanceCount/);
    expect(parameters.instanceCount?.value).toBeGreaterThanOrEqual(2);
    // /healthz reports Graph and storage: as App Service's instance health check, a Graph outage would recycle them all.
    expect(mainBicep).not.toMatch(/healthCheckPath/);
  });

  it("uses one user-assigned managed identity for the bot (UserAssignedMSI), Graph and storage, and no secret", () => {
    expect(botBicep).toMatch(/msaAppType: 'UserAssignedMSI'/);
    expect(botBicep).toMatch(/msaAppMSIResourceId: identityResourceId/);
    expect(botBicep).toMatch(/channelName: 'MsTeamsChannel'/);
    const settings = appSettings();
    for (const name of ["GRAPH_CLIENT_ID", "BOT_ID", "AZURE_CLIENT_ID"])
      expect(settings.get(name)).toBe("identity.properties.clientId");
    expect(settings.get("GRAPH_MANAGED_IDENTITY")).toBe("'true'");
    expect(settings.get("BOT_MANAGED_IDENTITY")).toBe("'true'");
    expect(mainBicep).not.toMatch(/@secure\(\)|SECRET|PASSWORD/);
  });

  it("turns shared-key access off on storage and grants the identity blob, table and queue data roles", () => {
    expect(mainBicep).toMatch(/allowSharedKeyAccess: false/);
    for (const role of [
      "ba92f5b4-2d11-453d-a403-e96b0029c9fe", // Storage Blob Data Contributor
      "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", // Storage Table Data Contributor
      "974c5e8b-45b9-4653-ba55-5f855dd0fb88", // Storage Queue Data Contributor
    ])
      expect(mainBicep).toContain(`'${role}'`);
    expect(mainBicep).toMatch(/principalId: identity\.properties\.principalId/);
    expect(appSettings().get("STORAGE_ACCOUNT_URL")).toBe("storage.properties.primaryEndpoints.blob");
  });

  it("deletes inventory exports by the account's own lifecycle policy, no sooner than the bot keeps them answerable", () => {
    const policy = code(mainBicep).slice(
      code(mainBicep).indexOf("'Microsoft.Storage/storageAccounts/managementPolicies@"),
    );
    const rule = policy.slice(0, policy.indexOf("\n}\n"));
    expect(rule).toMatch(/name: 'default'\s*\n\s*parent: storage\n/);
    expect(rule).toMatch(/enabled: true/);
    expect(rule).toMatch(/type: 'Lifecycle'/);
    expect(rule).toMatch(new RegExp(`prefixMatch: \\[\\s*'${INVENTORY_EXPORTS_CONTAINER}/'\\s*\\]`));
    expect(rule).toMatch(/blobTypes: \[\s*'blockBlob'\s*\]/);
    const days = Number(/baseBlob: \{\s*delete: \{\s*daysAfterCreationGreaterThan: (\d+)\s*\}/.exec(rule)?.[1]);
    // Deleted only after more than `days`: an export must stay while its consent card is still answerable.
    expect(days * 24).toBeGreaterThanOrEqual(UNANSWERED_EXPORT_HOURS);
    expect(days).toBeLessThanOrEqual(2);
  });

  it("sets only variables src/config.ts reads, besides the platform's own, and every one live mode needs", () => {
    const platform = [
      "SCM_DO_BUILD_DURING_DEPLOYMENT",
      "AZURE_CLIENT_ID",
      "APPLICATIONINSIGHTS_CONNECTION_STRING",
      "ApplicationInsightsAgent_EXTENSION_VERSION",
    ];
    const settings = [...appSettings().keys()];
    const known = configVariables();
    for (const name of settings) if (!platform.includes(name)) expect(known, name).toContain(name);
    const sample: Record<string, string> = {};
    for (const [name, value] of appSettings()) {
      if (platform.includes(name)) continue;
      const literal = /^'(.*)'$/.exec(value)?.[1];
      sample[name] =
        literal ??
        {
          helpdeskChannelId: "19:abc@thread.tacv2",
          "storage.properties.primaryEndpoints.blob": "https://passkeyabc123stor.blob.core.windows.net/",
          installAppForProactive: "false",
        }[value] ??
        "11111111-2222-4333-8444-555555555555";
    }
    const config = loadConfig(sample);
    expect(config.graph).toMatchObject({ mode: "live", credential: { kind: "managedIdentity" } });
    expect(config.bot.kind).toBe("managedIdentity");
    expect(config.storage).toMatchObject({
      kind: "accountUrl",
      tableUrl: "https://passkeyabc123stor.table.core.windows.net",
    });
  });

  it("starts what npm run build writes, not the development launcher behind npm start", () => {
    const pkg = JSON.parse(read("package.json"));
    const tsconfig = JSON.parse(read("tsconfig.json"));
    expect(pkg.scripts.build).toBe("tsc -p tsconfig.json");
    expect(`${tsconfig.compilerOptions.outDir}/src/index.js`).toBe("dist/src/index.js");
    expect(mainBicep).toMatch(/appCommandLine: 'node (--\S+ )*dist\/src\/index\.js'/);
  });

  it("starts the app with Node flags Node accepts (a typo would keep every instance from starting)", () => {
    const flags = /appCommandLine: 'node ((?:--\S+ )*)dist/.exec(mainBicep)?.[1]?.trim().split(" ") ?? [];
    expect(flags.length).toBeGreaterThan(0);
    const run = spawnSync(process.execPath, [...flags, "-e", "process.exit(7)"], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(7);
  });
});

describe("Microsoft 365 Agents Toolkit project", () => {
  it("provisions in the template's order and deploys build → zip deploy (m365agents.yml)", () => {
    const yml = project("m365agents.yml");
    expect(yml.provision?.map((a) => a.uses)).toEqual([
      "teamsApp/create",
      "arm/deploy",
      "teamsApp/validateManifest",
      "teamsApp/zipAppPackage",
      "teamsApp/validateAppPackage",
      "teamsApp/update",
    ]);
    expect(yml.deploy?.map((a) => a.uses)).toEqual([
      "cli/runNpmCommand",
      "cli/runNpmCommand",
      "azureAppService/zipDeploy",
    ]);
    expect(yml.deploy?.[1]?.with?.args).toBe("run build");
    const arm = yml.provision?.[1]?.with as { templates: Array<{ path: string; parameters: string }> };
    expect(arm.templates[0]).toMatchObject({
      path: "./infra/azure.bicep",
      parameters: "./infra/azure.parameters.json",
    });
  });

  it.each([
    ["m365agents.yml", "dev"],
    ["m365agents.local.yml", "local"],
  ])("%s only uses variables env/.env.%s declares or an earlier action writes", (file, env) => {
    const declared = new Set(Object.keys(envFile(env)));
    const written = new Set<string>(["TEAMSFX_ENV"]);
    for (const action of [...(project(file).provision ?? []), ...(project(file).deploy ?? [])]) {
      for (const name of placeholders(JSON.stringify(action.with ?? {})))
        expect(declared.has(name) || written.has(name), `${action.uses} uses ${name}`).toBe(true);
      for (const name of Object.values(action.writeToEnvironmentFile ?? {})) written.add(name);
      if (action.uses === "arm/deploy") for (const name of outputs(mainBicep)) written.add(name);
    }
  });

  it("declares every Bicep output and parameter placeholder in env/.env.dev, and the manifest's placeholders in every env", () => {
    const dev = Object.keys(envFile("dev"));
    for (const name of outputs(mainBicep)) expect(dev, name).toContain(name);
    for (const name of placeholders(read("infra/azure.parameters.json"))) expect(dev, name).toContain(name);
    for (const env of ["dev", "local", "playground"])
      for (const name of placeholders(read("appPackage/manifest.json")))
        expect(Object.keys(envFile(env)), `${name} in env/.env.${env}`).toContain(name);
  });

  it("commits no secret in env/ (SECRET_* belong in the git-ignored .user files)", () => {
    for (const env of ["dev", "local", "playground"])
      expect(Object.keys(envFile(env)).filter((name) => /SECRET|PASSWORD/.test(name))).toEqual([]);
  });

  it("gives `npm run dev:teamsfx` a configuration src/config.ts accepts (m365agents.local.yml → .localConfigs)", () => {
    const step = project("m365agents.local.yml").deploy?.find((a) => a.uses === "file/createOrUpdateEnvironmentFile");
    expect(step, "m365agents.local.yml writes .localConfigs").toBeDefined();
    const envs = (step?.with as { envs: Record<string, string | number> } | undefined)?.envs ?? {};
    const sample = Object.fromEntries(
      Object.entries(envs).map(([name, value]) => [
        name,
        String(value).replace(/\$\{\{(\w+)\}\}/g, (_w, v: string) =>
          v === "HELPDESK_CHANNEL_ID"
            ? "19:abc@thread.tacv2"
            : v.startsWith("SECRET_")
              ? "s3cret"
              : "11111111-2222-4333-8444-555555555555",
        ),
      ]),
    );
    for (const name of Object.keys(sample)) expect(configVariables(), name).toContain(name);
    const config = loadConfig(sample);
    expect(config.bot.kind).toBe("password");
    expect(config.graph).toMatchObject({ mode: "live", credential: { kind: "secret" } });
    expect(JSON.parse(read("package.json")).scripts["dev:teamsfx"]).toContain("--env-file=.localConfigs");
  });

  it("has VS Code F5 entries whose tasks and npm scripts exist", () => {
    const strip = (text: string) => text.replace(/^\s*\/\/.*$/gm, "");
    const launch = JSON.parse(strip(read(".vscode/launch.json")));
    const tasks = JSON.parse(strip(read(".vscode/tasks.json"))).tasks as Array<{
      label: string;
      command?: string;
      dependsOn?: string[];
    }>;
    const labels = tasks.map((t) => t.label);
    const preLaunch = [...launch.configurations, ...launch.compounds].flatMap((c) => c.preLaunchTask ?? []);
    expect(preLaunch.length).toBeGreaterThan(0);
    for (const label of preLaunch) expect(labels).toContain(label);
    for (const task of tasks) for (const dep of task.dependsOn ?? []) expect(labels).toContain(dep);
    const scripts = JSON.parse(read("package.json")).scripts;
    for (const task of tasks) {
      const npmRun = /^npm run ([\w:-]+)/.exec(task.command ?? "");
      if (npmRun) expect(Object.keys(scripts)).toContain(npmRun[1]);
    }
    expect(launch.configurations.map((c: { name: string }) => c.name)).toContain(
      "Debug in Microsoft 365 Agents Playground",
    );
  });
});
