import type { PasskeyProfile } from "../../../graph/model.js";
import { passkeyTypesOf } from "./check-profile.js";
import type { QuestionResult, TriageInput } from "./diagnosis.js";
import { diagnosisText } from "./diagnosis-text.js";
import { resolvePasskeyScope } from "./resolve-passkey-scope.js";

/**
 * "A security key, I don't know which": what holds for every model is judged anyway. Every security key makes a
 * device-bound passkey, so profiles that take no device-bound passkeys refuse any key; a profile with device-bound on,
 * attestation off and no key restrictions takes any FIDO2 key. Anything else depends on the model, and the texts say
 * what would settle it (the model printed on the key; for the agent, the AAGuid of a failed attempt's audit event).
 */
export function judgeAnySecurityKey(input: TriageInput, base: QuestionResult): QuestionResult {
  const unknown: QuestionResult = {
    ...base,
    summary: diagnosisText("authenticator.summary.whichKey"),
    missing: diagnosisText("missing.securityKeyModel"),
    userFix: [diagnosisText("authenticator.userFix.nameYourKey"), diagnosisText("authenticator.userFix.findModel")],
  };
  const scope = resolvePasskeyScope(input.policy.fido2, input.snapshot.memberOfGroupIds, input.snapshot.user.id);
  if (scope.kind !== "included" || scope.profiles.length === 0) return unknown;
  const takesDeviceBound = (p: PasskeyProfile) => passkeyTypesOf(p).has("devicebound");
  if (!scope.profiles.some(takesDeviceBound)) {
    return {
      ...base,
      verdict: "fail",
      summary: diagnosisText("authenticator.summary.noSecurityKeys"),
      userFix: [diagnosisText("common.userFix.askHelpdesk")],
      adminFix: scope.profiles.map((p) =>
        diagnosisText("authenticator.adminFix.allowPasskeyType", { profile: p.name, type: "deviceBound" }),
      ),
    };
  }
  const takesAnyKey = scope.profiles.find(
    (p) => takesDeviceBound(p) && p.attestationEnforcement !== "registrationOnly" && !p.keyRestrictions?.isEnforced,
  );
  if (takesAnyKey) {
    return {
      ...base,
      verdict: "pass",
      summary: diagnosisText("authenticator.summary.anyKeyAccepted", { profile: takesAnyKey.name }),
    };
  }
  return unknown;
}
