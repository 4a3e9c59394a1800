import { isGuid } from "../text/is-guid.js";
import {
  type ErrorFamily,
  errorCodes,
  parseSelect,
  project,
  rejectUnknownOptions,
  respondCollection,
  validateSelect,
} from "./collection-query.js";
import { GraphHttpError } from "./graph-http-error.js";
import { graphDateTime } from "./load-tenant.js";
import type { TenantUser } from "./tenant-file.js";
import type { TenantState } from "./tenant-state.js";
import type { ThrottleBucketName } from "./throttle-buckets.js";

export interface RouteContext {
  method: string;
  version: "v1.0" | "beta";
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: unknown;
  app: { appId: string; displayName: string };
  baseUrl: string;
  /** Absolute URL of this request without its query string. */
  requestUrl: string;
  state: TenantState;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface GraphRoute {
  id: string;
  method: "GET" | "POST" | "DELETE";
  /** Path below /v1.0 or /beta; `{name}` captures one segment. Literal segments match case-insensitively. */
  pattern: string;
  betaOnly?: boolean;
  bucket: ThrottleBucketName;
  /** ResourceUnits before query modifiers (identity bucket). */
  baseCost: number;
  family: ErrorFamily;
  handle(context: RouteContext): RouteResult;
}

const userDefaultProperties = [
  "businessPhones",
  "displayName",
  "givenName",
  "jobTitle",
  "mail",
  "mobilePhone",
  "officeLocation",
  "preferredLanguage",
  "surname",
  "userPrincipalName",
  "id",
];
const userKnownProperties = [
  ...userDefaultProperties,
  "accountEnabled",
  "userType",
  "creationType",
  "department",
  "employeeId",
  "companyName",
  "createdDateTime",
  "externalUserState",
  "onPremisesSyncEnabled",
  "otherMails",
  "proxyAddresses",
  "usageLocation",
  "signInActivity",
];
const userFilterable: Record<string, string[]> = {
  id: ["eq", "ne", "in"],
  userPrincipalName: ["eq", "ne", "startswith", "endswith", "in"],
  displayName: ["eq", "ne", "startswith", "endswith", "in"],
  mail: ["eq", "ne", "startswith", "endswith", "in"],
  givenName: ["eq", "ne", "startswith", "in"],
  surname: ["eq", "ne", "startswith", "in"],
  jobTitle: ["eq", "ne", "startswith", "in"],
  department: ["eq", "ne", "startswith", "in"],
  employeeId: ["eq", "ne", "startswith", "in"],
  accountEnabled: ["eq", "ne"],
  userType: ["eq", "ne", "in"],
  creationType: ["eq", "ne", "in"],
};
const directoryAdvanced = ["ne", "not", "endswith"];
const internalFields = new Set([
  "managerId",
  "memberIds",
  "registeredOwnerIds",
  "registeredUserIds",
  "x-emulator-used",
]);

function publicView(entity: Record<string, unknown>, odataType?: string): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  if (odataType) view["@odata.type"] = odataType;
  for (const [key, value] of Object.entries(entity)) if (!internalFields.has(key)) view[key] = value;
  return view;
}

function userView(user: TenantUser): Record<string, unknown> {
  return { businessPhones: [], ...publicView(user) };
}

function notFound(id: string): GraphHttpError {
  return new GraphHttpError(
    404,
    "Request_ResourceNotFound",
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

function requireUser(context: RouteContext): TenantUser {
  const key = context.params.user as string;
  const user = context.state.findUser(key);
  if (!user) throw notFound(key);
  return user;
}

function metadata(context: RouteContext, fragment: string): string {
  return `${context.baseUrl}/${context.version}/$metadata#${fragment}`;
}

function entityResponse(
  context: RouteContext,
  family: ErrorFamily,
  fragment: string,
  entity: Record<string, unknown>,
  options: { typeName: string; defaults?: string[]; known?: string[] } = { typeName: "entity" },
): RouteResult {
  rejectUnknownOptions(
    context.query,
    ["$select", ...(options.typeName === "microsoft.graph.user" ? ["$expand"] : [])],
    family,
  );
  if (context.query.has("$expand")) {
    throw new GraphHttpError(
      400,
      errorCodes[family].badRequest,
      `Expansion of '${context.query.get("$expand")}' is not supported.`,
    );
  }
  const select = parseSelect(context.query);
  validateSelect(select, [entity], options.known, family, options.typeName, context.version);
  const selectFragment = select ? `(${select.join(",")})` : "";
  return {
    status: 200,
    body: {
      "@odata.context": metadata(context, `${fragment}${selectFragment}/$entity`),
      ...project(entity, select, options.defaults, { typeName: options.typeName, version: context.version }),
    },
  };
}

function collection(
  context: RouteContext,
  family: ErrorFamily,
  fragment: string,
  items: Array<Record<string, unknown>> | (() => Array<Record<string, unknown>>),
  typeName: string,
  options: Partial<Parameters<typeof respondCollection>[1]> = {},
): RouteResult {
  return {
    status: 200,
    body: respondCollection(
      items,
      {
        family,
        requestUrl: context.requestUrl,
        query: context.query,
        headers: context.headers,
        context: metadata(context, fragment),
        defaultPageSize: 100,
        maxPageSize: 999,
        version: context.version,
        ...options,
      },
      typeName,
    ),
  };
}

function groupView(group: Record<string, unknown>): Record<string, unknown> {
  return publicView(
    {
      description: null,
      mail: null,
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: [],
      visibility: null,
      ...group,
    },
    "#microsoft.graph.group",
  );
}

function directoryObjectsCollection(context: RouteContext, groups: Array<Record<string, unknown>>, cast: boolean) {
  return collection(
    context,
    "directory",
    cast ? "groups" : "directoryObjects",
    groups.map(groupView),
    cast ? "microsoft.graph.group" : "microsoft.graph.directoryObject",
    {
      filterable: {
        id: ["eq", "in"],
        displayName: ["eq", "startswith", "in"],
        securityEnabled: ["eq"],
        mailEnabled: ["eq"],
      },
      filterNeedsAdvanced: true,
      advancedOperators: directoryAdvanced,
      countable: true,
      knownProperties: [
        "id",
        "displayName",
        "description",
        "securityEnabled",
        "mailEnabled",
        "groupTypes",
        "mail",
        "isAssignableToRole",
      ],
    },
  );
}

function devicesOf(context: RouteContext, field: "registeredOwnerIds" | "registeredUserIds"): RouteResult {
  const user = requireUser(context);
  const devices = context.state.devicesOf(user.id, field);
  return collection(
    context,
    "directory",
    "directoryObjects",
    devices.map((device) =>
      publicView({ accountEnabled: true, trustType: null, ...device }, "#microsoft.graph.device"),
    ),
    "microsoft.graph.directoryObject",
    {
      countable: true,
      knownProperties: ["id", "deviceId", "displayName", "operatingSystem", "operatingSystemVersion", "trustType"],
    },
  );
}

const methodFamilies = [
  { key: "fido2", segment: "fido2Methods", type: "#microsoft.graph.fido2AuthenticationMethod", deletable: true },
  {
    key: "windowsHello",
    segment: "windowsHelloForBusinessMethods",
    type: "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod",
    deletable: true,
  },
  {
    key: "authenticatorApp",
    segment: "microsoftAuthenticatorMethods",
    type: "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
    deletable: true,
  },
  { key: "phone", segment: "phoneMethods", type: "#microsoft.graph.phoneAuthenticationMethod", deletable: false },
  {
    key: "tap",
    segment: "temporaryAccessPassMethods",
    type: "#microsoft.graph.temporaryAccessPassAuthenticationMethod",
    deletable: true,
  },
] as const;

/** A stored method as Graph returns it: TAP codes are never readable again, usability is computed now. */
function methodView(context: RouteContext, userId: string, method: Record<string, unknown>): Record<string, unknown> {
  const view = publicView(method);
  if (method["@odata.type"] === "#microsoft.graph.temporaryAccessPassAuthenticationMethod") {
    Object.assign(view, { temporaryAccessPass: null }, context.state.temporaryAccessPassUsability(userId, method));
  }
  if (method["@odata.type"] === "#microsoft.graph.fido2AuthenticationMethod") delete view.publicKeyCredential;
  return view;
}

function methodRoutes(): GraphRoute[] {
  const routes: GraphRoute[] = [];
  for (const family of methodFamilies) {
    const base = `users/{user}/authentication/${family.segment}`;
    const fragment = (userId: string) => `users('${userId}')/authentication/${family.segment}`;
    routes.push({
      id: `${family.key}.list`,
      method: "GET",
      pattern: base,
      bucket: "reports",
      baseCost: 1,
      family: "authMethods",
      handle(context) {
        const user = requireUser(context);
        const methods = context.state
          .methodsOf(user.id)
          .filter((method) => method["@odata.type"] === family.type)
          .map((method) => methodView(context, user.id, method));
        return collection(context, "authMethods", fragment(user.id), methods, family.type.slice(1), {
          knownProperties: ["id", "displayName", "createdDateTime"],
        });
      },
    });
    routes.push({
      id: `${family.key}.get`,
      method: "GET",
      pattern: `${base}/{methodId}`,
      bucket: "reports",
      baseCost: 1,
      family: "authMethods",
      handle(context) {
        const user = requireUser(context);
        const method = context.state
          .methodsOf(user.id)
          .find((candidate) => candidate.id === context.params.methodId && candidate["@odata.type"] === family.type);
        if (!method)
          throw new GraphHttpError(404, "itemNotFound", `The requested ${family.segment} item was not found.`);
        return entityResponse(context, "authMethods", fragment(user.id), methodView(context, user.id, method), {
          typeName: family.type.slice(1),
        });
      },
    });
    if (family.deletable) {
      routes.push({
        id: `${family.key}.delete`,
        method: "DELETE",
        pattern: `${base}/{methodId}`,
        bucket: "reports",
        baseCost: 1,
        family: "authMethods",
        handle(context) {
          const user = requireUser(context);
          const methods = context.state.methodsOf(user.id);
          const index = methods.findIndex(
            (candidate) => candidate.id === context.params.methodId && candidate["@odata.type"] === family.type,
          );
          if (index < 0)
            throw new GraphHttpError(404, "itemNotFound", `The requested ${family.segment} item was not found.`);
          methods.splice(index, 1);
          return { status: 204 };
        },
      });
    }
  }
  return routes;
}

function createTemporaryAccessPass(context: RouteContext): RouteResult {
  const { state } = context;
  const user = requireUser(context);
  const body = (context.body ?? {}) as Record<string, unknown>;
  if (typeof body !== "object" || Array.isArray(body)) {
    throw new GraphHttpError(400, "badRequest", "The request body must be a JSON object.");
  }
  const policy = state.methodConfiguration("TemporaryAccessPass") as Record<string, unknown>;
  if (policy.state !== "enabled") {
    throw new GraphHttpError(
      400,
      "badRequest",
      "Converged UserCredentialPolicy does not allow creating or updating TemporaryAccessPass for this user.",
    );
  }
  if (state.isExternalGuest(user)) {
    throw new GraphHttpError(400, "badRequest", "Temporary Access Pass cannot be added to an external guest user.");
  }
  const minimum = Number(policy.minimumLifetimeInMinutes ?? 60);
  const maximum = Number(policy.maximumLifetimeInMinutes ?? 480);
  const lifetime =
    body.lifetimeInMinutes === undefined ? Number(policy.defaultLifetimeInMinutes ?? 60) : body.lifetimeInMinutes;
  if (typeof lifetime !== "number" || !Number.isInteger(lifetime) || lifetime < minimum || lifetime > maximum) {
    throw new GraphHttpError(
      400,
      "badRequest",
      `Invalid LifetimeInMinutes specified. The valid range between ${minimum} and ${maximum}.`,
    );
  }
  let startDateTime = state.nowIso();
  if (body.startDateTime !== undefined) {
    if (typeof body.startDateTime !== "string" || Number.isNaN(Date.parse(body.startDateTime))) {
      throw new GraphHttpError(400, "badRequest", "Invalid StartDateTime specified.");
    }
    startDateTime = graphDateTime(Date.parse(body.startDateTime));
  }
  if (body.isUsableOnce !== undefined && typeof body.isUsableOnce !== "boolean") {
    throw new GraphHttpError(400, "badRequest", "Invalid IsUsableOnce specified.");
  }
  const isUsableOnce = policy.isUsableOnce === true ? true : (body.isUsableOnce ?? false);
  const methods = state.methodsOf(user.id);
  for (let index = methods.length - 1; index >= 0; index--) {
    if (methods[index]?.["@odata.type"] === "#microsoft.graph.temporaryAccessPassAuthenticationMethod")
      methods.splice(index, 1);
  }
  const stored = {
    "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethod",
    id: state.newId(),
    createdDateTime: state.nowIso(),
    startDateTime,
    lifetimeInMinutes: lifetime,
    isUsableOnce,
  };
  methods.push(stored);
  const code = state.newTemporaryAccessPassCode(Number(policy.defaultLength ?? 8));
  state.appendAudit({
    activityDisplayName: "Admin registered security info",
    loggedByService: "Authentication Methods",
    resultReason: "Admin registered temporary access pass method",
    initiatedBy: {
      user: null,
      app: {
        appId: context.app.appId,
        displayName: context.app.displayName,
        servicePrincipalId: null,
        servicePrincipalName: context.app.displayName,
      },
    },
    targetResources: [state.auditTarget(user)],
  });
  return {
    status: 201,
    headers: { Location: `${context.requestUrl}/${stored.id}` },
    body: {
      "@odata.context": metadata(context, `users('${user.id}')/authentication/temporaryAccessPassMethods/$entity`),
      ...stored,
      temporaryAccessPass: code,
      ...state.temporaryAccessPassUsability(user.id, stored),
    },
  };
}

function withoutDisabledAccounts<T extends { id: string }>(context: RouteContext, entries: T[]): T[] {
  const disabled = new Set(context.state.users.filter((user) => user.accountEnabled === false).map((user) => user.id));
  return disabled.size === 0 ? entries : entries.filter((entry) => !disabled.has(entry.id));
}

const registrationFilterable: Record<string, string[]> = {
  id: ["eq"],
  userPrincipalName: ["eq", "startswith"],
  userDisplayName: ["eq", "startswith"],
  userType: ["eq"],
  isAdmin: ["eq"],
  isMfaCapable: ["eq"],
  isMfaRegistered: ["eq"],
  isPasswordlessCapable: ["eq"],
  isSsprCapable: ["eq"],
  isSsprEnabled: ["eq"],
  isSsprRegistered: ["eq"],
  isSystemPreferredAuthenticationMethodEnabled: ["eq"],
  "methodsRegistered/any": ["eq"],
  "systemPreferredAuthenticationMethods/any": ["eq"],
};

const auditFilterable: Record<string, string[]> = {
  id: ["eq"],
  activityDateTime: ["eq", "ge", "le", "gt", "lt"],
  activityDisplayName: ["eq", "startswith"],
  category: ["eq"],
  correlationId: ["eq"],
  loggedByService: ["eq"],
  result: ["eq"],
  "initiatedBy/user/id": ["eq"],
  "initiatedBy/user/displayName": ["eq"],
  "initiatedBy/user/userPrincipalName": ["eq", "startswith"],
  "initiatedBy/app/appId": ["eq"],
  "initiatedBy/app/displayName": ["eq"],
  "targetResources/any/id": ["eq"],
  "targetResources/any/displayName": ["eq"],
};

const signInFilterable: Record<string, string[]> = {
  id: ["eq"],
  userId: ["eq"],
  userPrincipalName: ["eq", "startswith"],
  userDisplayName: ["eq", "startswith"],
  createdDateTime: ["eq", "ge", "le", "gt", "lt"],
  appId: ["eq"],
  appDisplayName: ["eq", "startswith"],
  ipAddress: ["eq", "startswith"],
  isInteractive: ["eq"],
  conditionalAccessStatus: ["eq"],
  "status/errorCode": ["eq"],
};
const betaSignInFilterable: Record<string, string[]> = {
  ...signInFilterable,
  authenticationRequirement: ["eq"],
  "signInEventTypes/any": ["eq"],
};
const betaOnlySignInProperties = [
  "authenticationDetails",
  "authenticationRequirement",
  "authenticationRequirementPolicies",
  "authenticationMethodsUsed",
  "mfaDetail",
  "signInEventTypes",
  "isTenantRestricted",
  "originalRequestId",
  "uniqueTokenIdentifier",
  "crossTenantAccessType",
  "userType",
];

function signInView(context: RouteContext, signIn: Record<string, unknown>): Record<string, unknown> {
  const view = publicView(signIn);
  if (context.version === "v1.0") for (const key of betaOnlySignInProperties) delete view[key];
  return view;
}

function installationView(installation: { id: string; teamsAppId: string; displayName?: string }) {
  return {
    id: installation.id,
    teamsApp: { id: installation.teamsAppId, displayName: installation.displayName ?? null },
  };
}

function expandInstallation(item: Record<string, unknown>, expand: string): Record<string, unknown> {
  const app = item.teamsApp as { id: string; displayName: string | null };
  const { teamsApp: _hidden, ...rest } = item;
  const expanded: Record<string, unknown> = { ...rest };
  for (const part of expand.split(",").map((name) => name.trim())) {
    if (part === "teamsApp") {
      expanded.teamsApp = {
        id: app.id,
        externalId: null,
        displayName: app.displayName,
        distributionMethod: "organization",
      };
    } else if (part === "teamsAppDefinition") {
      expanded.teamsAppDefinition = {
        id: Buffer.from(`${app.id}#1.0.0`).toString("base64url"),
        teamsAppId: app.id,
        displayName: app.displayName,
        version: "1.0.0",
      };
    }
  }
  return expanded;
}

function roleCollection(
  context: RouteContext,
  key: "roleAssignments" | "roleEligibilityScheduleInstances",
): RouteResult {
  const definitions = context.state.tenant.roleDefinitions ?? [];
  // Only unifiedRoleAssignment declares `condition`; the eligibility instance does not.
  const defaults = key === "roleAssignments" ? { appScopeId: null, condition: null } : { appScopeId: null };
  const items = (context.state.tenant[key] ?? []).map((item) => ({ ...defaults, ...item }));
  return collection(
    context,
    "directory",
    `roleManagement/directory/${key}`,
    items,
    `microsoft.graph.unifiedRole${key === "roleAssignments" ? "Assignment" : "EligibilityScheduleInstance"}`,
    {
      filterable: { id: ["eq"], principalId: ["eq"], roleDefinitionId: ["eq"], directoryScopeId: ["eq"] },
      expandable: ["roleDefinition", "principal"],
      expand(item, expand) {
        const expanded = { ...item };
        for (const part of expand.split(/,(?![^(]*\))/).map((name) => name.trim().split("(")[0])) {
          if (part === "roleDefinition") {
            const definition = definitions.find((candidate) => candidate.id === item.roleDefinitionId);
            expanded.roleDefinition = definition ? { description: null, rolePermissions: [], ...definition } : null;
          }
          if (part === "principal") {
            const principal = context.state.findUser(String(item.principalId));
            expanded.principal = principal
              ? {
                  "@odata.type": "#microsoft.graph.user",
                  id: principal.id,
                  displayName: principal.displayName,
                  userPrincipalName: principal.userPrincipalName,
                }
              : null;
          }
        }
        return expanded;
      },
    },
  );
}

/** Every Graph path the emulator serves (v1.0 and beta unless `betaOnly`). Permissions: graph-permissions.ts. */
export const graphRoutes: GraphRoute[] = [
  {
    id: "users.list",
    method: "GET",
    pattern: "users",
    bucket: "identity",
    baseCost: 2,
    family: "directory",
    handle(context) {
      return collection(
        context,
        "directory",
        "users",
        () => context.state.users.map(userView),
        "microsoft.graph.user",
        {
          filterable: userFilterable,
          advancedOperators: directoryAdvanced,
          orderable: ["displayName", "userPrincipalName"],
          countable: true,
          searchable: ["displayName", "userPrincipalName", "mail"],
          knownProperties: userKnownProperties,
          defaultProperties: context.version === "v1.0" ? userDefaultProperties : undefined,
        },
      );
    },
  },
  {
    id: "users.get",
    method: "GET",
    pattern: "users/{user}",
    bucket: "identity",
    baseCost: 1,
    family: "directory",
    handle(context) {
      const user = requireUser(context);
      return entityResponse(context, "directory", "users", userView(user), {
        typeName: "microsoft.graph.user",
        defaults: context.version === "v1.0" ? userDefaultProperties : undefined,
        known: userKnownProperties,
      });
    },
  },
  {
    id: "users.manager",
    method: "GET",
    pattern: "users/{user}/manager",
    bucket: "identity",
    baseCost: 1,
    family: "directory",
    handle(context) {
      const user = requireUser(context);
      const manager = user.managerId ? context.state.findUser(user.managerId) : undefined;
      if (!manager) {
        throw new GraphHttpError(
          404,
          "Request_ResourceNotFound",
          "Resource 'manager' does not exist or one of its queried reference-property objects are not present.",
        );
      }
      return entityResponse(
        context,
        "directory",
        "directoryObjects",
        { "@odata.type": "#microsoft.graph.user", ...userView(manager) },
        {
          typeName: "microsoft.graph.directoryObject",
          known: userKnownProperties,
        },
      );
    },
  },
  ...(["memberOf", "transitiveMemberOf"] as const).flatMap((relation): GraphRoute[] =>
    [false, true].map((cast) => ({
      id: `users.${relation}`,
      method: "GET" as const,
      pattern: `users/{user}/${relation}${cast ? "/microsoft.graph.group" : ""}`,
      bucket: "identity" as const,
      baseCost: 2,
      family: "directory" as const,
      handle(context: RouteContext) {
        const user = requireUser(context);
        const groups =
          relation === "memberOf" ? context.state.directGroupsOf(user.id) : context.state.transitiveGroupsOf(user.id);
        return directoryObjectsCollection(context, groups, cast);
      },
    })),
  ),
  {
    id: "users.checkMemberGroups",
    method: "POST",
    pattern: "users/{user}/checkMemberGroups",
    bucket: "identity",
    baseCost: 4,
    family: "directory",
    handle(context) {
      const user = requireUser(context);
      const groupIds = (context.body as { groupIds?: unknown } | null)?.groupIds;
      if (!Array.isArray(groupIds) || groupIds.some((id) => typeof id !== "string")) {
        throw new GraphHttpError(400, "Request_BadRequest", "Invalid request: 'groupIds' must be an array of strings.");
      }
      if (groupIds.length > 20) {
        throw new GraphHttpError(
          400,
          "Request_BadRequest",
          "The number of groupIds in the request exceeds the limit of 20.",
        );
      }
      for (const id of groupIds) {
        if (!isGuid(id)) {
          throw new GraphHttpError(400, "Request_BadRequest", `Invalid GUID:${id}`);
        }
      }
      const memberOf = new Set(context.state.transitiveGroupsOf(user.id).map((group) => group.id.toLowerCase()));
      return {
        status: 200,
        body: {
          "@odata.context": metadata(context, "Collection(Edm.String)"),
          value: (groupIds as string[]).filter((id) => memberOf.has(id.toLowerCase())),
        },
      };
    },
  },
  {
    id: "users.ownedDevices",
    method: "GET",
    pattern: "users/{user}/ownedDevices",
    bucket: "identity",
    baseCost: 1,
    family: "directory",
    handle: (context) => devicesOf(context, "registeredOwnerIds"),
  },
  {
    id: "users.registeredDevices",
    method: "GET",
    pattern: "users/{user}/registeredDevices",
    bucket: "identity",
    baseCost: 1,
    family: "directory",
    handle: (context) => devicesOf(context, "registeredUserIds"),
  },
  {
    id: "users.installedApps.list",
    method: "GET",
    pattern: "users/{user}/teamwork/installedApps",
    bucket: "none",
    baseCost: 1,
    family: "teams",
    handle(context) {
      const user = requireUser(context);
      const installations = (context.state.tenant.teamsAppInstallations?.[user.id] ?? []).map(installationView);
      return collection(
        context,
        "teams",
        `users('${user.id}')/teamwork/installedApps`,
        installations,
        "microsoft.graph.userScopeTeamsAppInstallation",
        {
          filterable: { "teamsApp/id": ["eq"], "teamsApp/externalId": ["eq"] },
          expandable: ["teamsApp", "teamsAppDefinition"],
          knownProperties: ["id"],
          defaultProperties: ["id"],
          expand: (item, expand) => {
            const source = installations.find((candidate) => candidate.id === item.id);
            return expandInstallation({ ...item, teamsApp: source?.teamsApp }, expand);
          },
        },
      );
    },
  },
  {
    id: "users.installedApps.install",
    method: "POST",
    pattern: "users/{user}/teamwork/installedApps",
    bucket: "none",
    baseCost: 1,
    family: "teams",
    handle(context) {
      const user = requireUser(context);
      const binding = (context.body as Record<string, unknown> | null)?.["teamsApp@odata.bind"];
      const match = typeof binding === "string" ? /\/appCatalogs\/teamsApps\/([^/?]+)$/.exec(binding) : null;
      if (!match) {
        throw new GraphHttpError(
          400,
          "BadRequest",
          "The 'teamsApp@odata.bind' property must reference /appCatalogs/teamsApps/{id}.",
        );
      }
      const teamsAppId = decodeURIComponent(match[1] as string);
      context.state.tenant.teamsAppInstallations ??= {};
      const installations = context.state.tenant.teamsAppInstallations;
      installations[user.id] ??= [];
      const mine = installations[user.id] as Array<{ id: string; teamsAppId: string }>;
      if (mine.some((installation) => installation.teamsAppId === teamsAppId)) {
        throw new GraphHttpError(409, "Conflict", "App is already installed for this user.");
      }
      mine.push({ id: Buffer.from(`${user.id}##${teamsAppId}`).toString("base64url"), teamsAppId });
      return { status: 201 };
    },
  },
  {
    id: "groups.list",
    method: "GET",
    pattern: "groups",
    bucket: "identity",
    baseCost: 2,
    family: "directory",
    handle(context) {
      return collection(context, "directory", "groups", context.state.groups.map(groupView), "microsoft.graph.group", {
        filterable: {
          id: ["eq", "in"],
          displayName: ["eq", "startswith", "in", "ne"],
          securityEnabled: ["eq"],
          mailEnabled: ["eq"],
        },
        advancedOperators: directoryAdvanced,
        countable: true,
        orderable: ["displayName"],
      });
    },
  },
  {
    id: "groups.get",
    method: "GET",
    pattern: "groups/{group}",
    bucket: "identity",
    baseCost: 1,
    family: "directory",
    handle(context) {
      const group = context.state.groups.find((candidate) => candidate.id === context.params.group);
      if (!group) throw notFound(context.params.group as string);
      const { "@odata.type": _type, ...view } = groupView(group);
      return entityResponse(context, "directory", "groups", view, { typeName: "microsoft.graph.group" });
    },
  },
  // `/microsoft.graph.user` casts to users only (nested groups dropped), as Graph's OData type cast does.
  ...(["members", "transitiveMembers"] as const).flatMap((relation): GraphRoute[] =>
    [false, true].map((cast) => ({
      id: `groups.${relation}`,
      method: "GET" as const,
      pattern: `groups/{group}/${relation}${cast ? "/microsoft.graph.user" : ""}`,
      bucket: "identity" as const,
      baseCost: relation === "members" ? 1 : 5,
      family: "directory" as const,
      handle(context: RouteContext) {
        const group = context.state.groups.find((candidate) => candidate.id === context.params.group);
        if (!group) throw notFound(context.params.group as string);
        // Built once per query: later pages are cut from the same result set (collection-query.ts), so a ring of
        // 100,000 members is not resolved and rendered again for each of its pages.
        const members = () =>
          (relation === "members" ? group.memberIds : context.state.transitiveMembersOf(group.id)).flatMap((id) => {
            const user = context.state.findUser(id);
            if (user) return [{ "@odata.type": "#microsoft.graph.user", ...userView(user) }];
            const nested = cast ? undefined : context.state.groups.find((candidate) => candidate.id === id);
            return nested ? [groupView(nested)] : [];
          });
        return collection(
          context,
          "directory",
          cast ? "users" : "directoryObjects",
          members,
          cast ? "microsoft.graph.user" : "microsoft.graph.directoryObject",
          { countable: true, knownProperties: userKnownProperties },
        );
      },
    })),
  ),
  {
    id: "devices.get",
    method: "GET",
    pattern: "devices/{device}",
    bucket: "identity",
    baseCost: 1,
    family: "directory",
    handle(context) {
      const device = (context.state.tenant.devices ?? []).find((candidate) => candidate.id === context.params.device);
      if (!device) throw notFound(context.params.device as string);
      return entityResponse(context, "directory", "devices", publicView(device), {
        typeName: "microsoft.graph.device",
      });
    },
  },
  {
    id: "organization.list",
    method: "GET",
    pattern: "organization",
    bucket: "identity",
    baseCost: 1,
    family: "directory",
    handle(context) {
      return collection(
        context,
        "directory",
        "organization",
        [publicView(context.state.tenant.organization)],
        "microsoft.graph.organization",
      );
    },
  },
  {
    id: "roleAssignments.list",
    method: "GET",
    pattern: "roleManagement/directory/roleAssignments",
    bucket: "identity",
    baseCost: 1,
    family: "directory",
    handle: (context) => roleCollection(context, "roleAssignments"),
  },
  {
    id: "roleEligibilityScheduleInstances.list",
    method: "GET",
    pattern: "roleManagement/directory/roleEligibilityScheduleInstances",
    bucket: "identity",
    baseCost: 1,
    family: "directory",
    handle: (context) => roleCollection(context, "roleEligibilityScheduleInstances"),
  },
  {
    id: "privilegedAccessGroup.eligibilityScheduleInstances.list",
    method: "GET",
    pattern: "identityGovernance/privilegedAccess/group/eligibilityScheduleInstances",
    bucket: "identity",
    baseCost: 1,
    family: "directory",
    handle(context) {
      // Graph refuses this list without a filter on groupId or principalId.
      const filter = context.query.get("$filter") ?? "";
      if (!/\b(groupId|principalId)\s+eq\s/i.test(filter)) {
        throw new GraphHttpError(400, "BadRequest", "The request must specify a $filter on groupId or principalId.");
      }
      const items = (context.state.tenant.privilegedAccessGroupEligibilityScheduleInstances ?? []).map((item) => ({
        memberType: "direct",
        startDateTime: null,
        endDateTime: null,
        eligibilityScheduleId: item.id,
        ...item,
      }));
      return collection(
        context,
        "directory",
        "identityGovernance/privilegedAccess/group/eligibilityScheduleInstances",
        items,
        "microsoft.graph.privilegedAccessGroupEligibilityScheduleInstance",
        { filterable: { id: ["eq"], groupId: ["eq"], principalId: ["eq"], accessId: ["eq"] } },
      );
    },
  },
  {
    id: "policy.get",
    method: "GET",
    pattern: "policies/authenticationMethodsPolicy",
    bucket: "identity",
    baseCost: 1,
    family: "authMethods",
    handle(context) {
      return entityResponse(
        context,
        "authMethods",
        "policies/authenticationMethodsPolicy",
        {
          id: "authenticationMethodsPolicy",
          ...context.state.tenant.authenticationMethodsPolicy,
        },
        { typeName: "microsoft.graph.authenticationMethodsPolicy" },
      );
    },
  },
  {
    id: "conditionalAccess.policies.list",
    method: "GET",
    pattern: "identity/conditionalAccess/policies",
    bucket: "identity",
    baseCost: 1,
    family: "directory",
    handle(context) {
      return collection(
        context,
        "directory",
        "identity/conditionalAccess/policies",
        context.state.tenant.conditionalAccessPolicies ?? [],
        "microsoft.graph.conditionalAccessPolicy",
        {
          knownProperties: [
            "id",
            "displayName",
            "state",
            "conditions",
            "grantControls",
            "sessionControls",
            "createdDateTime",
            "modifiedDateTime",
            "description",
            "templateId",
          ],
        },
      );
    },
  },
  {
    id: "policy.configurations.list",
    method: "GET",
    pattern: "policies/authenticationMethodsPolicy/authenticationMethodConfigurations",
    bucket: "identity",
    baseCost: 1,
    family: "authMethods",
    handle(context) {
      return collection(
        context,
        "authMethods",
        "policies/authenticationMethodsPolicy/authenticationMethodConfigurations",
        context.state.tenant.authenticationMethodsPolicy.authenticationMethodConfigurations,
        "microsoft.graph.authenticationMethodConfiguration",
      );
    },
  },
  {
    id: "policy.configuration.get",
    method: "GET",
    pattern: "policies/authenticationMethodsPolicy/authenticationMethodConfigurations/{configuration}",
    bucket: "identity",
    baseCost: 1,
    family: "authMethods",
    handle(context) {
      const configuration = context.state.methodConfiguration(context.params.configuration as string);
      if (!configuration) {
        throw new GraphHttpError(
          404,
          "itemNotFound",
          `Authentication method configuration '${context.params.configuration}' was not found.`,
        );
      }
      return entityResponse(
        context,
        "authMethods",
        "policies/authenticationMethodsPolicy/authenticationMethodConfigurations",
        configuration,
        {
          typeName: String(configuration["@odata.type"]).slice(1),
        },
      );
    },
  },
  {
    id: "methods.list",
    method: "GET",
    pattern: "users/{user}/authentication/methods",
    bucket: "reports",
    baseCost: 1,
    family: "authMethods",
    handle(context) {
      const user = requireUser(context);
      const methods = context.state.methodsOf(user.id).map((method) => methodView(context, user.id, method));
      return collection(
        context,
        "authMethods",
        `users('${user.id}')/authentication/methods`,
        methods,
        "microsoft.graph.authenticationMethod",
        {
          knownProperties: ["id", "createdDateTime"],
        },
      );
    },
  },
  {
    id: "methods.requirements",
    method: "GET",
    pattern: "users/{user}/authentication/requirements",
    betaOnly: true,
    bucket: "reports",
    baseCost: 1,
    family: "authMethods",
    handle(context) {
      const user = requireUser(context);
      return entityResponse(
        context,
        "authMethods",
        `users('${user.id}')/authentication/requirements`,
        {
          perUserMfaState: String(user["x-emulator-perUserMfaState"] ?? "disabled"),
        },
        { typeName: "microsoft.graph.strongAuthenticationRequirements" },
      );
    },
  },
  ...methodRoutes(),
  {
    id: "tap.create",
    method: "POST",
    pattern: "users/{user}/authentication/temporaryAccessPassMethods",
    bucket: "reports",
    baseCost: 1,
    family: "authMethods",
    handle: createTemporaryAccessPass,
  },
  {
    id: "registrationDetails.list",
    method: "GET",
    pattern: "reports/authenticationMethods/userRegistrationDetails",
    bucket: "reports",
    baseCost: 1,
    family: "reports",
    handle(context) {
      return collection(
        context,
        "reports",
        "reports/authenticationMethods/userRegistrationDetails",
        // Entra's report leaves disabled accounts out (graph.md §4.1); the inventory lists them from /users instead.
        // Built once per query: later pages are cut from the same result set (collection-query.ts).
        () => withoutDisabledAccounts(context, context.state.registrationDetails()),
        "microsoft.graph.userRegistrationDetails",
        {
          filterable: registrationFilterable,
          orderable: ["userPrincipalName", "userDisplayName"],
        },
      );
    },
  },
  {
    id: "registrationDetails.get",
    method: "GET",
    pattern: "reports/authenticationMethods/userRegistrationDetails/{user}",
    bucket: "reports",
    baseCost: 1,
    family: "reports",
    handle(context) {
      const details = context.state.registrationDetailsOf(context.params.user as string);
      if (!details) throw notFound(context.params.user as string);
      return entityResponse(context, "reports", "reports/authenticationMethods/userRegistrationDetails", details, {
        typeName: "microsoft.graph.userRegistrationDetails",
      });
    },
  },
  {
    id: "directoryAudits.list",
    method: "GET",
    pattern: "auditLogs/directoryAudits",
    bucket: "reports",
    baseCost: 1,
    family: "reports",
    handle(context) {
      return collection(
        context,
        "reports",
        "auditLogs/directoryAudits",
        context.state.tenant.directoryAudits ?? [],
        "microsoft.graph.directoryAudit",
        {
          filterable: auditFilterable,
          orderable: ["activityDateTime"],
          defaultOrder: { path: "activityDateTime", descending: true },
        },
      );
    },
  },
  {
    id: "directoryAudits.get",
    method: "GET",
    pattern: "auditLogs/directoryAudits/{audit}",
    bucket: "reports",
    baseCost: 1,
    family: "reports",
    handle(context) {
      const audit = (context.state.tenant.directoryAudits ?? []).find((entry) => entry.id === context.params.audit);
      if (!audit) throw notFound(context.params.audit as string);
      return entityResponse(context, "reports", "auditLogs/directoryAudits", audit, {
        typeName: "microsoft.graph.directoryAudit",
      });
    },
  },
  {
    id: "signIns.list",
    method: "GET",
    pattern: "auditLogs/signIns",
    bucket: "reports",
    baseCost: 1,
    family: "reports",
    handle(context) {
      const signIns = () => (context.state.tenant.signIns ?? []).map((signIn) => signInView(context, signIn));
      return collection(context, "reports", "auditLogs/signIns", signIns, "microsoft.graph.signIn", {
        filterable: context.version === "beta" ? betaSignInFilterable : signInFilterable,
        orderable: ["createdDateTime"],
        defaultOrder: { path: "createdDateTime", descending: true },
        defaultPageSize: 1000,
        maxPageSize: 1000,
      });
    },
  },
  {
    id: "signIns.get",
    method: "GET",
    pattern: "auditLogs/signIns/{signIn}",
    bucket: "reports",
    baseCost: 1,
    family: "reports",
    handle(context) {
      const signIn = (context.state.tenant.signIns ?? []).find((entry) => entry.id === context.params.signIn);
      if (!signIn) throw notFound(context.params.signIn as string);
      return entityResponse(context, "reports", "auditLogs/signIns", signInView(context, signIn), {
        typeName: "microsoft.graph.signIn",
      });
    },
  },
];

export type RouteMatch = { route: GraphRoute; params: Record<string, string> } | { methodNotAllowed: true } | null;

/** Finds the route for a method and decoded path segments below the version. */
export function matchGraphRoute(method: string, segments: string[]): RouteMatch {
  let pathMatched = false;
  for (const route of graphRoutes) {
    const parts = route.pattern.split("/");
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = parts.every((part, index) => {
      const segment = segments[index] as string;
      if (part.startsWith("{")) {
        params[part.slice(1, -1)] = segment;
        return true;
      }
      return part.toLowerCase() === segment.toLowerCase();
    });
    if (!matches) continue;
    pathMatched = true;
    if (route.method === method) return { route, params };
  }
  return pathMatched ? { methodNotAllowed: true } : null;
}
