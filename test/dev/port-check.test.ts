import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { assertPortsFree, PortClashError, PortInUseError } from "../../src/dev/port-check.js";
import { freePort } from "../support/free-port.js";

describe("assertPortsFree", () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
  });

  async function hold(host: string): Promise<number> {
    const port = await freePort();
    const server = createServer();
    servers.push(server);
    await new Promise<void>((done) => server.listen(port, host, done));
    return port;
  }

  it("names the port, what needed it and the option to change it when something listens on 127.0.0.1", async () => {
    const port = await hold("127.0.0.1");
    const claims = [{ port, purpose: "bot", option: "--bot-port" }];
    await expect(assertPortsFree(claims)).rejects.toThrow(PortInUseError);
    await expect(assertPortsFree(claims)).rejects.toThrow(
      `Port ${port} (bot) is already in use: stop whatever listens there, or choose another port with --bot-port <port>`,
    );
  });

  it("notices a port held on all interfaces too", async () => {
    const port = await hold("0.0.0.0");
    await expect(
      assertPortsFree([{ port, purpose: "Agents Playground", option: "--playground-port" }]),
    ).rejects.toThrow(/Agents Playground/);
  });

  it("accepts free ports and refuses one port given to two parts", async () => {
    const [a, b] = [await freePort(), await freePort()];
    await expect(
      assertPortsFree([
        { port: a, purpose: "bot", option: "--bot-port" },
        { port: b, purpose: "Graph emulator", option: "--emulator-port" },
      ]),
    ).resolves.toBeUndefined();
    await expect(
      assertPortsFree([
        { port: a, purpose: "bot", option: "--bot-port" },
        { port: a, purpose: "Graph emulator", option: "--emulator-port" },
      ]),
    ).rejects.toThrow(PortClashError);
  });
});
