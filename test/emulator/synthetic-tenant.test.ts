import { describe, expect, it } from "vitest";
import { generateSyntheticTenant } from "../../src/emulator/synthetic-tenant.js";

const PASSKEY_TYPE = "#microsoft.graph.fido2AuthenticationMethod";

describe("generateSyntheticTenant", () => {
  const tenant = generateSyntheticTenant({ users: 2_000, seed: 7 });

  it("produces byte-identical output for the same seed", () => {
    const again = generateSyntheticTenant({ users: 2_000, seed: 7 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(tenant));
  });

  it("produces a different tenant for a different seed", () => {
    const other = generateSyntheticTenant({ users: 2_000, seed: 8 });
    expect(other.organization.id).not.toBe(tenant.organization.id);
    expect(other.users[5]?.id).not.toBe(tenant.users[5]?.id);
  });

  it("creates exactly the requested number of users, each with unique id and UPN, methods and registration details", () => {
    expect(tenant.users).toHaveLength(2_000);
    expect(new Set(tenant.users.map((user) => user.id)).size).toBe(2_000);
    expect(new Set(tenant.users.map((user) => user.userPrincipalName.toLowerCase())).size).toBe(2_000);
    expect(Object.keys(tenant.authenticationMethods)).toHaveLength(2_000);
    expect(tenant.userRegistrationDetails).toHaveLength(2_000);
  });

  it("gives roughly 30 % of users a passkey, spread over several AAGUIDs, and leaves some with only a password", () => {
    const methodLists = Object.values(tenant.authenticationMethods);
    const withPasskey = methodLists.filter((methods) =>
      methods.some((method) => method["@odata.type"] === PASSKEY_TYPE),
    );
    const passwordOnly = methodLists.filter((methods) => methods.length === 1);
    const withWindowsHelloForBusiness = methodLists.filter((methods) =>
      methods.some(
        (method) => method["@odata.type"] === "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod",
      ),
    );
    const aaGuids = new Set(
      withPasskey.flatMap((methods) =>
        methods.filter((method) => method["@odata.type"] === PASSKEY_TYPE).map((method) => method.aaGuid),
      ),
    );
    expect(withPasskey.length / 2_000).toBeGreaterThan(0.25);
    expect(withPasskey.length / 2_000).toBeLessThan(0.35);
    expect(passwordOnly.length).toBeGreaterThan(100);
    expect(withWindowsHelloForBusiness.length).toBeGreaterThan(100);
    expect(aaGuids.size).toBeGreaterThanOrEqual(6);
  });

  it("keeps every reference inside the tenant: managers, group members, device owners, role principals", () => {
    const userIds = new Set(tenant.users.map((user) => user.id));
    const groupIds = new Set(tenant.groups.map((group) => group.id));
    for (const user of tenant.users) if (user.managerId) expect(userIds.has(user.managerId)).toBe(true);
    for (const group of tenant.groups) {
      for (const memberId of group.memberIds) expect(userIds.has(memberId) || groupIds.has(memberId)).toBe(true);
    }
    for (const device of tenant.devices ?? [])
      for (const ownerId of device.registeredOwnerIds ?? []) expect(userIds.has(ownerId)).toBe(true);
    for (const assignment of tenant.roleAssignments ?? []) expect(userIds.has(assignment.principalId)).toBe(true);
    expect(tenant.users.filter((user) => user.managerId).length).toBeGreaterThan(1_900);
  });

  it("reports passwordless capability exactly for the users holding a passkey or WHfB", () => {
    const details = new Map((tenant.userRegistrationDetails ?? []).map((entry) => [entry.id, entry]));
    for (const [userId, methods] of Object.entries(tenant.authenticationMethods)) {
      const hasPasswordless = methods.some(
        (method) =>
          method["@odata.type"] === PASSKEY_TYPE ||
          method["@odata.type"] === "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod",
      );
      expect(details.get(userId)?.isPasswordlessCapable).toBe(hasPasswordless);
    }
  });

  it("targets the Passkey policy at ring groups that exist and ships the two app registrations", () => {
    const fido2 = tenant.authenticationMethodsPolicy.authenticationMethodConfigurations.find(
      (entry) => entry.id === "Fido2",
    );
    const groupIds = new Set(tenant.groups.map((group) => group.id));
    const targets = (fido2?.includeTargets ?? []) as Array<{ id: string }>;
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) expect(groupIds.has(target.id)).toBe(true);
    expect(tenant.applications.map((app) => app.appId)).toEqual([
      "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
      "6a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
    ]);
  });

  it("contains a bulk-registration burst by one admin within minutes", () => {
    const burst = (tenant.directoryAudits ?? []).filter(
      (audit) => audit.activityDisplayName === "Admin registered security info",
    );
    const initiators = new Set(burst.map((audit) => (audit.initiatedBy as { user: { id: string } }).user.id));
    expect(burst.length).toBeGreaterThanOrEqual(10);
    expect(initiators.size).toBe(1);
  });
});
