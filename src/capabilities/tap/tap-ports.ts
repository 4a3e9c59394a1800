import type { CardMessage } from "../../cards/card-message.js";
import type { GraphGateway } from "../../graph/graph-gateway.js";
import type { DirectoryUser } from "../../graph/model.js";
import type { TapRequest, TapRequestStatus } from "./tap-request.js";

/** A stored record with the ETag its next conditional write must match. */
export interface Versioned<T> {
  value: T;
  etag: string;
}

/** Implemented by src/storage/tap-request-repository.ts. */
export interface TapRequestStore {
  /** Inserts the request; throws PendingRequestExistsError when the target already has a pending one. */
  create(request: TapRequest): Promise<Versioned<TapRequest>>;
  get(id: string): Promise<Versioned<TapRequest> | null>;
  /** Writes only if the stored ETag is still `etag`; throws StaleRequestError otherwise. */
  update(request: TapRequest, etag: string): Promise<Versioned<TapRequest>>;
  listByStatus(statuses: readonly TapRequestStatus[]): Promise<Versioned<TapRequest>[]>;
  /** Requests whose decision is written but whose ledger entry may not be (`pendingAudits` not empty). */
  listAwaitingAudit(): Promise<Versioned<TapRequest>[]>;
}

export type AuditValue = string | number | boolean | null;

/** One thing that happened, as given to the ledger (the ledger adds sequence, time and hashes). */
export interface AuditEvent {
  /** e.g. tap.requested, tap.approved, tap.refused, tap.issued, tap.revoked, tap.passkeyRegistered. */
  action: string;
  requestId: string | null;
  actorId: string | null;
  targetId: string | null;
  targetUpn: string | null;
  /** Everything else worth keeping, flat. Never a TAP value, token or secret. */
  details: Record<string, AuditValue>;
}

/** Implemented by src/storage/audit-ledger.ts. */
export interface AuditLog {
  append(event: AuditEvent): Promise<void>;
  /** The entries about one request, in chain order (the reconciler checks what a crashed instance appended). */
  entriesFor(requestId: string): Promise<Array<Pick<AuditEvent, "action" | "details">>>;
}

/** The Graph calls the TAP flow makes; the real GraphGateway satisfies it. */
export type TapGraph = Pick<
  GraphGateway,
  | "getUser"
  | "getManager"
  | "checkMemberGroups"
  | "getDirectoryRoleGrants"
  | "getTemporaryAccessPassPolicy"
  | "createTemporaryAccessPass"
  | "listTemporaryAccessPasses"
  | "deleteTemporaryAccessPass"
  | "listPasskeys"
  | "listGroupMembers"
>;

/** Whether a person is in the bot's roles, decided from Graph group membership — never from card data. */
export interface TapRoles {
  resolveCallerRoles(userId: string): Promise<{ isAgent: boolean; isAdmin: boolean }>;
}

/** A card to send: the one card model (a template name under cards/ and its data). */
export type TapCard = CardMessage;

/** Proactive delivery to a person's personal chat with the bot (the bot installs itself when needed). */
export interface TapMessenger {
  sendToUser(user: Pick<DirectoryUser, "id" | "userPrincipalName">, card: TapCard): Promise<void>;
}

export interface TapSettings {
  tenantId: string;
  agentsGroupId: string;
  adminsGroupId: string;
  approversGroupId: string;
  requestExpiryMinutes: number;
}

export type Clock = () => Date;
