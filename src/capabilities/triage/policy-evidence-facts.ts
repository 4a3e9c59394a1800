import { type CardText, joinedText, type LocalizedText, localizedText } from "../../cards/localized-text.js";
import type {
  Fido2KeyRestrictions,
  PasskeyProfile,
  TenantPolicySnapshot,
  UserAuthSnapshot,
} from "../../graph/model.js";
import { resolvePasskeyScope } from "./engine/resolve-passkey-scope.js";
import { type Fact, problemText } from "./evidence-facts.js";

/** Authenticator names listed per profile; a Teams card must stay under its size limit. */
const MAX_NAMED_AUTHENTICATORS = 12;

/** Each policy target with the user's membership; the group's display name when Graph gave one, else just its id. */
export function groupFacts(
  policy: TenantPolicySnapshot,
  user: UserAuthSnapshot,
  groupNames: Record<string, string>,
): Fact[] {
  if (!user.memberOfGroupIds.ok) return [{ title: "—", value: problemText(user.memberOfGroupIds.problem) }];
  const member = new Set(user.memberOfGroupIds.value.map((id) => id.toLowerCase()));
  const names = new Map(Object.entries(groupNames).map(([id, name]) => [id.toLowerCase(), name]));
  const rows: Fact[] = [];
  /** `kind` names the policy and whether the target is included (+) or excluded (−): "Passkey +", "TAP −". */
  const describe = (kind: LocalizedText, id: string) => {
    const title = (target: string) => joinedText([kind, target], ": ");
    if (id === "all_users")
      return rows.push({ title: title("all_users"), value: localizedText("triage.evidenceMember") });
    const isMember = member.has(id.toLowerCase());
    const name = names.get(id.toLowerCase());
    // The group's name first, its id after it for the admin who searches the portal.
    const value = localizedText(isMember ? "triage.evidenceMember" : "triage.evidenceNotMember");
    rows.push({ title: title(name ? `${name} (${id})` : id), value });
  };
  const targets = (
    policy: { includeTargets: Array<{ id: string }>; excludeTargets: Array<{ id: string }> },
    includesKey: string,
    excludesKey: string,
  ) => {
    for (const target of policy.includeTargets) describe(localizedText(includesKey), target.id);
    for (const target of policy.excludeTargets) describe(localizedText(excludesKey), target.id);
  };
  if (policy.fido2.ok) targets(policy.fido2.value, "triage.evidencePasskeyIncludes", "triage.evidencePasskeyExcludes");
  if (policy.temporaryAccessPass.ok) {
    targets(policy.temporaryAccessPass.value, "triage.evidenceTapIncludes", "triage.evidenceTapExcludes");
  }
  return rows.length ? rows : [{ title: "—", value: localizedText("triage.evidenceNone") }];
}

/** A profile's allow or block list by authenticator name; an AAGUID the catalog does not know is shown as is. */
function keyRestrictionText(
  restrictions: Fido2KeyRestrictions | null,
  authenticatorName: (aaGuid: string) => string | null,
): CardText {
  if (!restrictions?.isEnforced) return localizedText("triage.evidenceNoKeyRestrictions");
  // Models often have several AAGUIDs under one name (USB-A, NFC, firmware lines): one entry each, with a count.
  const counts = new Map<string, number>();
  for (const aaGuid of restrictions.aaGuids ?? []) {
    const name = authenticatorName(aaGuid) ?? aaGuid;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const entries = [...counts].map(([name, count]) => (count > 1 ? `${name} ×${count}` : name));
  const named: CardText[] = entries.slice(0, MAX_NAMED_AUTHENTICATORS);
  if (entries.length > MAX_NAMED_AUTHENTICATORS) {
    named.push(localizedText("triage.evidenceAndMore", { count: entries.length - MAX_NAMED_AUTHENTICATORS }));
  }
  const names = named.length > 0 ? joinedText(named, ", ") : localizedText("triage.evidenceNone");
  if (restrictions.enforcementType === "allow") return localizedText("triage.evidenceKeysAllowed", { names });
  if (restrictions.enforcementType === "block") return localizedText("triage.evidenceKeysBlocked", { names });
  return localizedText("triage.evidenceKeysRestricted", { type: restrictions.enforcementType ?? "?", names });
}

/** The profiles that apply to the user, as the engine resolves them (a target naming none gets the default one). */
export function profileFacts(
  policy: TenantPolicySnapshot,
  user: UserAuthSnapshot,
  authenticatorName: (aaGuid: string) => string | null,
): Fact[] {
  const scope = resolvePasskeyScope(policy.fido2, user.memberOfGroupIds, user.user.id);
  if (scope.kind === "unreadable") {
    const read = scope.subject === "fido2Policy" ? policy.fido2 : user.memberOfGroupIds;
    return [{ title: "—", value: read.ok ? localizedText("triage.evidenceNone") : problemText(read.problem) }];
  }
  const profiles: PasskeyProfile[] = scope.kind === "included" ? scope.profiles : [];
  if (profiles.length === 0) return [{ title: "—", value: localizedText("triage.evidenceNone") }];
  return profiles.map((p) => ({
    title: p.name,
    value: joinedText(
      [
        p.passkeyTypes,
        localizedText("triage.evidenceAttestation", { value: p.attestationEnforcement }),
        keyRestrictionText(p.keyRestrictions, authenticatorName),
      ],
      "; ",
    ),
  }));
}
