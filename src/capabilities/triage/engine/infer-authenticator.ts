import type { DirectoryAuditRecord, Fido2Method, GraphRead } from "../../../graph/model.js";
import {
  type AuthenticatorFacts,
  MICROSOFT_AUTHENTICATOR_ANDROID_AAGUID,
  MICROSOFT_AUTHENTICATOR_IOS_AAGUID,
  type PasskeyType,
  WINDOWS_HELLO_AAGUIDS,
} from "../../authenticators/authenticator.js";
import { normalizeAaguid } from "../../authenticators/normalize-aaguid.js";
import { ZERO_AAGUID } from "../../authenticators/provider-requirements.js";
import type { Platform, TriageInput } from "./diagnosis.js";

const FIDO2_TYPE = "#microsoft.graph.fido2AuthenticationMethod";

/** One authenticator model question 4 is asked about, with the facts that decide it (null = not known). */
export interface AuthenticatorCandidate {
  aaGuid: string;
  name: string | null;
  passkeyType: PasskeyType | null;
  canAttest: boolean | null;
  facts: AuthenticatorFacts | null;
}

export type InferredAuthenticator =
  | {
      kind: "candidates";
      /**
       * How the candidates were chosen: named by the person, implied by the platform, their registered key, or the
       * AAGUID of a failed registration attempt in the directory audit log (read on the agent path only).
       */
      source: "named" | "platform" | "registeredKey" | "failedAttempt";
      candidates: AuthenticatorCandidate[];
    }
  | { kind: "needsAaguid" }
  | { kind: "needsPlatform" };

function canAttest(aaGuid: string, facts: AuthenticatorFacts | null, platform: Platform): boolean | null {
  // The all-zero AAGUID comes with "none" attestation: there is no statement an enforcing profile could validate.
  if (aaGuid === ZERO_AAGUID) return false;
  if (!facts) return null;
  if (facts.attestation === "inAppOnly") return platform === "ios" || platform === "android";
  return facts.attestation === "attested";
}

/** The facts question 4 needs about one AAGUID, as the person's chosen platform lets them be inferred. */
export function candidateFor(
  aaGuid: string,
  input: Pick<TriageInput, "catalog">,
  platform: Platform,
): AuthenticatorCandidate {
  const facts = input.catalog.lookup(aaGuid);
  return {
    aaGuid,
    name: facts?.name ?? null,
    // The person said "a security key": whatever model it is, a security key holds a device-bound passkey.
    passkeyType: facts?.passkeyType ?? (platform === "securityKey" ? "deviceBound" : null),
    canAttest: canAttest(aaGuid, facts, platform),
    facts,
  };
}

/**
 * The authenticator to judge: the AAGUID the person named, else what the platform implies (Windows ⇒ the Windows
 * Hello AAGUIDs, a phone ⇒ Microsoft Authenticator, a QR code on another device ⇒ Authenticator cross-device, which
 * cannot attest), else for a security key a key the person already registered.
 */
export function inferAuthenticator(input: TriageInput): InferredAuthenticator {
  const platform = input.platform ?? "unknown";
  const named = normalizeAaguid(input.aaGuid);
  if (named) return { kind: "candidates", source: "named", candidates: [candidateFor(named, input, platform)] };
  switch (platform) {
    case "windows":
      return {
        kind: "candidates",
        source: "platform",
        candidates: WINDOWS_HELLO_AAGUIDS.map((id) => candidateFor(id, input, platform)),
      };
    case "ios":
      return {
        kind: "candidates",
        source: "platform",
        candidates: [candidateFor(MICROSOFT_AUTHENTICATOR_IOS_AAGUID, input, platform)],
      };
    case "android":
      return {
        kind: "candidates",
        source: "platform",
        candidates: [candidateFor(MICROSOFT_AUTHENTICATOR_ANDROID_AAGUID, input, platform)],
      };
    case "otherDeviceQr":
      return {
        kind: "candidates",
        source: "platform",
        candidates: [MICROSOFT_AUTHENTICATOR_IOS_AAGUID, MICROSOFT_AUTHENTICATOR_ANDROID_AAGUID].map((id) =>
          candidateFor(id, input, platform),
        ),
      };
    case "securityKey": {
      const methods = input.snapshot.methods.ok ? input.snapshot.methods.value : [];
      const registeredKey = methods
        .filter((m): m is Fido2Method => m["@odata.type"] === FIDO2_TYPE)
        .map((m) => normalizeAaguid(m.aaGuid))
        .find((id): id is string => !!id && input.catalog.lookup(id)?.kind === "securityKey");
      if (registeredKey) {
        return {
          kind: "candidates",
          source: "registeredKey",
          candidates: [candidateFor(registeredKey, input, platform)],
        };
      }
      const attempted = failedAttemptAaguid(input.snapshot.registrationAudits);
      return attempted
        ? { kind: "candidates", source: "failedAttempt", candidates: [candidateFor(attempted, input, platform)] }
        : { kind: "needsAaguid" };
    }
    default:
      return { kind: "needsPlatform" };
  }
}

/** Device Registration Service's passkey adds, current and earlier names (graph.md §7.2). */
const ADD_PASSKEY_ACTIVITY = /^Add (Passkey|FIDO2 security key)/i;

/**
 * The AAGUID of the newest refused passkey add the audit log holds ("Add Passkey (device-bound)" with result failure
 * carries it in additionalDetails as "AAGuid"): the key the person really tried, when they cannot name its model.
 */
export function failedAttemptAaguid(audits: GraphRead<DirectoryAuditRecord[]>): string | null {
  if (!audits.ok) return null;
  const newestFirst = [...audits.value].sort((a, b) => b.activityDateTime.localeCompare(a.activityDateTime));
  for (const audit of newestFirst) {
    if (!ADD_PASSKEY_ACTIVITY.test(audit.activityDisplayName) || audit.result !== "failure") continue;
    const detail = (audit.additionalDetails ?? []).find((d) => d.key?.toLowerCase() === "aaguid");
    const aaGuid = normalizeAaguid(detail?.value ?? undefined);
    if (aaGuid) return aaGuid;
  }
  return null;
}
