import type { GraphGateway } from "../graph/graph-gateway.js";
import { GRAPH_CALLS, type GraphCall, type RequiredPermission } from "../graph/graph-permissions.js";

/**
 * A user id no tenant has. Graph checks the app's permission before it looks the object up, so a probe for it answers
 * 404 (or an empty list) when the permission is granted and 403 when it is not — one cheap call that reads no one's
 * data and, for the writes, changes nothing.
 */
export const NOBODY = "00000000-0000-4000-8000-00000000d0c7";

export interface ProbeContext {
  /** A group the bot asks about (the agents group), for checkMemberGroups. */
  groupId: string;
  teamsAppId: string;
}

export interface Probe {
  run(graph: DoctorGraph, context: ProbeContext): Promise<unknown>;
  /** Other permissions the same call needs: a 403 while one of them is missing says nothing about this one. */
  alsoNeeds?: readonly string[];
}

export type DoctorGraph = Pick<
  GraphGateway,
  | "getUser"
  | "checkMemberGroups"
  | "getDirectoryRoleGrants"
  | "listGroupEligibilities"
  | "getPasskeyPolicy"
  | "listConditionalAccessPolicies"
  | "listAuthenticationMethods"
  | "listPasskeys"
  | "deleteTemporaryAccessPass"
  | "listUserAudits"
  | "installAppForUser"
  | "isReachable"
>;

/**
 * The cheap call that tests each call's permission. Only calls whose probe checks exactly their own permission are
 * listed: the registration report also accepts UserAuthenticationMethod.Read.All, so AuditLog.Read.All is probed
 * through the audit log instead.
 */
export const PERMISSION_PROBES: Partial<Record<GraphCall, Probe>> = {
  getUser: { run: (graph) => graph.getUser(NOBODY) },
  checkMemberGroups: {
    run: (graph, { groupId }) => graph.checkMemberGroups(NOBODY, [groupId]),
    alsoNeeds: ["User.Read.All"],
  },
  listRoleAssignments: { run: (graph) => graph.getDirectoryRoleGrants(NOBODY) },
  listRoleEligibilities: { run: (graph) => graph.getDirectoryRoleGrants(NOBODY) },
  listGroupEligibilities: { run: (graph) => graph.listGroupEligibilities(NOBODY) },
  getPasskeyPolicy: { run: (graph) => graph.getPasskeyPolicy() },
  listConditionalAccessPolicies: { run: (graph) => graph.listConditionalAccessPolicies() },
  listAuthenticationMethods: { run: (graph) => graph.listAuthenticationMethods(NOBODY) },
  listPasskeys: { run: (graph) => graph.listPasskeys(NOBODY) },
  deleteTemporaryAccessPass: { run: (graph) => graph.deleteTemporaryAccessPass(NOBODY, NOBODY) },
  listDirectoryAudits: {
    run: (graph) => graph.listUserAudits(NOBODY, new Date(Date.now() - 60_000).toISOString()),
  },
  installAppForUser: { run: (graph, { teamsAppId }) => graph.installAppForUser(NOBODY, teamsAppId) },
};

/**
 * The probe for a permission the bot asks for: one of the calls that need exactly that permission (so a granted read
 * never passes for a missing write), or null when none has a probe (a test keeps that from happening).
 */
export function probeFor(required: RequiredPermission): Probe | null {
  const call = required.calls.find(
    (candidate) => GRAPH_CALLS[candidate].permission === required.permission && PERMISSION_PROBES[candidate],
  );
  return call ? (PERMISSION_PROBES[call] ?? null) : null;
}
