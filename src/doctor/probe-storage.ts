import type { TokenCredential } from "@azure/identity";
import type { StorageConfig } from "../config.js";
import { answeredNothing, type StorageAccount, storageEndpoints } from "../storage/storage-account.js";
import type { DoctorCheck } from "./doctor-check.js";

const PROBE_TIMEOUT_MS = 3000;
export type StorageService = "tables" | "blobs" | "queues";
type Service = StorageService;

/** One line saying what to start or set when a storage endpoint does not answer. */
export function storageUnreachableFix(config: StorageConfig): string {
  return config.kind === "connectionString"
    ? "start Azurite (npm start starts it; alone: npx azurite --skipApiVersionCheck) or set STORAGE_CONNECTION_STRING"
    : "check STORAGE_ACCOUNT_URL and the network path (firewall, private endpoint) to the account";
}

/**
 * Tables, blobs and queues: each endpoint must answer (any HTTP status proves it is up), and the bot's identity must
 * be let in. With Entra ID (STORAGE_ACCOUNT_URL) a token for Azure Storage lists one item per service, so a 403
 * names the missing data role; with a connection string the SDK's own calls do it (queues: reachability only, the
 * bot has no queue client yet).
 */
export async function probeStorage(
  account: StorageAccount,
  only: readonly Service[] = ["tables", "blobs", "queues"],
): Promise<DoctorCheck[]> {
  const endpoints = storageEndpoints(account.config);
  const services: Array<[Service, string | null]> = [
    ["tables", endpoints.table],
    ["blobs", endpoints.blob],
    ["queues", endpoints.queue],
  ];
  return Promise.all(
    services
      .filter(([service]) => only.includes(service))
      .map(([service, endpoint]) => probeService(account, service, endpoint)),
  );
}

const dataRole: Record<Service, string> = {
  tables: "Storage Table Data Contributor",
  blobs: "Storage Blob Data Contributor",
  queues: "Storage Queue Data Contributor",
};

async function probeService(account: StorageAccount, service: Service, endpoint: string | null): Promise<DoctorCheck> {
  const check = `storage: ${service}`;
  if (!endpoint) {
    return {
      check,
      status: "skipped",
      detail: `the connection string names no ${service === "tables" ? "Table" : service === "blobs" ? "Blob" : "Queue"}Endpoint`,
    };
  }
  const token = account.credential ? await storageToken(account.credential).catch((error: Error) => error) : null;
  if (token instanceof Error) {
    return {
      check,
      status: "wrong",
      detail: `no Entra ID token for Azure Storage: ${token.message.split("\n")[0]}`,
      fix: "run where the managed identity is assigned (AZURE_CLIENT_ID names it), or sign in with az login",
    };
  }
  let status: number;
  try {
    status = await listOne(service, endpoint, token);
  } catch (error) {
    return {
      check,
      status: "unreachable",
      detail: `Azure Storage (${service}) at ${endpoint} does not answer: ${describeNetworkError(error)}`,
      fix: storageUnreachableFix(account.config),
    };
  }
  if (token !== null) {
    if (status >= 200 && status < 300)
      return { check, status: "ok", detail: `${endpoint} answers and lets the identity in` };
    return {
      check,
      status: "wrong",
      detail: `${endpoint} answered ${status}`,
      fix:
        status === 403
          ? `grant the bot's identity the ${dataRole[service]} role on the account (infra/azure.bicep does)`
          : "check STORAGE_ACCOUNT_URL",
    };
  }
  return checkWithConnectionString(account, service, endpoint);
}

async function checkWithConnectionString(account: StorageAccount, service: Service, endpoint: string) {
  const check = `storage: ${service}`;
  try {
    if (service === "tables") {
      if (!(await account.isReachable())) throw new Error("listing tables failed");
    } else if (service === "blobs") {
      await account.containerClient("doctor-probe").exists();
    }
    return {
      check,
      status: "ok" as const,
      detail: `${endpoint} answers${service === "queues" ? "" : " and accepts the key"}`,
    };
  } catch (error) {
    return {
      check,
      status: answeredNothing(error) ? ("unreachable" as const) : ("wrong" as const),
      detail: `${endpoint}: ${describeNetworkError(error)}`,
      fix: answeredNothing(error)
        ? storageUnreachableFix(account.config)
        : "check the account key in STORAGE_CONNECTION_STRING",
    };
  }
}

async function storageToken(credential: TokenCredential): Promise<string> {
  const token = await credential.getToken("https://storage.azure.com/.default");
  if (!token) throw new Error("the credential returned no token");
  return token.token;
}

/** GET a one-item list from the service; the HTTP status, or a throw when nothing answered. */
async function listOne(service: Service, endpoint: string, token: string | null): Promise<number> {
  const url = service === "tables" ? `${endpoint}/Tables?$top=1` : `${endpoint}/?comp=list&maxresults=1`;
  const headers: Record<string, string> = { "x-ms-version": "2021-12-02", accept: "application/json;odata=nometadata" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
  await response.arrayBuffer();
  return response.status;
}

/** "connect ECONNREFUSED 127.0.0.1:10002" rather than fetch's bare "fetch failed". */
function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { message?: string; code?: string } })?.cause;
  if (cause?.message) return cause.message;
  if (error instanceof Error && error.name === "TimeoutError") return `no answer within ${PROBE_TIMEOUT_MS / 1000} s`;
  return error instanceof Error ? error.message : String(error);
}
