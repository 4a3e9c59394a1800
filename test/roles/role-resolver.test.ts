import { describe, expect, it } from "vitest";
import { createRoleResolver, type RoleDirectory } from "../../src/roles/role-resolver.js";

const groups = {
  agentsGroupId: "0a11e3b0-0000-4000-8000-000000000001",
  adminsGroupId: "0a11e3b0-0000-4000-8000-000000000002",
  tapApproversGroupId: "0a11e3b0-0000-4000-8000-000000000003",
};

/** A directory of users with transitive group memberships and managers, counting the calls made to it. */
function directory(members: Record<string, string[]>, managers: Record<string, string> = {}) {
  const calls = { checkMemberGroups: 0, getManager: 0 };
  const port: RoleDirectory = {
    async checkMemberGroups(userId, groupIds) {
      calls.checkMemberGroups++;
      return groupIds.filter((id) => members[userId]?.includes(id));
    },
    async getManager(userId) {
      calls.getManager++;
      const id = managers[userId];
      return id ? { id } : null;
    },
  };
  return { port, calls, members };
}

describe("resolveCallerRoles", () => {
  it("tells agents, admins and end users apart by group membership", async () => {
    const { port } = directory({ agent: [groups.agentsGroupId], admin: [groups.adminsGroupId, groups.agentsGroupId] });
    const roles = createRoleResolver({ directory: port, groups });
    expect(await roles.resolveCallerRoles("agent")).toEqual({ isAgent: true, isAdmin: false });
    expect(await roles.resolveCallerRoles("admin")).toEqual({ isAgent: true, isAdmin: true });
    expect(await roles.resolveCallerRoles("someone")).toEqual({ isAgent: false, isAdmin: false });
  });

  it("asks the directory once per minute per caller and again after the cache expires", async () => {
    const { port, calls, members } = directory({ agent: [groups.agentsGroupId] });
    let now = 0;
    const roles = createRoleResolver({ directory: port, groups, now: () => now });
    await roles.resolveCallerRoles("agent");
    now = 59_000;
    expect(await roles.resolveCallerRoles("agent")).toEqual({ isAgent: true, isAdmin: false });
    expect(calls.checkMemberGroups).toBe(1);
    members.agent = [];
    now = 61_000;
    expect(await roles.resolveCallerRoles("agent")).toEqual({ isAgent: false, isAdmin: false });
    expect(calls.checkMemberGroups).toBe(2);
  });
});

describe("isApproverFor", () => {
  const { port } = directory(
    { approver: [groups.tapApproversGroupId], manager: [groups.tapApproversGroupId] },
    {
      employee: "manager",
    },
  );
  const roles = createRoleResolver({ directory: port, groups });

  it("accepts the target's directory manager", async () => {
    expect(await roles.isApproverFor("manager", "employee")).toBe(true);
  });

  it("refuses an approvers-group member when the target has a manager", async () => {
    expect(await roles.isApproverFor("approver", "employee")).toBe(false);
  });

  it("accepts an approvers-group member only when the target has no manager", async () => {
    expect(await roles.isApproverFor("approver", "orphan")).toBe(true);
    expect(await roles.isApproverFor("random", "orphan")).toBe(false);
  });

  it("never lets the target approve for themselves, even as an approver without a manager", async () => {
    expect(await roles.isApproverFor("approver", "approver")).toBe(false);
    expect(await roles.isApproverFor("Manager", "manager")).toBe(false);
  });

  it("reads the directory fresh every time so a revoked approver stops at once", async () => {
    const fresh = directory({ approver: [groups.tapApproversGroupId] });
    const resolver = createRoleResolver({ directory: fresh.port, groups });
    expect(await resolver.isApproverFor("approver", "orphan")).toBe(true);
    fresh.members.approver = [];
    expect(await resolver.isApproverFor("approver", "orphan")).toBe(false);
  });
});
