import type { ContainerClient } from "@azure/storage-blob";

/** The container holding the lease blobs (one blob per kind of background work). */
export const BACKGROUND_LEASES_CONTAINER = "background-leases";

/** Azure Storage allows blob leases of 15 to 60 seconds (or infinite, which a dead instance would never give back). */
export class InvalidLeaseDurationError extends Error {
  constructor(seconds: number) {
    super(`A background lease must last 15 to 60 seconds, got ${seconds}`);
    this.name = "InvalidLeaseDurationError";
  }
}

/** The lease was lost (it expired, or storage refused the renewal): the holder must stop spending the budget. */
export class LeaseLostError extends Error {
  constructor(blobName: string) {
    super(`The background lease on ${blobName} must be held to go on; it was lost`);
    this.name = "LeaseLostError";
  }
}

export interface HeldLease {
  readonly leaseId: string;
  renew(): Promise<void>;
  release(): Promise<void>;
}

export interface BackgroundLease {
  readonly seconds: number;
  /** The lease, or null while another instance holds it. */
  tryAcquire(): Promise<HeldLease | null>;
}

/**
 * "At most one instance spends the background Graph budget" as a blob lease: Azure Storage grants a lease on a blob to
 * one holder at a time and frees it by itself `seconds` after the last renewal, so a killed instance blocks the others
 * for at most that long.
 */
export function createBackgroundLease(container: ContainerClient, blobName: string, seconds = 30): BackgroundLease {
  if (!(seconds >= 15 && seconds <= 60)) throw new InvalidLeaseDurationError(seconds);
  const blob = container.getBlockBlobClient(blobName);
  const ensureBlob = async () => {
    await container.createIfNotExists();
    if (!(await blob.exists())) {
      try {
        await blob.upload("", 0, { conditions: { ifNoneMatch: "*" } });
      } catch (error) {
        // Another instance created it first (409/412): the blob exists, which is all a lease needs.
        const status = (error as { statusCode?: number }).statusCode;
        if (status !== 409 && status !== 412) throw error;
      }
    }
  };
  return {
    seconds,
    async tryAcquire() {
      await ensureBlob();
      const client = blob.getBlobLeaseClient();
      try {
        await client.acquireLease(seconds);
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 409) return null;
        throw error;
      }
      return {
        leaseId: client.leaseId,
        async renew() {
          try {
            await client.renewLease();
          } catch {
            throw new LeaseLostError(blobName);
          }
        },
        async release() {
          try {
            await client.releaseLease();
          } catch {
            // Already expired or taken over: nothing left to give back.
          }
        },
      };
    },
  };
}
