import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";

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

export interface AzuriteOptions {
  /** Keep the data in this folder (a restart finds it again) instead of in memory. */
  location?: string;
  /** Bind these ports (a restart on the ports clients already use); by default port 0, so Azurite picks free ones. */
  ports?: Pick<RunningAzurite, "blobPort" | "queuePort" | "tablePort">;
  timeoutMs?: number;
}

const ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const LISTENING = /Azurite (Blob|Queue|Table) service is successfully listening at http:\/\/127\.0\.0\.1:(\d+)/g;

/**
 * Starts a real Azurite (in-memory) for one test file. Azurite binds port 0 and says which port each service got:
 * ports picked beforehand could be taken by another test file's process before Azurite binds them, and a request would
 * then reach someone else's service.
 */
export async function startAzurite(options: AzuriteOptions = {}): Promise<RunningAzurite> {
  const bin = resolve(__dirname, "../../node_modules/.bin/azurite");
  const timeoutMs = options.timeoutMs ?? 20_000;
  const ports = options.ports ?? { blobPort: 0, queuePort: 0, tablePort: 0 };
  const child: ChildProcess = spawn(
    bin,
    [
      ...(options.location ? ["--location", options.location] : ["--inMemoryPersistence"]),
      "--disableTelemetry",
      "--skipApiVersionCheck",
      ...["--blobHost", "127.0.0.1", "--blobPort", String(ports.blobPort)],
      ...["--queueHost", "127.0.0.1", "--queuePort", String(ports.queuePort)],
      ...["--tableHost", "127.0.0.1", "--tablePort", String(ports.tablePort)],
    ],
    { stdio: ["ignore", "pipe", "pipe"], detached: false },
  );
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once("exit", () => done());
      child.kill("SIGTERM");
    });
  let output = "";
  const listening = await new Promise<Record<string, number>>((ready, fail) => {
    const found: Record<string, number> = {};
    const timer = setTimeout(
      () => fail(new Error(`Azurite did not start within ${timeoutMs} ms: ${output}`)),
      timeoutMs,
    );
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      for (const [, service, port] of output.matchAll(LISTENING)) found[String(service)] = Number(port);
      if (found.Blob && found.Queue && found.Table) {
        clearTimeout(timer);
        ready(found);
      }
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`Azurite exited while starting (${signal ?? `code ${code}`}): ${output.trim().slice(-500)}`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  const {
    Blob: blobPort,
    Queue: queuePort,
    Table: tablePort,
  } = listening as Record<"Blob" | "Queue" | "Table", number>;
  const connectionString =
    `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${ACCOUNT_KEY};` +
    `BlobEndpoint=http://127.0.0.1:${blobPort}/devstoreaccount1;` +
    `TableEndpoint=http://127.0.0.1:${tablePort}/devstoreaccount1;` +
    `QueueEndpoint=http://127.0.0.1:${queuePort}/devstoreaccount1;`;
  return { connectionString, blobPort, queuePort, tablePort, pid: child.pid, stop };
}
