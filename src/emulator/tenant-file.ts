/**
 * The tenant file: everything the Graph emulator serves, in Graph's own shapes, so that an administrator can build
 * one from real Graph exports (GET the same paths, paste the `value` arrays). Reference: docs/tenant-file.md.
 *
 * Conventions
 * - Every object is written exactly as Graph returns it (Microsoft property names, `@odata.type` on polymorphic
 *   members). Properties Graph would return as null may be omitted; the emulator fills them with null.
 * - Relations Graph exposes as navigation properties are written as id lists on the owning object, in the
 *   `x-emulator` namespace-free fields named below (`managerId`, `memberIds`, `registeredOwnerIds`…).
 * - Times are ISO 8601 UTC. When `capturedDateTime` is set and `rebaseTimes` is true, every time in the file is shifted
 *   by (emulator start − capturedDateTime), so a practice tenant's "two minutes ago" stays two minutes ago.
 */

export interface TenantFile {
  /** Format version of this file; currently 1. */
  formatVersion: 1;
  /** The moment the data was exported or written, ISO 8601 UTC. */
  capturedDateTime?: string;
  /** Shift all times so that capturedDateTime becomes the emulator's start time. Default false. */
  rebaseTimes?: boolean;

  /** GET /organization — `id` is the tenant id. */
  organization: {
    id: string;
    displayName: string;
    verifiedDomains: Array<{ name: string; isDefault: boolean; isInitial?: boolean; type?: string }>;
  };

  /** Practice personas: which user exercises which branch of the bot. Not a Graph concept; documentation data. */
  personas?: TenantPersona[];

  /** GET /users — plus `managerId` (GET /users/{id}/manager). */
  users: Array<TenantUser>;

  /** GET /groups — plus `memberIds` (direct members: user or group ids; group nesting is resolved transitively). */
  groups: Array<TenantGroup>;

  /** GET /devices — plus `registeredOwnerIds` / `registeredUserIds`. */
  devices?: Array<TenantDevice>;

  /** GET /roleManagement/directory/roleDefinitions (at least the roles referenced below). */
  roleDefinitions?: Array<{
    id: string;
    displayName: string;
    templateId: string;
    isBuiltIn: boolean;
    description?: string;
  }>;
  /** GET /roleManagement/directory/roleAssignments */
  roleAssignments?: Array<{ id: string; principalId: string; roleDefinitionId: string; directoryScopeId: string }>;
  /** GET /roleManagement/directory/roleEligibilityScheduleInstances */
  roleEligibilityScheduleInstances?: Array<{
    id: string;
    principalId: string;
    roleDefinitionId: string;
    directoryScopeId: string;
    startDateTime?: string | null;
    endDateTime?: string | null;
    memberType?: string;
    roleEligibilityScheduleId?: string;
  }>;
  /**
   * GET /identityGovernance/privilegedAccess/group/eligibilityScheduleInstances — PIM for Groups: a principal eligible
   * to become a member (or owner) of a group, e.g. a role-assignable group that holds a directory role.
   */
  privilegedAccessGroupEligibilityScheduleInstances?: Array<{
    id: string;
    groupId: string;
    principalId: string;
    accessId: "member" | "owner";
    memberType?: string;
    startDateTime?: string | null;
    endDateTime?: string | null;
    eligibilityScheduleId?: string;
  }>;

  /**
   * GET /policies/authenticationMethodsPolicy with its inline `authenticationMethodConfigurations` (each with
   * `@odata.type`). Must contain at least the `Fido2` and `TemporaryAccessPass` configurations.
   */
  authenticationMethodsPolicy: Record<string, unknown> & {
    authenticationMethodConfigurations: Array<Record<string, unknown> & { id: string; "@odata.type": string }>;
  };

  /** GET /users/{id}/authentication/methods per user id, polymorphic (each with `@odata.type`). */
  authenticationMethods: Record<string, Array<Record<string, unknown> & { id: string; "@odata.type": string }>>;

  /**
   * GET /reports/authenticationMethods/userRegistrationDetails. Optional per user: when a user has no entry the
   * emulator derives one from the user's methods (as Entra's report would, minus its reporting delay).
   */
  userRegistrationDetails?: Array<Record<string, unknown> & { id: string }>;

  /**
   * GET /identity/conditionalAccess/policies (v1.0 `conditionalAccessPolicy`: `displayName`, `state`, `conditions`,
   * `grantControls` with an inline `authenticationStrength` { id, displayName, allowedCombinations }).
   */
  conditionalAccessPolicies?: Array<Record<string, unknown> & { id: string; displayName: string; state: string }>;

  /** GET /beta/auditLogs/signIns (beta shape, with authenticationDetails / authenticationRequirement). */
  signIns?: Array<Record<string, unknown> & { id: string; createdDateTime: string; userId: string }>;

  /** GET /auditLogs/directoryAudits */
  directoryAudits?: Array<
    Record<string, unknown> & { id: string; activityDateTime: string; activityDisplayName: string }
  >;

  /** GET /users/{id}/teamwork/installedApps per user id: the Teams app ids installed for that user. */
  teamsAppInstallations?: Record<string, Array<{ id: string; teamsAppId: string; displayName?: string }>>;

  /**
   * App registrations allowed to get tokens from POST /{tenantId}/oauth2/v2.0/token (client credentials), with the
   * application permissions (app roles) admin-consented for them. Not a Graph export: emulator configuration.
   */
  applications: Array<{
    appId: string;
    displayName: string;
    clientSecret: string;
    applicationPermissions: string[];
  }>;
}

export interface TenantPersona {
  /** Short stable key used by `npm start -- --as <key>` and by tests, e.g. "no-mfa-method". */
  key: string;
  userPrincipalName: string;
  /** The role the persona plays in the Playground: end user, help-desk agent, manager/approver, admin. */
  role: "user" | "agent" | "manager" | "admin";
  /** The branch of the bot this persona exercises, in one sentence. */
  exercises: string;
  /** What the persona tries when triaged: the scenario docs/personas.md assumes for its expected answers. */
  scenario?: PersonaScenario;
  /** The triage answers docs/personas.md promises for that scenario, before any follow-up is answered. */
  expected?: PersonaExpectation;
}

export interface PersonaScenario {
  /** A `Platform` of src/capabilities/triage/engine/diagnosis.ts: windows, ios, android, securityKey, otherDeviceQr, unknown. */
  platform: string;
  /** The authenticator the persona uses, lower-case. */
  aaGuid: string | null;
  /** True when the phone is reached from a desktop browser by QR code / hybrid (CTAP caBLE). */
  isCrossDevice?: boolean;
}

export interface PersonaExpectation {
  /** Verdicts (`pass` | `fail` | `warn` | `unknown`) per question id of src/capabilities/triage/engine/diagnosis.ts. */
  policyScope: string;
  freshMfa: string;
  platform: string;
  authenticator: string;
  firstBlocking: string | null;
  needsTemporaryAccessPass: boolean;
  /**
   * What the agent's triage answers otherwise: it also reads the person's directory audit log of the last 7 days
   * (e.g. a UPN change after the passkey was registered), which an end user's own triage does not read.
   */
  agentPath?: Partial<Omit<PersonaExpectation, "agentPath">>;
}

export type TenantUser = Record<string, unknown> & {
  id: string;
  userPrincipalName: string;
  displayName: string;
  accountEnabled?: boolean;
  userType?: "Member" | "Guest";
  /** For external guests: `creationType` "Invitation" and a `#EXT#` UPN, as Graph shows them. */
  creationType?: string | null;
  managerId?: string | null;
};

export type TenantGroup = Record<string, unknown> & {
  id: string;
  displayName: string;
  securityEnabled?: boolean;
  mailEnabled?: boolean;
  groupTypes?: string[];
  memberIds: string[];
};

export type TenantDevice = Record<string, unknown> & {
  id: string;
  deviceId: string;
  displayName: string;
  operatingSystem: string;
  operatingSystemVersion?: string;
  trustType?: string | null;
  registeredOwnerIds?: string[];
  registeredUserIds?: string[];
};
