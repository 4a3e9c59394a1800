import type { RequestPriority } from "./graph-gateway.js";
import type { GraphRequester } from "./graph-requester.js";
import type { DirectoryAuditRecord, UserRegistrationDetails } from "./model.js";
import { newestFirst } from "./newest-first.js";
import {
  encodePathSegment,
  odataDateTime,
  odataGuidLiteral,
  odataLiteral,
  queryString,
  requireGuid,
} from "./odata-literal.js";

export const auditSelect =
  "id,activityDateTime,activityDisplayName,category,correlationId,loggedByService,operationType,result,resultReason,initiatedBy,targetResources,additionalDetails";
const registrationSelect =
  "id,userPrincipalName,userDisplayName,userType,isAdmin,isMfaCapable,isMfaRegistered,isPasswordlessCapable,isSsprCapable,isSsprEnabled,isSsprRegistered,isSystemPreferredAuthenticationMethodEnabled,systemPreferredAuthenticationMethods,userPreferredMethodForSecondaryAuthentication,methodsRegistered,lastUpdatedDateTime";
const policyUpdateActivity = "Authentication Methods Policy Update";

/** GET /auditLogs/directoryAudits targeting the user since a time, newest first; `$top` pages (nextLink brings more). */
export function userAuditsUrl(userId: string, since: string, pageSize: number): string {
  return `/auditLogs/directoryAudits${queryString({
    $filter: `targetResources/any(t:t/id eq ${odataGuidLiteral(userId, "user id")}) and activityDateTime ge ${odataDateTime(since)}`,
    $select: auditSelect,
    $orderby: "activityDateTime desc",
    $top: pageSize,
  })}`;
}

/** Audit logs and the registration report (reports bucket, AuditLog.Read.All). */
export interface ReportCalls {
  /** GET /reports/authenticationMethods/userRegistrationDetails/{id} — AuditLog.Read.All. */
  getRegistrationDetails(userId: string, priority?: RequestPriority): Promise<UserRegistrationDetails>;
  /** GET /auditLogs/directoryAudits targeting the user since a time, newest first — AuditLog.Read.All. */
  listUserAudits(userId: string, since: string, priority?: RequestPriority): Promise<DirectoryAuditRecord[]>;
}

export function reportCalls(requester: GraphRequester, auditPageSize: number): ReportCalls {
  return {
    /** GET /reports/authenticationMethods/userRegistrationDetails/{id} — AuditLog.Read.All. */
    getRegistrationDetails(userId: string, priority?: RequestPriority): Promise<UserRegistrationDetails> {
      return requester.get<UserRegistrationDetails>(
        "getRegistrationDetails",
        `/reports/authenticationMethods/userRegistrationDetails/${encodePathSegment(requireGuid(userId, "user id"))}${queryString({ $select: registrationSelect })}`,
        priority,
      );
    },

    /** GET /auditLogs/directoryAudits targeting the user since a time, newest first — AuditLog.Read.All. */
    listUserAudits(userId: string, since: string, priority?: RequestPriority): Promise<DirectoryAuditRecord[]> {
      return requester
        .list<DirectoryAuditRecord>("listDirectoryAudits", userAuditsUrl(userId, since, auditPageSize), priority)
        .then(newestFirst("activityDateTime"));
    },
  };
}

/** The tenant's "Authentication Methods Policy Update" audits since a time (at most 50), newest first, for the policy snapshot. */
export function listPolicyChangeAudits(
  requester: GraphRequester,
  since: string,
  priority: RequestPriority,
): Promise<DirectoryAuditRecord[]> {
  return requester
    .list<DirectoryAuditRecord>(
      "listDirectoryAudits",
      `/auditLogs/directoryAudits${queryString({
        $filter: `activityDisplayName eq ${odataLiteral(policyUpdateActivity)} and activityDateTime ge ${odataDateTime(since)}`,
        $select: auditSelect,
        $orderby: "activityDateTime desc",
        $top: 50,
      })}`,
      priority,
      50,
    )
    .then(newestFirst("activityDateTime"));
}
