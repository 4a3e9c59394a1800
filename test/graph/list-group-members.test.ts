import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/start-emulator.js";
import { generateSyntheticTenant, SYNTHETIC_GROUP_IDS } from "../../src/emulator/synthetic-tenant.js";
import { createGraphGateway } from "../../src/graph/create-graph-gateway.js";
import { AccessDeniedError, NotFoundError } from "../../src/graph/graph-errors.js";
import { InvalidGraphIdentifierError } from "../../src/graph/odata-literal.js";
import { botApp, gatewayTenant, groups, limitedApp, users } from "./gateway-tenant.js";

let emulator: RunningEmulator;
let paging: RunningEmulator;

const gatewayFor = (target: RunningEmulator, app: { clientId: string; clientSecret: string }) =>
  createGraphGateway({ mode: "emulator", baseUrl: target.baseUrl, tenantId: target.tenantId, ...app });

beforeAll(async () => {
  const big = generateSyntheticTenant({ users: 260, seed: 3 });
  const approvers = big.groups.find((group) => group.id === SYNTHETIC_GROUP_IDS.tapApprovers);
  if (approvers) approvers.memberIds = big.users.slice(0, 230).map((user) => user.id);
  [emulator, paging] = await Promise.all([
    startEmulator({ port: 0, tenant: gatewayTenant(), throttleScale: 100 }),
    startEmulator({ port: 0, tenant: big, throttleScale: 100 }),
  ]);
});
afterAll(async () => {
  await Promise.all([emulator?.close(), paging?.close()]);
});

describe("listGroupMembers", () => {
  it("lists a group's users through /transitiveMembers/microsoft.graph.user with $select", async () => {
    const members = await gatewayFor(emulator, botApp).listGroupMembers(groups.approvers);
    expect(members.map((member) => member.id)).toEqual([users.manager]);
    expect(members[0]).toMatchObject({ userPrincipalName: expect.stringContaining("@"), accountEnabled: true });
    const logged = emulator.requestLog.at(-1);
    expect(logged?.path).toBe(`/v1.0/groups/${groups.approvers}/transitiveMembers/microsoft.graph.user`);
  });

  it("includes the users of nested groups and leaves the nested groups themselves out", async () => {
    const members = await gatewayFor(emulator, botApp).listGroupMembers(groups.pilotParent);
    expect(members.map((member) => member.id)).toEqual([users.alice]);
  });

  it("follows every page of a large group", async () => {
    const members = await gatewayFor(paging, botApp).listGroupMembers(SYNTHETIC_GROUP_IDS.tapApprovers);
    expect(members).toHaveLength(230);
    expect(new Set(members.map((member) => member.id)).size).toBe(230);
  });

  it("names GroupMember.Read.All when the app lacks it, and throws NotFoundError for an unknown group", async () => {
    const denied = await gatewayFor(emulator, limitedApp)
      .listGroupMembers(groups.approvers)
      .catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(AccessDeniedError);
    expect((denied as AccessDeniedError).missingPermission).toBe("GroupMember.Read.All");
    await expect(
      gatewayFor(emulator, botApp).listGroupMembers("0a11e3b0-0000-4000-8000-0000000000ff"),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuses a group id that is not a GUID before anything reaches Graph", async () => {
    const before = emulator.requestLog.length;
    await expect(gatewayFor(emulator, botApp).listGroupMembers("x/../users")).rejects.toBeInstanceOf(
      InvalidGraphIdentifierError,
    );
    expect(emulator.requestLog.length).toBe(before);
  });
});
