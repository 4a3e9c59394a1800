import type { EvolvableEnum } from "./evolvable-enum.js";

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
