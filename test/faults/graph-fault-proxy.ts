import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the proxy does to one Graph request. */
export type ProxyFault =
  /** Graph's throttling answer, the request never reaches the emulator. */
  | "429"
  /** A 503 serviceNotAvailable, the request never reaches the emulator. */
  | "503"
  /** The connection is cut before the request reaches the emulator. */
  | "resetBefore"
  /** The emulator carries the request out, then the connection is cut: the caller cannot know it happened. */
  | "resetAfter"
  /** The emulator carries the request out, then the answer is replaced by a 503: the outcome is unknown too. */
  | "503After";

export interface FaultRule {
  fault: ProxyFault;
  /** Share of matching requests hit (drawn from a seeded generator, so a run is reproducible). */
  rate: number;
  /** Only requests whose method and path match, e.g. `POST /v1.0/users/x/authentication/temporaryAccessPassMethods`. */
  match?: RegExp;
}

export interface GraphFaultProxy {
  baseUrl: string;
  /** Faults injected, by kind, for the test's report. */
  injected: Record<ProxyFault, number>;
  /** Every Graph request that went through, with when it started and ended and Graph's status (0: cut). */
  log: Array<{ line: string; startMs: number; endMs: number; status: number }>;
  setRules(rules: FaultRule[]): void;
  close(): Promise<void>;
}

/**
 * A reverse proxy in front of the Graph emulator that injects faults the emulator's own fault modes cannot: a failure
 * after Graph has done the work (the TAP exists, the answer is lost). Token requests are never faulted.
 */
export async function startGraphFaultProxy(target: string, seed = 1): Promise<GraphFaultProxy> {
  let rules: FaultRule[] = [];
  let state = seed >>> 0 || 1;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
  const injected: Record<ProxyFault, number> = { "429": 0, "503": 0, resetBefore: 0, resetAfter: 0, "503After": 0 };

  const log: GraphFaultProxy["log"] = [];
  let ownUrl = "";
  const server: Server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = req.url ?? "/";
    const isGraph = /^\/(v1\.0|beta)\//.test(url);
    const line = `${req.method} ${url.split("?")[0]}`;
    const rule = isGraph ? rules.find((r) => (!r.match || r.match.test(line)) && random() < r.rate) : undefined;
    if (rule) injected[rule.fault] += 1;
    if (rule?.fault === "429") {
      res.writeHead(429, { "content-type": "application/json", "retry-after": "1" });
      res.end(JSON.stringify({ error: { code: "TooManyRequests", message: "Please retry again later." } }));
      return;
    }
    if (rule?.fault === "503") {
      res.writeHead(503, { "content-type": "application/json", "retry-after": "1" });
      res.end(JSON.stringify({ error: { code: "serviceNotAvailable", message: "Service unavailable" } }));
      return;
    }
    if (rule?.fault === "resetBefore") {
      req.socket.destroy();
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || name === "host" || name === "content-length" || name === "connection") continue;
      headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
    const startMs = Date.now();
    const answer = await fetch(`${target}${url}`, { method: req.method, headers, body });
    // Absolute next links name the emulator; rewritten so that paging stays behind the proxy too.
    const text = Buffer.from((await answer.text()).replaceAll(target, ownUrl));
    if (isGraph) log.push({ line, startMs, endMs: Date.now(), status: answer.status });
    if (rule?.fault === "resetAfter") {
      req.socket.destroy();
      return;
    }
    if (rule?.fault === "503After") {
      res.writeHead(503, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "serviceNotAvailable", message: "Service unavailable" } }));
      return;
    }
    const out: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (name !== "content-length" && name !== "transfer-encoding" && name !== "content-encoding") out[name] = value;
    });
    res.writeHead(answer.status, out);
    res.end(text);
  }

  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  ownUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl: ownUrl,
    injected,
    log,
    setRules(next) {
      rules = next;
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
