import { BaseMetadataService, type MetadataStatement, SettingsService } from "@simplewebauthn/server";
import type { AuthenticatorFacts } from "./authenticator.js";
import { normalizeAaguid } from "./normalize-aaguid.js";

/** Names and status for AAGUIDs the built-in catalog does not know, from a verified FIDO MDS3 BLOB. */
export interface FidoMetadataSource {
  describe(aaGuid: string): Promise<AuthenticatorFacts | null>;
}

export interface FidoMetadataOptions {
  /** An MDS3-compatible server; defaults to FIDO's own. */
  mdsUrl?: string;
  /**
   * PEM roots the BLOB's x5c chain must reach. Omitted ⇒ SimpleWebAuthn's bundled GlobalSign roots, which FIDO signs
   * with. Note: SimpleWebAuthn keeps roots process-wide, so setting them here applies to every MDS verification.
   */
  rootCertificatesPem?: string[];
}

export const FIDO_MDS_URL = "https://mds3.fidoalliance.org/";

/** The BLOB could not be downloaded, or its signature or certificate chain did not verify. */
export class FidoMetadataUnavailableError extends Error {
  constructor(url: string, reason: string) {
    super(`The FIDO metadata BLOB from ${url} must download and verify against the MDS root certificate: ${reason}`);
    this.name = "FidoMetadataUnavailableError";
  }
}

const ATTESTING_TYPES = new Set(["basic_full", "attca", "anonca"]);

function factsFromStatement(aaGuid: string, statement: MetadataStatement): AuthenticatorFacts {
  const isInternal = statement.attachmentHint?.includes("internal") ?? false;
  return {
    aaGuid,
    name: statement.description,
    source: "FIDO Metadata Service (live)",
    kind: isInternal ? "platform" : "securityKey",
    platform: "any",
    passkeyType: "deviceBound",
    attestation: statement.attestationTypes.some((type) => ATTESTING_TYPES.has(type)) ? "attested" : "none",
  };
}

/**
 * Downloads and verifies the FIDO MDS3 BLOB with SimpleWebAuthn's MetadataService (signature, x5c chain to the root,
 * BLOB serial), which caches its statements and refreshes them after the BLOB's `nextUpdate`. Throws
 * FidoMetadataUnavailableError instead of quietly serving an empty list, which is what the service itself does.
 */
export async function loadFidoMetadata(options: FidoMetadataOptions = {}): Promise<FidoMetadataSource> {
  const url = options.mdsUrl ?? FIDO_MDS_URL;
  if (options.rootCertificatesPem) {
    SettingsService.setRootCertificates({ identifier: "mds", certificates: options.rootCertificatesPem });
  }
  const failures: string[] = [];
  const service = new BaseMetadataService();
  await service.initialize({
    mdsServers: [url],
    verificationMode: "permissive",
    logger: {
      error: (message: string, error: unknown) => {
        const cause =
          error instanceof Error
            ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ""}`
            : "";
        failures.push(cause || message);
      },
    },
  });
  if (failures.length > 0) throw new FidoMetadataUnavailableError(url, failures.join("; "));

  return {
    async describe(aaGuid) {
      const key = normalizeAaguid(aaGuid);
      if (!key) return null;
      try {
        const statement = await service.getStatement(key);
        return statement ? factsFromStatement(key, statement) : null;
      } catch (error) {
        // The service refuses statements of models with a compromise report; the help desk must still see the name.
        if (error instanceof Error && error.message.startsWith("Detected compromised")) {
          return {
            aaGuid: key,
            name: key,
            source: "FIDO Metadata Service (live)",
            kind: "securityKey",
            platform: "any",
            passkeyType: "deviceBound",
            attestation: "attested",
            isCompromised: true,
          };
        }
        throw error;
      }
    },
  };
}
