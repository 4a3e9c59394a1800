import { type ChildProcess, spawn } from "node:child_process";
import { connect } from "node:net";
import { resolve } from "node:path";
import { freePort } from "./free-port.js";

export interface RunningAzurite {
  /** Explicit devstoreaccount1 connection string with this instance's blob and table endpoints. */
  connectionString: string;
  blobPort: number;
  queuePort: number;
  tablePort: number;
  /** The Azurite process, for a bench that reports its CPU. */
  pid: number | undefined;
  stop(): Promise<void>;
}

const ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/** Starts a real Azurite (in-memory) on free ports for one test file. */
export async function startAzurite(): Promise<RunningAzurite> {
  const [blobPort, queuePort, tablePort] = [await freePort(), await freePort(), await freePort()];
  const bin = resolve(__dirname, "../../node_modules/.bin/azurite");
  const child: ChildProcess = spawn(
    bin,
    [
      "--silent",
      "--inMemoryPersistence",
      "--disableTelemetry",
      "--skipApiVersionCheck",
      ...["--blobHost", "127.0.0.1", "--blobPort", String(blobPort)],
      ...["--queueHost", "127.0.0.1", "--queuePort", String(queuePort)],
      ...["--tableHost", "127.0.0.1", "--tablePort", String(tablePort)],
    ],
    { stdio: "ignore", detached: false },
  );
  await Promise.all([waitForPort(blobPort), waitForPort(queuePort), waitForPort(tablePort)]);
  const connectionString =
    `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${ACCOUNT_KEY};` +
    `BlobEndpoint=http://127.0.0.1:${blobPort}/devstoreaccount1;` +
    `TableEndpoint=http://127.0.0.1:${tablePort}/devstoreaccount1;` +
    `QueueEndpoint=http://127.0.0.1:${queuePort}/devstoreaccount1;`;
  return {
    connectionString,
    blobPort,
    queuePort,
    tablePort,
    pid: child.pid,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once("exit", () => done());
        child.kill("SIGTERM");
      }),
  };
}

async function waitForPort(port: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((done) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        done(true);
      });
      socket.once("error", () => done(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Azurite did not open port ${port} within ${timeoutMs} ms`);
}
