import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuthenticatorCatalog } from "../../../src/capabilities/authenticators/create-authenticator-catalog.js";
import {
  FidoMetadataUnavailableError,
  loadFidoMetadata,
} from "../../../src/capabilities/authenticators/load-fido-metadata.js";
import { createTestMdsAuthority, type TestMdsAuthority } from "./sign-test-mds-blob.js";

const NEW_KEY_AAGUID = "a1b2c3d4-0000-4000-8000-00000000beef";
const COMPROMISED_AAGUID = "a1b2c3d4-0000-4000-8000-00000000dead";

function statement(aaguid: string, description: string) {
  return {
    aaguid,
    description,
    authenticatorVersion: 1,
    protocolFamily: "fido2",
    schema: 3,
    upv: [{ major: 1, minor: 1 }],
    authenticationAlgorithms: ["secp256r1_ecdsa_sha256_raw"],
    publicKeyAlgAndEncodings: ["cose"],
    attestationTypes: ["basic_full"],
    userVerificationDetails: [[{ userVerificationMethod: "presence_internal" }]],
    keyProtection: ["hardware", "secure_element"],
    matcherProtection: ["on_chip"],
    attachmentHint: ["external", "wired"],
    tcDisplay: [],
    attestationRootCertificates: [],
  };
}

function payload(no: number) {
  const nextUpdate = new Date(Date.now() + 30 * 24 * 3600_000).toISOString().slice(0, 10);
  return {
    legalHeader: "test",
    no,
    nextUpdate,
    entries: [
      {
        aaguid: NEW_KEY_AAGUID,
        metadataStatement: statement(NEW_KEY_AAGUID, "Contoso Brand-New Key"),
        statusReports: [{ status: "FIDO_CERTIFIED_L1" }],
        timeOfLastStatusChange: "2026-01-01",
      },
      {
        aaguid: COMPROMISED_AAGUID,
        metadataStatement: statement(COMPROMISED_AAGUID, "Leaky Key"),
        statusReports: [{ status: "ATTESTATION_KEY_COMPROMISE" }],
        timeOfLastStatusChange: "2026-01-01",
      },
    ],
  };
}

describe("loadFidoMetadata", () => {
  let authority: TestMdsAuthority;
  let otherAuthority: TestMdsAuthority;
  let server: Server;
  let baseUrl: string;
  const blobs = new Map<string, string>();

  beforeAll(async () => {
    authority = await createTestMdsAuthority();
    otherAuthority = await createTestMdsAuthority();
    blobs.set("/good", await authority.sign(payload(7)));
    blobs.set("/forged", await otherAuthority.sign(payload(8)));
    blobs.set("/tampered", `${(blobs.get("/good") ?? "").slice(0, -8)}AAAAAAAA`);
    server = createServer((req, res) => {
      const blob = blobs.get(req.url ?? "");
      // Not chained: once restify is loaded in the process, ServerResponse#writeHead returns undefined (restify
      // patches Node's prototype), and a chained .end() threw, so the BLOB never arrived and loadFidoMetadata hung.
      res.writeHead(blob ? 200 : 404, { "content-type": "application/jwt" });
      res.end(blob ?? "");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("describes an AAGUID from a BLOB signed by a chain that reaches the configured root", async () => {
    const source = await loadFidoMetadata({ mdsUrl: `${baseUrl}/good`, rootCertificatesPem: [authority.rootPem] });
    expect(await source.describe(NEW_KEY_AAGUID.toUpperCase())).toMatchObject({
      aaGuid: NEW_KEY_AAGUID,
      name: "Contoso Brand-New Key",
      kind: "securityKey",
      attestation: "attested",
    });
    expect(await source.describe("00000000-0000-4000-8000-000000000000")).toBeNull();
  });

  it("flags a model the BLOB reports as compromised instead of failing the lookup", async () => {
    const source = await loadFidoMetadata({ mdsUrl: `${baseUrl}/good`, rootCertificatesPem: [authority.rootPem] });
    expect(await source.describe(COMPROMISED_AAGUID)).toMatchObject({ isCompromised: true });
  });

  it("refuses a BLOB signed by a certificate that does not chain to the configured root", async () => {
    await expect(
      loadFidoMetadata({ mdsUrl: `${baseUrl}/forged`, rootCertificatesPem: [authority.rootPem] }),
    ).rejects.toBeInstanceOf(FidoMetadataUnavailableError);
  });

  it("refuses a BLOB whose signature does not match its content", async () => {
    await expect(
      loadFidoMetadata({ mdsUrl: `${baseUrl}/tampered`, rootCertificatesPem: [authority.rootPem] }),
    ).rejects.toThrow(/must download and verify/);
  });

  it("lets the catalog resolve an AAGUID it does not know and remember it for lookup", async () => {
    const metadata = await loadFidoMetadata({ mdsUrl: `${baseUrl}/good`, rootCertificatesPem: [authority.rootPem] });
    const catalog = createAuthenticatorCatalog({ metadata });
    expect(catalog.lookup(NEW_KEY_AAGUID)).toBeNull();
    expect((await catalog.resolve(NEW_KEY_AAGUID))?.name).toBe("Contoso Brand-New Key");
    expect(catalog.lookup(NEW_KEY_AAGUID)?.name).toBe("Contoso Brand-New Key");
  });
});
