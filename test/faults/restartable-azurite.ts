import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningAzurite, startAzurite } from "../support/azurite.js";

export interface RestartableAzurite {
  connectionString: string;
  /** Stops Azurite (SIGTERM, so it writes its data out) and waits until it has exited (its ports closed with it). */
  stop(): Promise<void>;
  /** Starts it again on the same ports over the same data. */
  start(): Promise<void>;
  /** Stops it for good and removes its data. */
  dispose(): Promise<void>;
}

/**
 * A real Azurite persisting to a temporary folder, so a test can stop it in the middle of something and start it
 * again with the data it held: what a storage outage looks like to the bot. The first start lets Azurite pick free
 * ports; a restart binds the same ones, since the bot's connection string names them. Should another process take one
 * of them while Azurite is down, the restart fails loudly (Azurite exits) rather than the bot reaching a stranger.
 */
export async function startRestartableAzurite(): Promise<RestartableAzurite> {
  const location = mkdtempSync(join(tmpdir(), "azurite-restart-"));
  let running: RunningAzurite | undefined = await startAzurite({ location });
  const { connectionString, blobPort, queuePort, tablePort } = running;
  const stop = async () => {
    const stopping = running;
    running = undefined;
    if (!stopping) return;
    await stopping.stop();
  };
  return {
    connectionString,
    stop,
    async start() {
      running ??= await startAzurite({ location, ports: { blobPort, queuePort, tablePort } });
    },
    async dispose() {
      await stop();
      rmSync(location, { recursive: true, force: true });
    },
  };
}
