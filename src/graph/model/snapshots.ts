import type { DirectoryAuditRecord, SignInRecord } from "./audit-logs.js";
import type { Fido2Policy, TemporaryAccessPassPolicy } from "./authentication-method-policies.js";
import type { AuthenticationMethod } from "./authentication-methods.js";
import type { ConditionalAccessPolicy } from "./conditional-access-policy.js";
import type { DirectoryDevice, DirectoryUser } from "./directory-objects.js";
import type { GraphRead } from "./graph-read.js";

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
