import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { GENERATED_BLOCKS } from "../../scripts/write-permission-docs.js";
import { graphPermissionRequirements } from "../../src/emulator/graph-permissions.js";
import {
  botApplicationPermissions,
  covers,
  GRAPH_CALLS,
  GRAPH_FEATURES,
  permissionFor,
  requiredPermissions,
} from "../../src/graph/graph-permissions.js";

const root = resolve(__dirname, "../..");
const rows = Object.entries(GRAPH_CALLS);

describe("the one permission source", () => {
  it("prefers the granular UserAuthMethod-* permissions where Microsoft's permission map has them (graph.md §1.11, §8)", () => {
    expect(permissionFor("listPasskeys")).toBe("UserAuthMethod-Passkey.Read.All");
    expect(permissionFor("listTemporaryAccessPasses")).toBe("UserAuthMethod-TAP.Read.All");
    expect(permissionFor("createTemporaryAccessPass")).toBe("UserAuthMethod-TAP.ReadWrite.All");
    expect(permissionFor("deleteTemporaryAccessPass")).toBe("UserAuthMethod-TAP.ReadWrite.All");
    expect(botApplicationPermissions()).not.toContain("UserAuthenticationMethod.ReadWrite.All");
  });

  it.each(rows.filter(([, row]) => row.permission !== ""))(
    "%s asks for a permission Graph (the emulator's contract) accepts for some route: %o",
    (_call, { permission }) => {
      const accepted = Object.values(graphPermissionRequirements).flatMap((groups) => groups.flat());
      expect(accepted).toContain(permission);
    },
  );

  it("names a feature with a title and what stops working for every call, and every feature is used", () => {
    for (const [, row] of rows) expect(Object.keys(GRAPH_FEATURES)).toContain(row.feature);
    const used = new Set(rows.map(([, row]) => row.feature));
    for (const [name, feature] of Object.entries(GRAPH_FEATURES)) {
      expect(used, name).toContain(name);
      expect(feature.title.length, name).toBeGreaterThan(10);
      expect(feature.withoutIt.length, name).toBeGreaterThan(10);
    }
  });

  it.each([
    ["UserAuthMethod-TAP.ReadWrite.All", "UserAuthMethod-TAP.Read.All", true],
    ["UserAuthMethod-TAP.Read.All", "UserAuthMethod-TAP.ReadWrite.All", false],
    ["TeamsAppInstallation.ReadWriteSelfForUser.All", "TeamsAppInstallation.ReadForUser.All", true],
    ["TeamsAppInstallation.ReadWriteForUser.All", "TeamsAppInstallation.ReadForUser.All", true],
    ["User.ReadWrite.All", "User.Read.All", true],
    ["UserAuthMethod-Passkey.ReadWrite.All", "UserAuthMethod-TAP.Read.All", false],
    ["RoleManagement.Read.Directory", "RoleEligibilitySchedule.Read.Directory", false],
    ["AuditLog.Read.All", "AuditLog.Read.All", true],
  ])("%s covers %s: %s", (granted, needed, expected) => {
    expect(covers(granted, needed)).toBe(expected);
  });

  it("asks for each permission once, folding a read into the write that covers it, and nothing no call needs", () => {
    const granted = botApplicationPermissions();
    expect(new Set(granted).size).toBe(granted.length);
    expect(granted).not.toContain("UserAuthMethod-TAP.Read.All");
    expect(granted).not.toContain("TeamsAppInstallation.ReadForUser.All");
    for (const [call, row] of rows) {
      if (row.permission === "") continue;
      expect(
        granted.some((permission) => covers(permission, row.permission)),
        call,
      ).toBe(true);
    }
    const tap = requiredPermissions().find((entry) => entry.permission === "UserAuthMethod-TAP.ReadWrite.All");
    expect(tap?.calls).toEqual(["listTemporaryAccessPasses", "createTemporaryAccessPass", "deleteTemporaryAccessPass"]);
  });

  it("is what both practice tenants' bot app registration is granted", () => {
    for (const file of ["tenants/contoso-practice.json", "tenants/contoso-practice-selfservice-off.json"]) {
      const tenant = JSON.parse(readFileSync(resolve(root, file), "utf8")) as {
        applications: Array<{ displayName: string; applicationPermissions: string[] }>;
      };
      const bot = tenant.applications.find((app) => app.displayName === "Passkey Helpdesk");
      expect(bot?.applicationPermissions, file).toEqual(botApplicationPermissions());
    }
  });

  it.each(GENERATED_BLOCKS.map((block) => [block.file, block]))(
    "is what %s's generated table says (npm run docs:permissions rewrites it)",
    (file, block) => {
      const text = readFileSync(resolve(root, file), "utf8");
      const begin = `<!-- ${block.name}:begin -->\n`;
      const from = text.indexOf(begin);
      expect(from, `${file} lacks the ${block.name} markers`).toBeGreaterThanOrEqual(0);
      const inside = text.slice(from + begin.length, text.indexOf(`\n<!-- ${block.name}:end -->`));
      expect(inside).toBe(block.render());
    },
  );
});
