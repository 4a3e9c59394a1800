import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "../support/free-port.js";

const ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface RestartableAzurite {
  connectionString: string;
  /** Stops Azurite (SIGTERM, so it writes its data out) and waits until its ports are closed. */
  stop(): Promise<void>;
  /** Starts it again on the same ports over the same data. */
  start(): Promise<void>;
  /** Stops it for good and removes its data. */
  dispose(): Promise<void>;
}

/**
 * A real Azurite persisting to a temporary folder on fixed (free) ports, so a test can stop it in the middle of
 * something and start it again with the data it held: what a storage outage looks like to the bot.
 */
export async function startRestartableAzurite(): Promise<RestartableAzurite> {
  const location = mkdtempSync(join(tmpdir(), "azurite-restart-"));
  const [blobPort, queuePort, tablePort] = [await freePort(), await freePort(), await freePort()];
  const bin = resolve(__dirname, "../../node_modules/.bin/azurite");
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn(
      bin,
      [
        "--silent",
        "--disableTelemetry",
        "--skipApiVersionCheck",
        "--location",
        location,
        ...["--blobHost", "127.0.0.1", "--blobPort", String(blobPort)],
        ...["--queueHost", "127.0.0.1", "--queuePort", String(queuePort)],
        ...["--tableHost", "127.0.0.1", "--tablePort", String(tablePort)],
      ],
      { stdio: "ignore" },
    );
    await Promise.all([blobPort, queuePort, tablePort].map((port) => waitForPort(port, true)));
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((done) => {
      running.once("exit", () => done());
      running.kill("SIGTERM");
    });
    await Promise.all([blobPort, queuePort, tablePort].map((port) => waitForPort(port, false)));
  };
  await start();
  return {
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${ACCOUNT_KEY};` +
      `BlobEndpoint=http://127.0.0.1:${blobPort}/devstoreaccount1;` +
      `TableEndpoint=http://127.0.0.1:${tablePort}/devstoreaccount1;` +
      `QueueEndpoint=http://127.0.0.1:${queuePort}/devstoreaccount1;`,
    stop,
    start,
    async dispose() {
      await stop();
      rmSync(location, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, open: boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const isOpen = await new Promise<boolean>((done) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        done(true);
      });
      socket.once("error", () => done(false));
    });
    if (isOpen === open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Azurite port ${port} did not ${open ? "open" : "close"} within ${timeoutMs} ms`);
}
