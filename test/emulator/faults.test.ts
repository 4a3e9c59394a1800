import { describe, expect, it } from "vitest";
import { createFaultInjector, InvalidFaultSpecError, parseFaultSpec } from "../../src/emulator/fault-injector.js";
import { alice, startTestEmulator } from "./emulator-harness.js";

describe("fault injection", () => {
  it("parses a spec of status, slow and reset faults", () => {
    expect(parseFaultSpec("503:0.05,slow:0.02:1500,reset:0.01")).toEqual([
      { fault: { kind: "status", status: 503 }, rate: 0.05 },
      { fault: { kind: "slow", delayMs: 1500 }, rate: 0.02 },
      { fault: { kind: "reset" }, rate: 0.01 },
    ]);
    expect(() => parseFaultSpec("teapot:0.5")).toThrow(InvalidFaultSpecError);
    expect(() => parseFaultSpec("503:2")).toThrow(/rate/);
  });

  it("draws the same faults for the same seed", () => {
    const draw = (seed: number) => {
      const injector = createFaultInjector("503:0.3,reset:0.2", seed);
      return Array.from({ length: 50 }, () => injector.next()?.kind ?? "none");
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).toContain("status");
    expect(draw(7)).toContain("reset");
  });

  it("answers injected 503s in Graph's envelope and resets connections over HTTP", async () => {
    const t = await startTestEmulator({ faults: "503:1", throttleScale: 1000 });
    const response = await t.graph(`/v1.0/users/${alice.id}`);
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe("serviceNotAvailable");
    await t.emulator.close();
    const reset = await startTestEmulator({ faults: "reset:1" });
    await expect(reset.graph(`/v1.0/users/${alice.id}`)).rejects.toThrow();
    await reset.emulator.close();
  });
});
