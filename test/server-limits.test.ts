import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { createBotAdapter } from "../src/bot/create-bot-adapter.js";
import { createLogger } from "../src/bot/create-logger.js";
import { loadConfig } from "../src/config.js";
import { startApp } from "../src/index.js";
import { activityShapeProblem, MAX_ACTIVITY_BYTES, startServer } from "../src/server.js";
import { practicePersona, teamsActivity } from "./support/bot-http.js";
import { freePort } from "./support/free-port.js";

const noHealth = {
  graph: { isReachable: async () => true },
  storage: { isReachable: async () => true },
};

/** Sends raw HTTP and resolves with the status line the server answered, and how much of the body was written. */
function rawPost(url: string, headers: string[], bodyBytesToSend: number): Promise<{ status: number; sent: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let answer = "";
    let sent = 0;
    socket.on("connect", () => {
      socket.write(`POST /api/messages HTTP/1.1\r\nHost: ${hostname}\r\n${headers.join("\r\n")}\r\n\r\n`);
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      const pump = () => {
        while (sent < bodyBytesToSend && !socket.destroyed && answer === "") {
          sent += chunk.length;
          if (!socket.write(chunk)) {
            socket.once("drain", pump);
            return;
          }
        }
      };
      // The body goes out only after the answer had its chance to arrive: 413 must not wait for it.
      setImmediate(pump);
    });
    socket.on("data", (data) => {
      answer += data.toString("latin1");
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (status) {
        resolve({ status: Number(status[1]), sent });
        socket.destroy();
      }
    });
    socket.on("error", (error) => (answer ? undefined : reject(error)));
  });
}

describe("request size limit", () => {
  it.each([
    ["anonymously", false],
    ["with bot credentials required", true],
  ])("refuses a declared 400 MB body with 413 before reading it (%s)", async (_label, requireAuthorization) => {
    let turns = 0;
    const server = await startServer({
      adapter: createBotAdapter({ kind: "anonymous" }),
      handleTurn: async () => void turns++,
      health: noHealth,
      logger: createLogger("silent"),
      requireAuthorization,
      port: 0,
    });
    try {
      const answer = await rawPost(
        server.url,
        ["Content-Type: application/json", `Content-Length: ${400 * 1024 * 1024}`],
        0,
      );
      expect(answer.status).toBe(413);
      expect(turns).toBe(0);
    } finally {
      await server.close();
    }
  });

  it("refuses a chunked body once it passes the limit, without waiting for the rest", async () => {
    const server = await startServer({
      adapter: createBotAdapter({ kind: "anonymous" }),
      handleTurn: async () => {},
      health: noHealth,
      logger: createLogger("silent"),
      port: 0,
    });
    try {
      const answer = await rawPost(
        server.url,
        ["Content-Type: application/json", "Transfer-Encoding: chunked"],
        // Chunked framing is not valid here on purpose: the server must stop reading at the limit regardless.
        64 * 1024 * 1024,
      );
      expect([400, 413]).toContain(answer.status);
      expect(answer.sent).toBeLessThan(64 * 1024 * 1024);
    } finally {
      await server.close();
    }
  });

  it("accepts an activity just under the limit and refuses one just over it", async () => {
    const server = await startServer({
      adapter: createBotAdapter({ kind: "anonymous" }),
      handleTurn: async () => {},
      health: noHealth,
      logger: createLogger("silent"),
      port: 0,
    });
    try {
      const caller = { aadObjectId: "00000000-0000-4000-8000-000000000001" };
      const sized = (bytes: number) => {
        const base = JSON.stringify(teamsActivity(caller, { type: "message", text: "" }));
        return JSON.stringify(teamsActivity(caller, { type: "message", text: "x".repeat(bytes - base.length) }));
      };
      const send = (body: string) =>
        fetch(`${server.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body });
      expect(Buffer.byteLength(sized(MAX_ACTIVITY_BYTES))).toBe(MAX_ACTIVITY_BYTES);
      expect((await send(sized(MAX_ACTIVITY_BYTES))).status).toBe(200);
      expect((await send(sized(MAX_ACTIVITY_BYTES + 1))).status).toBe(413);
    } finally {
      await server.close();
    }
  });
});

describe("malformed activities", () => {
  it.each([
    ["an object locale", { locale: { evil: true } }, "locale must be a string"],
    ["a numeric text", { text: 42 }, "text must be a string"],
    ["a string from", { from: "someone" }, "from must be an object"],
    ["an array conversation", { conversation: [] }, "conversation must be an object"],
    ["a numeric aadObjectId", { from: { id: "29:x", aadObjectId: 7 } }, "from.aadObjectId must be a string"],
    ["attachments that are not a list", { attachments: "card" }, "attachments must be an array"],
    [
      "a tenant id that is an object",
      { channelData: { tenant: { id: {} } } },
      "channelData.tenant.id must be a string",
    ],
  ])("names %s as the problem", (_label, fields, problem) => {
    const activity = teamsActivity(
      { aadObjectId: "00000000-0000-4000-8000-000000000001" },
      { type: "message", ...fields },
    );
    expect(activityShapeProblem(activity)).toBe(problem);
  });

  it("leaves a well-formed activity, and fields it does not know, alone", () => {
    const activity = teamsActivity(
      { aadObjectId: "00000000-0000-4000-8000-000000000001" },
      { type: "message", text: "help", somethingNew: { nested: [1, 2] } },
    );
    expect(activityShapeProblem(activity)).toBeUndefined();
  });

  it("answers 400 (never 500) to an activity whose locale is an object, and to a body that is not JSON", async () => {
    let turns = 0;
    const server = await startServer({
      adapter: createBotAdapter({ kind: "anonymous" }),
      handleTurn: async () => void turns++,
      health: noHealth,
      logger: createLogger("silent"),
      port: 0,
    });
    try {
      const activity = teamsActivity(practicePersona("all-good"), { type: "message", text: "help", locale: {} });
      const post = (body: string) =>
        fetch(`${server.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body });
      expect((await post(JSON.stringify(activity))).status).toBe(400);
      expect((await post("{not json")).status).toBe(400);
      expect(turns).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe("token validation", () => {
  it("answers 503 (never 500) when the Bot Framework's signing keys cannot be fetched, and 401 to a token refused outright", async () => {
    const closedPort = await freePort();
    const appId = "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
    const adapter = createBotAdapter({
      kind: "password",
      appId,
      password: "x",
      tenantId: "7d3e5a2c-1b4f-4c8e-9a6d-2f0b8c4e6a10",
    });
    // Point the key discovery at a port nobody listens on: the keys are "unreachable".
    const auth = (adapter as unknown as { botFrameworkAuthentication: Record<string, unknown> })
      .botFrameworkAuthentication;
    const inner = (auth.inner ?? auth) as Record<string, unknown>;
    inner.toBotFromChannelOpenIdMetadataUrl = `http://127.0.0.1:${closedPort}/.well-known/openidconfiguration`;
    let turns = 0;
    const server = await startServer({
      adapter,
      handleTurn: async () => void turns++,
      health: noHealth,
      logger: createLogger("silent"),
      requireAuthorization: true,
      port: 0,
    });
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const token = [
      encode({ alg: "RS256", kid: "unknown-key", typ: "JWT" }),
      encode({
        iss: "https://api.botframework.com",
        aud: appId,
        exp: Math.floor(Date.now() / 1000) + 600,
        nbf: Math.floor(Date.now() / 1000) - 60,
        serviceurl: "https://smba.trafficmanager.net/emea/",
      }),
      "c2lnbmF0dXJl",
    ].join(".");
    try {
      const activity = teamsActivity(practicePersona("all-good"), {
        type: "message",
        text: "help",
        serviceUrl: "https://smba.trafficmanager.net/emea/",
      });
      const post = (authorization: string) =>
        fetch(`${server.url}/api/messages`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization },
          body: JSON.stringify(activity),
        });
      const unreachable = await post(`Bearer ${token}`);
      expect(unreachable.status).toBe(503);
      expect((await post("Bearer not.a.token")).status).toBe(401);
      expect(turns).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe("/healthz", () => {
  it("probes Graph at most once per 30 s however often it is asked", async () => {
    let graphProbes = 0;
    let now = 1_000_000;
    const server = await startServer({
      adapter: createBotAdapter({ kind: "anonymous" }),
      handleTurn: async () => {},
      health: {
        graph: {
          isReachable: async () => {
            graphProbes++;
            return true;
          },
        },
        storage: { isReachable: async () => true },
      },
      logger: createLogger("silent"),
      port: 0,
      now: () => now,
    });
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`${server.url}/healthz`)));
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
      now += 29_999;
      await fetch(`${server.url}/healthz`);
      expect(graphProbes).toBe(1);
      now += 1;
      await fetch(`${server.url}/healthz`);
      expect(graphProbes).toBe(2);
    } finally {
      await server.close();
    }
  });
});

describe("anonymous local mode", () => {
  it("refuses to listen on every interface without bot credentials", async () => {
    const config = loadConfig({ PORT: "0" });
    await expect(startApp(config, { logger: createLogger("silent"), host: "0.0.0.0" })).rejects.toThrow(/127\.0\.0\.1/);
  });
});
