import type { EvolvableEnum } from "./evolvable-enum.js";

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
