import type { ConditionalAccessPolicy } from "../../../graph/model.js";

/** The user action of a "Register security information" Conditional Access policy. */
export const REGISTER_SECURITY_INFO_ACTION = "urn:user:registersecurityinfo";

/** What the person can present at sign-in now, named as authentication-strength combinations name them. */
export type SignInFactor =
  | "password"
  | "fido2"
  | "windowsHelloForBusiness"
  | "microsoftAuthenticatorPush"
  | "sms"
  | "voice"
  | "softwareOath"
  | "hardwareOath"
  | "x509CertificateMultiFactor"
  | "temporaryAccessPassOneTime"
  | "temporaryAccessPassMultiUse";

export interface RegistrationLoop {
  policy: ConditionalAccessPolicy;
  /** `registration`: a "Register security information" policy; `allResources`: one that covers every resource. */
  scope: "registration" | "allResources";
  /** A Temporary Access Pass satisfies the policy's authentication strength, so issuing one breaks the loop. */
  isTapAccepted: boolean;
}

function appliesTo(policy: ConditionalAccessPolicy, userId: string, memberOf: ReadonlySet<string>): boolean {
  const users = policy.conditions?.users;
  if (!users) return false;
  const id = userId.toLowerCase();
  const has = (ids: string[] | null | undefined, match: (value: string) => boolean) => (ids ?? []).some(match);
  const excluded =
    has(users.excludeUsers, (u) => u.toLowerCase() === id) ||
    has(users.excludeGroups, (g) => memberOf.has(g.toLowerCase()));
  if (excluded) return false;
  return (
    has(users.includeUsers, (u) => u === "All" || u.toLowerCase() === id) ||
    has(users.includeGroups, (g) => memberOf.has(g.toLowerCase()))
  );
}

function canSatisfy(combinations: string[], factors: ReadonlySet<SignInFactor>): boolean {
  return combinations.some((combination) =>
    combination
      .split(",")
      .map((part) => part.trim())
      .every((part) => factors.has(part as SignInFactor)),
  );
}

/**
 * The Conditional Access policy that locks this person out of registering (passkey-domain.md Q2, graph.md §5): an
 * enabled policy that applies to them, covers "Register security information" or all resources, and demands an
 * authentication strength none of the methods they can use now satisfies. Report-only and disabled policies never
 * lock anyone out. A plain "require MFA" grant is question 2's ordinary business, not a loop.
 */
export function findRegistrationLoop(
  policies: ConditionalAccessPolicy[],
  userId: string,
  memberOfGroupIds: string[],
  factors: ReadonlySet<SignInFactor>,
): RegistrationLoop | null {
  const memberOf = new Set(memberOfGroupIds.map((g) => g.toLowerCase()));
  for (const policy of policies) {
    if (policy.state !== "enabled" || !appliesTo(policy, userId, memberOf)) continue;
    const applications = policy.conditions?.applications;
    const scope = (applications?.includeUserActions ?? []).includes(REGISTER_SECURITY_INFO_ACTION)
      ? "registration"
      : (applications?.includeApplications ?? []).includes("All")
        ? "allResources"
        : null;
    const combinations = policy.grantControls?.authenticationStrength?.allowedCombinations ?? null;
    if (!scope || !combinations || canSatisfy(combinations, factors)) continue;
    const isTapAccepted = combinations.some((c) => c.startsWith("temporaryAccessPass"));
    return { policy, scope, isTapAccepted };
  }
  return null;
}
