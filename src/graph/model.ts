/**
 * Domain types for the Microsoft Graph entities the bot reads and writes, one concept a file under ./model/:
 * the authentication-method policies, Conditional Access, directory objects (users, devices, roles), authentication
 * methods, audit logs, a read that may fail (GraphRead), and the snapshots the triage reads. Import from here: the
 * files are split by concept for their readers, not for their importers.
 */
export * from "./model/audit-logs.js";
export * from "./model/authentication-method-policies.js";
export * from "./model/authentication-methods.js";
export * from "./model/conditional-access-policy.js";
export * from "./model/directory-objects.js";
export * from "./model/evolvable-enum.js";
export * from "./model/graph-read.js";
export * from "./model/snapshots.js";
