import { afterEach, describe, expect, it } from "vitest";
import { alice, startTestEmulator, type TestEmulator } from "./emulator-harness.js";

const HOUR = 3600_000;

describe("keepTimesCurrent: a rebased tenant's own history moves with the clock", () => {
  let harness: TestEmulator | null = null;
  afterEach(async () => {
    await harness?.emulator.close();
    harness = null;
  });

  async function signInTimes(h: TestEmulator): Promise<string[]> {
    const { body } = await h.graph(`/beta/auditLogs/signIns?$filter=userId eq '${alice.id}'`);
    return (body.value as Array<{ createdDateTime: string }>).map((s) => s.createdDateTime);
  }

  it("keeps the file's sign-ins as old as at capture, however long the emulator runs", async () => {
    harness = await startTestEmulator({ keepTimesCurrent: true });
    const before = await signInTimes(harness);
    expect(before.length).toBeGreaterThan(0);
    harness.clock.advance(5 * HOUR + 90_000);
    const after = await signInTimes(harness);
    expect(after.map((t) => Date.parse(t) - 5 * HOUR - 90_000)).toEqual(before.map((t) => Date.parse(t)));
  });

  it("leaves what happened while running (a TAP issued) at its real time", async () => {
    harness = await startTestEmulator({ keepTimesCurrent: true });
    const created = await harness.graph(`/v1.0/users/${alice.id}/authentication/temporaryAccessPassMethods`, {
      method: "POST",
      body: { isUsableOnce: true, lifetimeInMinutes: 60 },
    });
    expect(created.status).toBe(201);
    harness.clock.advance(2 * HOUR);
    const { body } = await harness.graph(`/v1.0/users/${alice.id}/authentication/temporaryAccessPassMethods`);
    const tap = body.value.find((m: { id: string }) => m.id === created.body.id);
    expect(tap.startDateTime).toBe(created.body.startDateTime);
    expect(tap.methodUsabilityReason).toBe("Expired");
  });

  it("lets time pass when not asked to keep it current", async () => {
    harness = await startTestEmulator();
    const before = await signInTimes(harness);
    harness.clock.advance(HOUR);
    expect(await signInTimes(harness)).toEqual(before);
  });
});
