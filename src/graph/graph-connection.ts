import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from "@azure/identity";
import { CachedTokenCredential } from "./cached-token-credential.js";
import { ClientCredentialsTokenCredential } from "./client-credentials-token-credential.js";
import { createGraphTransport, type GraphTransport } from "./graph-transport.js";
import type { SchedulerClock } from "./scheduler-clock.js";

/** Where Graph is and how the app proves itself; the shape of `config.graph` (src/config.ts). */
export type GraphConnectionOptions =
  | { mode: "emulator"; baseUrl: string; tenantId: string; clientId: string; clientSecret: string }
  | {
      mode: "live";
      tenantId: string;
      clientId: string;
      credential:
        | { kind: "secret"; clientSecret: string }
        | { kind: "certificate"; certificatePath: string }
        | { kind: "managedIdentity" };
      /** Defaults to https://graph.microsoft.com (national clouds differ). */
      baseUrl?: string;
    };

export interface GraphConnection {
  /** The service root without a trailing slash; a nextLink must stay on it. */
  baseUrl: string;
  transport: GraphTransport;
}

/**
 * The gateway and the inventory reader authenticate the same way and talk to the same service: one transport per
 * caller, with the app's credential cached until shortly before its token expires.
 */
export function graphConnection(
  options: GraphConnectionOptions & { requestTimeoutMs?: number },
  clock: SchedulerClock,
): GraphConnection {
  const baseUrl = (
    options.mode === "emulator" ? options.baseUrl : (options.baseUrl ?? "https://graph.microsoft.com")
  ).replace(/\/+$/, "");
  const transport = createGraphTransport({
    baseUrl,
    credential: new CachedTokenCredential(createCredential(options), () => clock.now()),
    timeoutMs: options.requestTimeoutMs,
  });
  return { baseUrl, transport };
}

/** The app's credential for Graph. */
export function createCredential(options: GraphConnectionOptions): TokenCredential {
  if (options.mode === "emulator") {
    return new ClientCredentialsTokenCredential({
      authorityHost: options.baseUrl,
      tenantId: options.tenantId,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
    });
  }
  const { credential, tenantId, clientId } = options;
  switch (credential.kind) {
    case "secret":
      return new ClientSecretCredential(tenantId, clientId, credential.clientSecret);
    case "certificate":
      return new ClientCertificateCredential(tenantId, clientId, { certificatePath: credential.certificatePath });
    case "managedIdentity":
      return new ManagedIdentityCredential({ clientId });
  }
}
