import type { Fido2Method } from "../../../graph/model.js";
import type { PasskeyType } from "../../authenticators/authenticator.js";
import { normalizeAaguid } from "../../authenticators/normalize-aaguid.js";
import { checkProfile } from "./check-profile.js";
import type { TriageInput } from "./diagnosis.js";
import { candidateFor } from "./infer-authenticator.js";
import { resolvePasskeyScope } from "./resolve-passkey-scope.js";

/**
 * Whether a registered passkey can still sign in: key restrictions and passkey types apply at sign-in (graph.md §6),
 * so a passkey whose AAGUID no profile in the person's scope accepts any more cannot satisfy MFA. null: unreadable.
 */
export function isPasskeyUsableNow(input: TriageInput, method: Fido2Method): boolean | null {
  const scope = resolvePasskeyScope(input.policy.fido2, input.snapshot.memberOfGroupIds, input.snapshot.user.id);
  if (scope.kind === "unreadable") return null;
  if (scope.kind !== "included") return false;
  const aaGuid = normalizeAaguid(method.aaGuid);
  if (!aaGuid) return null;
  const candidate = candidateFor(aaGuid, input, "unknown");
  const stated = method.passkeyType;
  const passkeyType: PasskeyType | null =
    stated === "synced" ? "synced" : stated === "deviceBound" ? "deviceBound" : null;
  const registered = { ...candidate, passkeyType: passkeyType ?? candidate.passkeyType };
  const checks = scope.profiles.map((p) => checkProfile(p, registered, "signIn").accepts);
  if (checks.some((accepts) => accepts === true)) return true;
  return checks.every((accepts) => accepts === false) ? false : null;
}
