/**
 * Domain types for the Microsoft Graph entities the bot reads and writes.
 *
 * Property names, casing and enum strings are Microsoft's own (v1.0 CSDL, beta where noted), so a value read from
 * Graph can be used as it is. `@microsoft/microsoft-graph-types` 2.43 predates passkey profiles, which is why these
 * are declared here. Every enum also admits `string`: Graph's evolvable enums can return members the code has not
 * seen yet (`unknownFutureValue` and anything after it), and the bot must not break on them.
 */

export type EvolvableEnum<T extends string> = T | (string & {});

/** `fido2KeyRestrictions` */
export interface Fido2KeyRestrictions {
  isEnforced: boolean | null;
  enforcementType: EvolvableEnum<"allow" | "block"> | null;
  aaGuids: string[] | null;
}

/** `passkeyProfile` — `passkeyTypes` is a flags enum serialized as a comma-separated string ("deviceBound,synced"). */
export interface PasskeyProfile {
  id: string;
  name: string;
  passkeyTypes: string;
  attestationEnforcement: EvolvableEnum<"disabled" | "registrationOnly">;
  keyRestrictions: Fido2KeyRestrictions | null;
}

/** `authenticationMethodTarget` / `passkeyAuthenticationMethodTarget`; `id` is a group id or the literal `all_users`. */
export interface AuthenticationMethodTarget {
  id: string;
  targetType: EvolvableEnum<"group" | "user">;
  isRegistrationRequired?: boolean;
  /** Only on passkey targets: the profile ids that apply to members of this target. */
  allowedPasskeyProfiles?: string[] | null;
}

/** `excludeTarget` */
export interface ExcludeTarget {
  id: string;
  targetType: EvolvableEnum<"group" | "user">;
}

/** `fido2AuthenticationMethodConfiguration` (GET …/authenticationMethodConfigurations/fido2). */
export interface Fido2Policy {
  id: string;
  state: EvolvableEnum<"enabled" | "disabled">;
  isSelfServiceRegistrationAllowed: boolean | null;
  /** Deprecated by Microsoft (removal 2027-10-15); mirrors the default profile. Read only when profiles are absent. */
  isAttestationEnforced: boolean | null;
  /** Deprecated by Microsoft (removal 2027-10-15); mirrors the default profile. Read only when profiles are absent. */
  keyRestrictions: Fido2KeyRestrictions | null;
  defaultPasskeyProfile: string | null;
  includeTargets: AuthenticationMethodTarget[];
  excludeTargets: ExcludeTarget[];
  passkeyProfiles: PasskeyProfile[] | null;
}

/** `temporaryAccessPassAuthenticationMethodConfiguration` */
export interface TemporaryAccessPassPolicy {
  id: string;
  state: EvolvableEnum<"enabled" | "disabled">;
  defaultLifetimeInMinutes: number | null;
  minimumLifetimeInMinutes: number | null;
  maximumLifetimeInMinutes: number | null;
  /** true ⇒ every TAP in the tenant is one-time. */
  isUsableOnce: boolean | null;
  defaultLength: number | null;
  includeTargets: AuthenticationMethodTarget[];
  excludeTargets: ExcludeTarget[];
}

/** The subset of `user` the bot selects. */
export interface DirectoryUser {
  id: string;
  userPrincipalName: string;
  displayName: string | null;
  mail: string | null;
  userType: EvolvableEnum<"Member" | "Guest"> | null;
  accountEnabled: boolean | null;
  preferredLanguage?: string | null;
  jobTitle?: string | null;
}

/** `device` as returned by /users/{id}/registeredDevices and /ownedDevices. */
export interface DirectoryDevice {
  id: string;
  deviceId: string | null;
  displayName: string | null;
  operatingSystem: string | null;
  operatingSystemVersion: string | null;
  /** `Workplace` = registered, `AzureAd` = Entra joined, `ServerAd` = hybrid joined. */
  trustType: string | null;
  isManaged: boolean | null;
  isCompliant: boolean | null;
  approximateLastSignInDateTime: string | null;
}

interface MethodBase {
  id: string;
  createdDateTime?: string | null;
}

/** `fido2AuthenticationMethod` */
export interface Fido2Method extends MethodBase {
  "@odata.type": "#microsoft.graph.fido2AuthenticationMethod";
  displayName: string | null;
  aaGuid: string | null;
  model: string | null;
  attestationCertificates: string[] | null;
  attestationLevel: EvolvableEnum<"attested" | "notAttested"> | null;
  passkeyType?: EvolvableEnum<"deviceBound" | "synced"> | null;
}

/** `windowsHelloForBusinessAuthenticationMethod` */
export interface WindowsHelloForBusinessMethod extends MethodBase {
  "@odata.type": "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod";
  displayName: string | null;
  keyStrength: EvolvableEnum<"normal" | "weak" | "unknown"> | null;
}

/** `microsoftAuthenticatorAuthenticationMethod` */
export interface MicrosoftAuthenticatorMethod extends MethodBase {
  "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod";
  displayName: string | null;
  deviceTag: string | null;
  phoneAppVersion: string | null;
}

/** `phoneAuthenticationMethod` */
export interface PhoneMethod extends MethodBase {
  "@odata.type": "#microsoft.graph.phoneAuthenticationMethod";
  phoneNumber: string | null;
  phoneType: EvolvableEnum<"mobile" | "alternateMobile" | "office"> | null;
  smsSignInState: string | null;
}

/**
 * `temporaryAccessPassAuthenticationMethod`. `temporaryAccessPass` holds the code only in the create response;
 * every read returns null. The bot never stores it.
 */
export interface TemporaryAccessPassMethod extends MethodBase {
  "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethod";
  temporaryAccessPass: string | null;
  startDateTime: string | null;
  lifetimeInMinutes: number | null;
  isUsableOnce: boolean | null;
  isUsable: boolean | null;
  methodUsabilityReason: EvolvableEnum<
    "EnabledByPolicy" | "DisabledByPolicy" | "Expired" | "NotYetValid" | "OneTimeUsed"
  > | null;
}

/** Any other method type (password, email, software OATH, platform credential, …), kept by its `@odata.type`. */
export interface OtherMethod extends MethodBase {
  "@odata.type": string;
  [property: string]: unknown;
}

export type AuthenticationMethod =
  | Fido2Method
  | WindowsHelloForBusinessMethod
  | MicrosoftAuthenticatorMethod
  | PhoneMethod
  | TemporaryAccessPassMethod
  | OtherMethod;

/** `userRegistrationDetails` (GET /reports/authenticationMethods/userRegistrationDetails/{id}). Not real-time. */
export interface UserRegistrationDetails {
  id: string;
  userPrincipalName: string;
  userDisplayName: string;
  userType: EvolvableEnum<"member" | "guest">;
  isAdmin: boolean | null;
  isMfaCapable: boolean;
  isMfaRegistered: boolean;
  isPasswordlessCapable: boolean;
  isSsprCapable: boolean;
  isSsprEnabled: boolean;
  isSsprRegistered: boolean;
  isSystemPreferredAuthenticationMethodEnabled: boolean | null;
  systemPreferredAuthenticationMethods: string[] | null;
  userPreferredMethodForSecondaryAuthentication: string | null;
  methodsRegistered: string[];
  lastUpdatedDateTime: string | null;
}

/** beta `authenticationDetail` — only beta sign-ins carry MFA detail. */
export interface AuthenticationDetail {
  authenticationStepDateTime: string | null;
  authenticationMethod: string | null;
  authenticationMethodDetail: string | null;
  authenticationStepRequirement: string | null;
  authenticationStepResultDetail: string | null;
  succeeded: boolean | null;
}

/** The subset of beta `signIn` the triage reads. */
export interface SignInRecord {
  id: string;
  createdDateTime: string;
  userId: string;
  userPrincipalName: string | null;
  appDisplayName: string | null;
  isInteractive: boolean | null;
  status: { errorCode: number | null; failureReason?: string | null } | null;
  authenticationRequirement: EvolvableEnum<"singleFactorAuthentication" | "multiFactorAuthentication"> | null;
  authenticationDetails: AuthenticationDetail[] | null;
  deviceDetail?: { operatingSystem?: string | null; browser?: string | null; displayName?: string | null } | null;
}

/** `directoryAudit` */
export interface DirectoryAuditRecord {
  id: string;
  activityDateTime: string;
  activityDisplayName: string;
  category: string;
  correlationId: string | null;
  loggedByService: string | null;
  operationType: string | null;
  result: EvolvableEnum<"success" | "failure" | "timeout"> | null;
  resultReason: string | null;
  initiatedBy: {
    user?: { id: string | null; displayName: string | null; userPrincipalName: string | null } | null;
    app?: { appId: string | null; displayName: string | null } | null;
  } | null;
  targetResources: Array<{
    id: string | null;
    displayName: string | null;
    type: string | null;
    userPrincipalName: string | null;
    modifiedProperties?: Array<{ displayName: string | null; oldValue: string | null; newValue: string | null }> | null;
  }>;
  additionalDetails: Array<{ key: string | null; value: string | null }>;
}

/** `unifiedRoleAssignment` / `unifiedRoleEligibilityScheduleInstance`, with the role's display name when expanded. */
export interface DirectoryRoleGrant {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string | null;
  roleDisplayName: string | null;
  /** "active" for roleAssignments, "eligible" for PIM eligibility instances (of the role, or of the group holding it). */
  kind: "active" | "eligible";
  /** The role-assignable group the role is held through, when it is not assigned to the user directly. */
  viaGroup?: { id: string; displayName: string | null; membership: "member" | "eligibleMember" | "eligibleOwner" };
}

export const PHISHING_RESISTANT_METHODS_REGISTERED: readonly string[] = [
  "passKeyDeviceBound",
  "passKeyDeviceBoundAuthenticator",
  "passKeyDeviceBoundWindowsHello",
  "passKeySynced",
  "fido2SecurityKey",
  "fido2",
  "windowsHelloForBusiness",
  "macOsSecureEnclaveKey",
];

/** Why a part of a snapshot could not be read: the triage says "could not check", never guesses. */
export type ReadProblem =
  | { kind: "accessDenied"; missingPermission: string | null }
  | { kind: "throttled"; retryAfterSeconds: number }
  | { kind: "unavailable"; detail: string }
  /** Graph answered 404: the object (a deleted user, say) does not exist. */
  | { kind: "notFound"; detail: string }
  | { kind: "notRequested" };

/** One part of a snapshot: either the value Graph returned, or why it is missing. */
export type GraphRead<T> = { ok: true; value: T } | { ok: false; problem: ReadProblem };

/**
 * `conditionalAccessPolicy` (v1.0 GET /identity/conditionalAccess/policies), the members the registration-loop check
 * reads. `includeUserActions` holds `urn:user:registersecurityinfo` for a "Register security information" policy.
 */
export interface ConditionalAccessPolicy {
  id: string;
  displayName: string;
  state: EvolvableEnum<"enabled" | "disabled" | "enabledForReportingButNotEnforced">;
  conditions: {
    users?: {
      includeUsers?: string[] | null;
      excludeUsers?: string[] | null;
      includeGroups?: string[] | null;
      excludeGroups?: string[] | null;
    } | null;
    applications?: {
      includeApplications?: string[] | null;
      excludeApplications?: string[] | null;
      includeUserActions?: string[] | null;
    } | null;
  } | null;
  grantControls: {
    operator?: string | null;
    builtInControls?: string[] | null;
    authenticationStrength?: {
      id: string;
      displayName?: string | null;
      allowedCombinations?: string[] | null;
    } | null;
  } | null;
}

/** Tenant-wide policy state, cached briefly and shared by every conversation. */
export interface TenantPolicySnapshot {
  fido2: GraphRead<Fido2Policy>;
  temporaryAccessPass: GraphRead<TemporaryAccessPassPolicy>;
  /** "Authentication Methods Policy Update" audit events of the last hour, newest first. */
  recentPolicyChanges: GraphRead<DirectoryAuditRecord[]>;
  /** Conditional Access policies, for the registration loop (absent where a caller built a snapshot without them). */
  conditionalAccess?: GraphRead<ConditionalAccessPolicy[]>;
  fetchedDateTime: string;
}

/** Per-user state, read in one `$batch` (plus the beta sign-ins, which a v1.0 batch cannot carry). */
export interface UserAuthSnapshot {
  user: DirectoryUser;
  /** Of the group ids asked about, those the user is a transitive member of (POST /users/{id}/checkMemberGroups). */
  memberOfGroupIds: GraphRead<string[]>;
  /** GET /users/{id}/authentication/methods — reports bucket. */
  methods: GraphRead<AuthenticationMethod[]>;
  /** GET /users/{id}/registeredDevices */
  devices: GraphRead<DirectoryDevice[]>;
  /** beta GET /auditLogs/signIns for this user, newest first — reports bucket; only when asked for. */
  signIns: GraphRead<SignInRecord[]>;
  /** GET /auditLogs/directoryAudits targeting this user, newest first — reports bucket; only when asked for. */
  registrationAudits: GraphRead<DirectoryAuditRecord[]>;
  fetchedDateTime: string;
}
