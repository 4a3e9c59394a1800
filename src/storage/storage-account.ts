import { TableClient, TableServiceClient } from "@azure/data-tables";
import { DefaultAzureCredential, type TokenCredential } from "@azure/identity";
import { BlobServiceClient, type ContainerClient } from "@azure/storage-blob";
import type { StorageConfig } from "../config.js";
import { isStatus } from "./update-entity-if-match.js";

/** Tables and blob containers of one storage account: Azurite by connection string, or Azure with Entra ID. */
export interface StorageAccount {
  readonly config: StorageConfig;
  /** The credential for `accountUrl` storage (DefaultAzureCredential); undefined for connection strings. */
  readonly credential: TokenCredential | undefined;
  /** A client for the table; the name is remembered so `ensureTables()` creates it at start-up. */
  tableClient(tableName: string): TableClient;
  containerClient(containerName: string): ContainerClient;
  /**
   * A container client for work someone waits on inside one invoke (Teams stops waiting after about 15 s): two short
   * tries instead of the SDK's four with back-off up to two minutes, so a storage outage is an answer, not a hang.
   */
  interactiveContainerClient(containerName: string): ContainerClient;
  /** Creates the tables (default: every table asked for so far) if they do not exist; safe to repeat. */
  ensureTables(tableNames?: readonly string[]): Promise<void>;
  /** Cheap probe for /healthz: lists at most one table. */
  isReachable(): Promise<boolean>;
}

export function createStorageAccount(config: StorageConfig, credential?: TokenCredential): StorageAccount {
  // Azurite serves plain http; the SDK refuses shared-key auth over http unless told.
  const tableOptions = { allowInsecureConnection: true };
  const connectionString = config.kind === "connectionString" ? expandDevelopmentStorage(config.connectionString) : "";
  const tokenCredential = config.kind === "accountUrl" ? (credential ?? new DefaultAzureCredential()) : undefined;

  const tableService =
    config.kind === "connectionString"
      ? TableServiceClient.fromConnectionString(connectionString, tableOptions)
      : new TableServiceClient(config.tableUrl, tokenCredential as TokenCredential);
  // /healthz must answer quickly: the probe does not retry and gives up after a few seconds.
  const probeOptions = { ...tableOptions, retryOptions: { maxRetries: 0, tryTimeoutInMs: 3000 } };
  const probeService =
    config.kind === "connectionString"
      ? TableServiceClient.fromConnectionString(connectionString, probeOptions)
      : new TableServiceClient(config.tableUrl, tokenCredential as TokenCredential, probeOptions);
  const blobService =
    config.kind === "connectionString"
      ? BlobServiceClient.fromConnectionString(connectionString)
      : new BlobServiceClient(config.blobUrl, tokenCredential);

  const interactiveOptions = { retryOptions: { maxTries: 2, retryDelayInMs: 300, tryTimeoutInMs: 5000 } };
  const interactiveBlobService =
    config.kind === "connectionString"
      ? BlobServiceClient.fromConnectionString(connectionString, interactiveOptions)
      : new BlobServiceClient(config.blobUrl, tokenCredential, interactiveOptions);

  const knownTables = new Set<string>();

  return {
    config,
    credential: tokenCredential,
    tableClient(tableName) {
      knownTables.add(tableName);
      return config.kind === "connectionString"
        ? TableClient.fromConnectionString(connectionString, tableName, tableOptions)
        : new TableClient(config.tableUrl, tableName, tokenCredential as TokenCredential);
    },
    containerClient: (containerName) => blobService.getContainerClient(containerName),
    interactiveContainerClient: (containerName) => interactiveBlobService.getContainerClient(containerName),
    async ensureTables(tableNames = [...knownTables]) {
      for (const name of tableNames) {
        try {
          await tableService.createTable(name);
        } catch (error) {
          if (isStatus(error, 409)) continue;
          if (answeredNothing(error)) throw new StorageUnreachableError(config, tableService.url, error);
          throw error;
        }
      }
    },
    async isReachable() {
      try {
        const pages = probeService.listTables().byPage({ maxPageSize: 1 });
        await pages.next();
        return true;
      } catch {
        return false;
      }
    },
  };
}

/**
 * Start-up could not reach the storage account at all (nothing answered). The message names storage, the endpoint and
 * what to do: the bare "connect ECONNREFUSED 127.0.0.1:10002" said none of that.
 */
export class StorageUnreachableError extends Error {
  constructor(
    config: StorageConfig,
    readonly endpoint: string,
    cause: unknown,
  ) {
    const hint =
      config.kind === "connectionString"
        ? "start Azurite or set STORAGE_CONNECTION_STRING"
        : "check STORAGE_ACCOUNT_URL and the network path to the account";
    super(
      `Azure Storage is not reachable at ${endpoint}: ${cause instanceof Error ? cause.message : String(cause)} — ${hint}`,
      { cause },
    );
    this.name = "StorageUnreachableError";
  }
}

/** No HTTP answer at all (refused, unknown host, reset, timeout), as opposed to an error the service answered with. */
export function answeredNothing(error: unknown): boolean {
  const { statusCode, code } = (error ?? {}) as { statusCode?: number; code?: string };
  return (
    statusCode === undefined &&
    typeof code === "string" &&
    /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|REQUEST_SEND_ERROR)$/.test(code)
  );
}

const AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/** The Tables SDK does not understand the `UseDevelopmentStorage=true` shorthand; spell Azurite's defaults out. */
export function expandDevelopmentStorage(connectionString: string): string {
  if (connectionString.trim() !== "UseDevelopmentStorage=true") return connectionString;
  return (
    `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${AZURITE_KEY};` +
    "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;" +
    "TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;"
  );
}

/**
 * The account's blob, table and queue endpoints, for messages and probes: from the connection string's `…Endpoint=`
 * entries or (with none) its account name and suffix, or from STORAGE_ACCOUNT_URL (`.blob.` → `.table.`/`.queue.`). null when a
 * connection string names no such endpoint and no account to derive it from.
 */
export function storageEndpoints(config: StorageConfig): Record<"blob" | "table" | "queue", string | null> {
  if (config.kind === "accountUrl") {
    return { blob: config.blobUrl, table: config.tableUrl, queue: config.blobUrl.replace(".blob.", ".queue.") };
  }
  const parts = new Map<string, string>();
  for (const part of expandDevelopmentStorage(config.connectionString).split(";")) {
    const at = part.indexOf("=");
    if (at > 0) parts.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  const account = parts.get("accountname");
  // Explicit endpoints (Azurite, custom domains) mean the account name says nothing about where the others are.
  const hasExplicitEndpoints = [...parts.keys()].some((key) => key.endsWith("endpoint"));
  const derived = (service: string) =>
    account && !hasExplicitEndpoints
      ? `${parts.get("defaultendpointsprotocol") ?? "https"}://${account}.${service}.${parts.get("endpointsuffix") ?? "core.windows.net"}`
      : null;
  const endpoint = (service: string) => parts.get(`${service}endpoint`)?.replace(/\/+$/, "") ?? derived(service);
  return { blob: endpoint("blob"), table: endpoint("table"), queue: endpoint("queue") };
}
