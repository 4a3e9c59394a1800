import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WatchIncompleteError, watchIssuedTaps } from "../../../src/capabilities/tap/watch-issued-taps.js";
import { type RunningEmulator, startEmulator } from "../../../src/emulator/start-emulator.js";
import { NotFoundError } from "../../../src/graph/graph-errors.js";
import { TapRequestRepository } from "../../../src/storage/tap-request-repository.js";
import { type RunningAzurite, startAzurite } from "../../support/azurite.js";
import { PRACTICE_TENANT_PATH, practicePersona } from "../../support/bot-http.js";
import { practiceTapDependencies } from "./practice-tap-deps.js";
import { aTapRequest } from "./tap-request-fixture.js";

let azurite: RunningAzurite;
let emulator: RunningEmulator;

beforeAll(async () => {
  [azurite, emulator] = await Promise.all([
    startAzurite(),
    startEmulator({ port: 0, tenant: PRACTICE_TENANT_PATH, throttleScale: 100 }),
  ]);
});
afterAll(async () => {
  await Promise.all([emulator?.close(), azurite?.stop()]);
});

describe("watchIssuedTaps", () => {
  it("still revokes the TAPs after one whose target Graph cannot read, and reports that one for the next pass", async () => {
    const store = TapRequestRepository.fromConnectionString(azurite.connectionString, "TapWatchIsolation");
    const deps = { ...practiceTapDependencies({ emulator, connectionString: azurite.connectionString }), store };
    const issuedAt = new Date(Date.now() - 60_000).toISOString();
    const issued = {
      status: "issued" as const,
      issuedAt,
      startDateTime: issuedAt,
      aftermath: { state: "watching" as const },
    };
    // Listed first (row keys sort by id): a target deleted from the directory since issuance, so Graph answers 404.
    const gone = aTapRequest({
      ...issued,
      id: "00000000-0000-4000-8000-00000000000a",
      methodId: "0a000000-0000-4000-8000-00000000000a",
    });
    const target = practicePersona("yubikey-allowed");
    const live = aTapRequest({
      ...issued,
      id: "ffffffff-0000-4000-8000-00000000000b",
      methodId: "0b000000-0000-4000-8000-00000000000b",
      target: { id: target.aadObjectId, userPrincipalName: target.userPrincipalName, displayName: null },
    });
    await store.create(gone);
    await store.create(live);
    const registered = await fetch(`${emulator.baseUrl}/_emulator/passkey-registrations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        user: target.aadObjectId,
        aaGuid: "90a3ccdf-635c-4729-a248-9b709135078f",
        displayName: "iPhone",
        attestationLevel: "notAttested",
      }),
    });
    expect(registered.ok).toBe(true);

    const pass = await watchIssuedTaps(deps).then(
      () => null,
      (error: unknown) => error,
    );
    expect(pass).toBeInstanceOf(WatchIncompleteError);
    expect((pass as WatchIncompleteError).errors).toHaveLength(1);
    expect((pass as WatchIncompleteError).errors[0]).toBeInstanceOf(NotFoundError);
    expect((await store.get(live.id))?.value.aftermath).toMatchObject({
      state: "revoked",
      resultingPasskey: { aaGuid: "90a3ccdf-635c-4729-a248-9b709135078f" },
    });
    expect((await store.get(gone.id))?.value.aftermath).toEqual({ state: "watching" });
  });
});
