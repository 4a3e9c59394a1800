import { describe, expect, it } from "vitest";
import { findPersona, practicePersonas, UnknownPersonaError } from "../../src/dev/practice-personas.js";
import type { TenantFile } from "../../src/emulator/tenant-file.js";

const tenant = {
  formatVersion: 1,
  organization: { id: "t", displayName: "Contoso (practice)", verifiedDomains: [] },
  personas: [
    {
      key: "agent-1",
      userPrincipalName: "Agent-1@contosopractice.onmicrosoft.com",
      role: "agent",
      exercises: "triage",
    },
  ],
  users: [
    {
      id: "11111111-1111-4111-8111-111111111111",
      userPrincipalName: "agent-1@contosopractice.onmicrosoft.com",
      displayName: "Avery Agent",
    },
  ],
  groups: [],
  authenticationMethodsPolicy: { authenticationMethodConfigurations: [] },
  authenticationMethods: {},
  applications: [],
} satisfies TenantFile;

describe("practicePersonas", () => {
  it("joins each persona with its directory user by UPN, ignoring case, and derives missing name parts", () => {
    const [agent] = practicePersonas(tenant);
    expect(agent).toMatchObject({
      key: "agent-1",
      role: "agent",
      objectId: "11111111-1111-4111-8111-111111111111",
      givenName: "Avery",
      surname: "Agent",
      mail: "agent-1@contosopractice.onmicrosoft.com",
    });
  });

  it("refuses an unknown persona key with a message that lists the valid keys", () => {
    const personas = practicePersonas(tenant);
    expect(() => findPersona(personas, "nobody")).toThrow(UnknownPersonaError);
    expect(() => findPersona(personas, "nobody")).toThrow(/choose one of: agent-1/);
  });

  it("refuses a persona whose user is not in the tenant file", () => {
    const broken = { ...tenant, users: [] };
    expect(() => practicePersonas(broken)).toThrow(/must name a user of the tenant file/);
  });
});
