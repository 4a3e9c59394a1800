import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

/**
 * Writes src/emulator/entity-properties.ts: the properties each entity type the Graph emulator serves declares, so
 * `$select` is checked against the type (as Graph does) rather than against whatever the tenant data happens to hold.
 * Source: Microsoft's v1.0 OpenAPI component schemas (../shared/reference/graph-schemas.json), `allOf` inheritance
 * followed. The output is committed because production and CI must not need ../shared at run time; rerun after
 * changing this script: `npx tsx scripts/generate-entity-properties.ts [path/to/graph-schemas.json]`, then
 * `npx biome check --write src/emulator/entity-properties.ts`. test/emulator/select.test.ts keeps the two equal.
 */

export type Schema = {
  allOf?: Schema[];
  $ref?: string;
  properties?: Record<string, { "x-ms-navigationProperty"?: boolean }>;
};

interface TypeSource {
  /** Hand-added v1.0 members: the reference file is trimmed to what the project reads, Graph v1.0 declares these too. */
  v1?: { properties?: string[]; navigation?: string[] };
  /** Members only /beta declares. */
  beta?: string[];
  /** Not in the reference file at all: its base type there (members then come from `v1`). */
  base?: string;
  betaOnly?: boolean;
  /** Polymorphic directory collections: Graph's directory accepts members of these derived types in `$select`. */
  derived?: string[];
}

// Lists checked against Microsoft Graph v1.0 resource-type reference pages (and @microsoft/microsoft-graph-types).
const types: Record<string, TypeSource> = {
  "microsoft.graph.user": {
    v1: {
      properties: [
        "aboutMe",
        "ageGroup",
        "assignedLicenses",
        "assignedPlans",
        "authorizationInfo",
        "birthday",
        "businessPhones",
        "city",
        "companyName",
        "consentProvidedForMinor",
        "country",
        "customSecurityAttributes",
        "department",
        "employeeHireDate",
        "employeeLeaveDateTime",
        "employeeOrgData",
        "employeeType",
        "externalUserStateChangeDateTime",
        "faxNumber",
        "givenName",
        "hireDate",
        "imAddresses",
        "interests",
        "isManagementRestricted",
        "isResourceAccount",
        "jobTitle",
        "lastPasswordChangeDateTime",
        "legalAgeGroupClassification",
        "licenseAssignmentStates",
        "mailboxSettings",
        "mailNickname",
        "mobilePhone",
        "mySite",
        "officeLocation",
        "onPremisesDistinguishedName",
        "onPremisesDomainName",
        "onPremisesExtensionAttributes",
        "onPremisesImmutableId",
        "onPremisesLastSyncDateTime",
        "onPremisesProvisioningErrors",
        "onPremisesSamAccountName",
        "onPremisesSecurityIdentifier",
        "otherMails",
        "passwordPolicies",
        "passwordProfile",
        "pastProjects",
        "postalCode",
        "preferredDataLocation",
        "preferredLanguage",
        "preferredName",
        "provisionedPlans",
        "proxyAddresses",
        "responsibilities",
        "schools",
        "securityIdentifier",
        "serviceProvisioningErrors",
        "showInAddressList",
        "signInSessionsValidFromDateTime",
        "skills",
        "state",
        "streetAddress",
        "surname",
      ],
      navigation: ["directReports", "teamwork", "appRoleAssignments", "licenseDetails", "sponsors"],
    },
  },
  "microsoft.graph.group": {
    v1: {
      properties: [
        "allowExternalSenders",
        "assignedLabels",
        "assignedLicenses",
        "autoSubscribeNewMembers",
        "classification",
        "createdDateTime",
        "expirationDateTime",
        "hasMembersWithLicenseErrors",
        "hideFromAddressLists",
        "hideFromOutlookClients",
        "isArchived",
        "isManagementRestricted",
        "isSubscribedByMail",
        "licenseProcessingState",
        "mail",
        "mailNickname",
        "membershipRuleProcessingState",
        "onPremisesDomainName",
        "onPremisesLastSyncDateTime",
        "onPremisesNetBiosName",
        "onPremisesProvisioningErrors",
        "onPremisesSamAccountName",
        "onPremisesSecurityIdentifier",
        "preferredDataLocation",
        "preferredLanguage",
        "proxyAddresses",
        "renewedDateTime",
        "securityIdentifier",
        "serviceProvisioningErrors",
        "theme",
        "uniqueName",
        "unseenCount",
        "visibility",
      ],
      navigation: ["members", "transitiveMembers", "memberOf", "transitiveMemberOf", "owners"],
    },
  },
  "microsoft.graph.device": {
    v1: {
      properties: [
        "alternativeSecurityIds",
        "complianceExpirationDateTime",
        "deviceCategory",
        "deviceMetadata",
        "deviceVersion",
        "enrollmentProfileName",
        "isManagementRestricted",
        "isRooted",
        "mdmAppId",
        "onPremisesLastSyncDateTime",
        "onPremisesSecurityIdentifier",
        "onPremisesSyncEnabled",
        "physicalIds",
        "systemLabels",
      ],
      navigation: ["extensions"],
    },
  },
  "microsoft.graph.directoryObject": {
    derived: ["microsoft.graph.user", "microsoft.graph.group", "microsoft.graph.device"],
  },
  "microsoft.graph.organization": {
    base: "microsoft.graph.directoryObject",
    v1: {
      properties: [
        "assignedPlans",
        "businessPhones",
        "city",
        "country",
        "countryLetterCode",
        "createdDateTime",
        "defaultUsageLocation",
        "displayName",
        "marketingNotificationEmails",
        "onPremisesLastSyncDateTime",
        "onPremisesSyncEnabled",
        "partnerTenantType",
        "postalCode",
        "preferredLanguage",
        "privacyProfile",
        "provisionedPlans",
        "securityComplianceNotificationMails",
        "securityComplianceNotificationPhones",
        "state",
        "street",
        "technicalNotificationMails",
        "tenantType",
        "verifiedDomains",
      ],
      navigation: ["branding", "certificateBasedAuthConfiguration", "extensions"],
    },
  },
  "microsoft.graph.authenticationMethod": {},
  "microsoft.graph.fido2AuthenticationMethod": {},
  "microsoft.graph.windowsHelloForBusinessAuthenticationMethod": {},
  "microsoft.graph.microsoftAuthenticatorAuthenticationMethod": {},
  "microsoft.graph.phoneAuthenticationMethod": {},
  "microsoft.graph.temporaryAccessPassAuthenticationMethod": {},
  "microsoft.graph.passwordAuthenticationMethod": {},
  "microsoft.graph.emailAuthenticationMethod": {},
  "microsoft.graph.softwareOathAuthenticationMethod": {},
  "microsoft.graph.platformCredentialAuthenticationMethod": {},
  "microsoft.graph.authenticationMethodsPolicy": {},
  "microsoft.graph.authenticationMethodConfiguration": {},
  "microsoft.graph.fido2AuthenticationMethodConfiguration": {},
  "microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration": {},
  "microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration": {},
  "microsoft.graph.smsAuthenticationMethodConfiguration": {
    base: "microsoft.graph.authenticationMethodConfiguration",
    v1: { navigation: ["includeTargets"] },
  },
  "microsoft.graph.emailAuthenticationMethodConfiguration": {
    base: "microsoft.graph.authenticationMethodConfiguration",
    v1: { properties: ["allowExternalIdToUseEmailOtp"], navigation: ["includeTargets"] },
  },
  "microsoft.graph.userRegistrationDetails": {},
  "microsoft.graph.directoryAudit": {},
  "microsoft.graph.signIn": {
    // /beta signIn: what the triage reads (MFA detail) and the other members the emulator's sign-ins may carry.
    beta: [
      "authenticationContextClassReferences",
      "authenticationDetails",
      "authenticationMethodsUsed",
      "authenticationProcessingDetails",
      "authenticationProtocol",
      "authenticationRequirement",
      "authenticationRequirementPolicies",
      "clientCredentialType",
      "crossTenantAccessType",
      "flaggedForReview",
      "incomingTokenType",
      "isTenantRestricted",
      "mfaDetail",
      "networkLocationDetails",
      "originalRequestId",
      "processingTimeInMilliseconds",
      "signInEventTypes",
      "signInIdentifier",
      "signInIdentifierType",
      "tokenIssuerName",
      "tokenIssuerType",
      "uniqueTokenIdentifier",
      "userType",
    ],
  },
  "microsoft.graph.unifiedRoleAssignment": {},
  "microsoft.graph.unifiedRoleDefinition": {},
  "microsoft.graph.unifiedRoleEligibilityScheduleInstance": {
    base: "microsoft.graph.entity",
    v1: {
      // Inherited from unifiedRoleScheduleInstanceBase, then its own members.
      properties: [
        "appScopeId",
        "directoryScopeId",
        "principalId",
        "roleDefinitionId",
        "endDateTime",
        "memberType",
        "roleEligibilityScheduleId",
        "startDateTime",
      ],
      navigation: ["appScope", "directoryScope", "principal", "roleDefinition"],
    },
  },
  "microsoft.graph.userScopeTeamsAppInstallation": {
    base: "microsoft.graph.entity",
    v1: { properties: ["consentedPermissionSet"], navigation: ["teamsApp", "teamsAppDefinition", "chat"] },
  },
  "microsoft.graph.strongAuthenticationRequirements": {
    // /beta only (users/{id}/authentication/requirements); a complex type in beta, no id.
    betaOnly: true,
    beta: ["perUserMfaState"],
  },
};

export interface GeneratedEntityType {
  properties: string[];
  navigation: string[];
  beta?: string[];
  betaOnly?: boolean;
}

function refName(ref: string): string {
  return ref.replace("#/components/schemas/", "");
}

const unique = (names: string[]) => [...new Set(names)].sort((a, b) => a.localeCompare(b));

/** The table entity-properties.ts holds, computed from the reference schemas and the hand-added members above. */
export function buildEntityProperties(schemas: Record<string, Schema>): Record<string, GeneratedEntityType> {
  /** Structural and navigation members of a schema, inherited ones included (`allOf` chain). */
  const membersOf = (name: string): { properties: string[]; navigation: string[] } => {
    const schema = schemas[name];
    if (!schema) throw new Error(`${name} is not in the reference schemas`);
    const properties: string[] = [];
    const navigation: string[] = [];
    const visit = (node: Schema) => {
      if (node.$ref) {
        const inherited = membersOf(refName(node.$ref));
        properties.push(...inherited.properties);
        navigation.push(...inherited.navigation);
      }
      for (const part of node.allOf ?? []) visit(part);
      for (const [member, definition] of Object.entries(node.properties ?? {})) {
        if (member === "@odata.type") continue;
        (definition["x-ms-navigationProperty"] ? navigation : properties).push(member);
      }
    };
    visit(schema);
    return { properties, navigation };
  };
  const resolveType = (name: string, source: TypeSource): { properties: string[]; navigation: string[] } => {
    const fromSchema = source.betaOnly
      ? { properties: [], navigation: [] }
      : membersOf(schemas[name] ? name : (source.base ?? name));
    const properties = [...fromSchema.properties, ...(source.v1?.properties ?? [])];
    const navigation = [...fromSchema.navigation, ...(source.v1?.navigation ?? [])];
    for (const derived of source.derived ?? []) {
      const members = resolveType(derived, types[derived] as TypeSource);
      properties.push(...members.properties);
      navigation.push(...members.navigation);
    }
    const structural = unique(properties);
    return { properties: structural, navigation: unique(navigation).filter((member) => !structural.includes(member)) };
  };
  return Object.fromEntries(
    Object.entries(types).map(([name, source]) => {
      const entry: GeneratedEntityType = resolveType(name, source);
      if (source.beta) entry.beta = [...source.beta];
      if (source.betaOnly) entry.betaOnly = true;
      return [name, entry];
    }),
  );
}

function render(table: Record<string, GeneratedEntityType>): string {
  const list = (names: string[]) => `[${names.map((member) => JSON.stringify(member)).join(", ")}]`;
  const entries = Object.entries(table).map(([name, entry]) => {
    const source = types[name] as TypeSource;
    const lines = [`  ${JSON.stringify(name)}: {`];
    if (source.derived) {
      lines.push(`    // Union with ${source.derived.join(", ")}: directory collections are polymorphic.`);
    }
    if (entry.betaOnly) lines.push("    betaOnly: true,");
    lines.push(`    properties: ${list(entry.properties)},`, `    navigation: ${list(entry.navigation)},`);
    if (entry.beta) {
      lines.push(
        "    // Hand-added: /beta members (not in the v1.0 reference schemas).",
        `    beta: ${list(entry.beta)},`,
      );
    }
    lines.push("  },");
    return lines.join("\n");
  });
  return `// Generated by scripts/generate-entity-properties.ts from Microsoft Graph's v1.0 component schemas
// (shared/reference/graph-schemas.json) plus the hand-added members that script lists. Do not edit by hand.

export interface EntityTypeProperties {
  /** Structural properties, inherited ones included: \`$select\` returns them, null when unset. */
  readonly properties: readonly string[];
  /** Navigation properties: \`$select\`-able; returned only when the entity carries them inline (policy targets). */
  readonly navigation: readonly string[];
  /** Members only /beta declares. */
  readonly beta?: readonly string[];
  /** The type exists only in /beta. */
  readonly betaOnly?: boolean;
}

/** Entity type name (\`microsoft.graph.user\`) → the members Graph declares for it. */
export const entityProperties: Readonly<Record<string, EntityTypeProperties>> = {
${entries.join("\n")}
};
`;
}

export const defaultSchemaPath = resolve(__dirname, "../../shared/reference/graph-schemas.json");

if (typeof require !== "undefined" && require.main === module) {
  const schemaPath = resolve(process.argv[2] ?? defaultSchemaPath);
  const outputPath = resolve(__dirname, "../src/emulator/entity-properties.ts");
  const table = buildEntityProperties(JSON.parse(readFileSync(schemaPath, "utf8")));
  writeFileSync(outputPath, render(table));
  console.log(`Wrote ${outputPath} (${Object.keys(table).length} entity types) from ${schemaPath}`);
}
