import { Writable } from "node:stream";
import { expect, it } from "vitest";
import { createLogger, RedactedKeys } from "../../src/bot/create-logger.js";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { lines, logger: createLogger("info", stream) };
}

it("never writes a TAP value, token or secret, at any depth we log", () => {
  const { lines, logger } = capture();
  const secret = "SECRET-VALUE-42";
  logger.info({ temporaryAccessPass: secret }, "top level");
  logger.info({ method: { temporaryAccessPass: secret, id: "m1" } }, "nested");
  logger.info({ response: { body: { access_token: secret } } }, "token body");
  logger.info({ req: { headers: { authorization: `Bearer ${secret}` } } }, "headers");
  logger.info({ config: { graph: { clientSecret: secret, client_secret: secret }, secrets: [secret] } }, "config");
  for (const key of RedactedKeys) logger.info({ [key]: secret, deeper: { [key]: secret } }, key);

  expect(lines.length).toBe(5 + RedactedKeys.length);
  for (const line of lines) expect(line).not.toContain(secret);
  expect(JSON.parse(lines[1] ?? "{}").method).toEqual({ temporaryAccessPass: "[Redacted]", id: "m1" });
});

it("writes one JSON line per event with the correlation id of the turn", () => {
  const { lines, logger } = capture();
  logger.child({ correlationId: "c-1" }).warn({ event: "turn.failed" }, "failed");
  expect(lines).toHaveLength(1);
  expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({ correlationId: "c-1", event: "turn.failed", msg: "failed" });
});
