import type { EvolvableEnum } from "./evolvable-enum.js";

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
