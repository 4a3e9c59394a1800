import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

export interface TestMdsAuthority {
  rootPem: string;
  /** Signs an MDS3 payload as a JWT carrying the signing certificate in x5c. */
  sign(payload: object): Promise<string>;
}

function base64Url(data: ArrayBuffer | Uint8Array | string): string {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data as ArrayBuffer);
  return bytes.toString("base64url");
}

/** A root CA and a BLOB-signing certificate of our own, so MDS verification runs offline exactly as it would live. */
export async function createTestMdsAuthority(): Promise<TestMdsAuthority> {
  const now = Date.now();
  const notBefore = new Date(now - 24 * 3600_000);
  const notAfter = new Date(now + 30 * 24 * 3600_000);
  const rootKeys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"])) as CryptoKeyPair;
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: "CN=Passkey Helpdesk Test MDS Root",
    notBefore,
    notAfter,
    keys: rootKeys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });
  const signerKeys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"])) as CryptoKeyPair;
  const signer = await x509.X509CertificateGenerator.create({
    serialNumber: "02",
    subject: "CN=Passkey Helpdesk Test MDS Signer",
    issuer: root.subject,
    notBefore,
    notAfter,
    publicKey: signerKeys.publicKey,
    signingKey: rootKeys.privateKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    ],
  });
  return {
    rootPem: root.toString("pem"),
    async sign(payload) {
      const header = { alg: "ES256", typ: "JWT", x5c: [Buffer.from(signer.rawData).toString("base64")] };
      const signingInput = `${base64Url(JSON.stringify(header))}.${base64Url(JSON.stringify(payload))}`;
      const signature = await webcrypto.subtle.sign(
        { name: "ECDSA", hash: "SHA-256" },
        signerKeys.privateKey,
        Buffer.from(signingInput, "utf8"),
      );
      return `${signingInput}.${base64Url(signature)}`;
    },
  };
}
