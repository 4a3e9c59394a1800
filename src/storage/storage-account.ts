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
function answeredNothing(error: unknown): boolean {
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
    "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;" +
    "QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;"
  );
}
