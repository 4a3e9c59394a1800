import { describe, expect, it } from "vitest";
import { adminConsentUrl, managedIdentityGrantScript, runConsentCli } from "../../src/cli/consent-url.js";
import { loadConfig } from "../../src/config.js";
import { botApplicationPermissions } from "../../src/graph/graph-permissions.js";

const TENANT = "11111111-2222-4333-8444-555555555555";
const CLIENT = "11111111-2222-4333-8444-666666666666";

function run(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runConsentCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, () => loadConfig(env));
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("npm run consent-url", () => {
  it("builds the v2 admin-consent URL for the app's configured Graph permissions (.default)", () => {
    const url = new URL(adminConsentUrl(TENANT, CLIENT, "https://example.com/done"));
    expect(url.origin + url.pathname).toBe(`https://login.microsoftonline.com/${TENANT}/v2.0/adminconsent`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: CLIENT,
      scope: "https://graph.microsoft.com/.default",
      redirect_uri: "https://example.com/done",
    });
  });

  it("lists exactly the permissions of the one permission source with the consent URL", () => {
    const { code, out } = run(["--tenant", TENANT, "--client-id", CLIENT]);
    expect(code).toBe(0);
    expect(out).toContain(botApplicationPermissions().join(", "));
    expect(out).toContain(adminConsentUrl(TENANT, CLIENT));
  });

  it("prints az commands assigning each permission to a managed identity, and nothing more", () => {
    const { code, out } = run(["--managed-identity", TENANT]);
    expect(code).toBe(0);
    expect(out).toContain(managedIdentityGrantScript(TENANT, botApplicationPermissions()));
    expect(out).toContain(`for ROLE in ${botApplicationPermissions().join(" ")}; do`);
  });

  it("refuses emulator mode and malformed ids with one line saying what to pass", () => {
    expect(run([])).toMatchObject({ code: 2, err: expect.stringContaining("Pass --tenant and --client-id") });
    expect(run(["--tenant", "contoso", "--client-id", CLIENT])).toMatchObject({
      code: 2,
      err: expect.stringContaining("must be GUIDs"),
    });
  });
});
