import { describe, expect, it } from "vitest";
import type { TapRequest } from "../../../src/capabilities/tap/tap-request.js";
import { WatchIncompleteError, watchIssuedTaps } from "../../../src/capabilities/tap/watch-issued-taps.js";
import { AccessDeniedError } from "../../../src/graph/graph-errors.js";
import type { GraphGateway } from "../../../src/graph/graph-gateway.js";
import { AuditLedger } from "../../../src/storage/audit-ledger.js";
import { TapRequestRepository } from "../../../src/storage/tap-request-repository.js";
import { practicePersona } from "../../support/bot-http.js";
import { usePracticeServices } from "../../support/practice-services.js";
import { LIMITED_APP, practiceGateway, practiceTapDependencies } from "./practice-tap-deps.js";
import { aTapRequest } from "./tap-request-fixture.js";

const practice = usePracticeServices();

/** Dependencies over the practice tenant with their own request table, a fixed clock and, optionally, another gateway. */
function watcherDeps(table: string, now: Date, graph?: GraphGateway) {
  const deps = practiceTapDependencies({
    emulator: practice.emulator,
    connectionString: practice.azurite.connectionString,
    clock: () => now,
    ...(graph ? { graph } : {}),
  });
  return { ...deps, store: TapRequestRepository.fromConnectionString(practice.azurite.connectionString, table) };
}

/** An issued TAP still watched, `startedMinutesAgo` before `now`, with a 60-minute lifetime. */
function anIssuedTap(now: Date, startedMinutesAgo: number, overrides: Partial<TapRequest>): TapRequest {
  const issuedAt = new Date(now.getTime() - startedMinutesAgo * 60_000).toISOString();
  return aTapRequest({
    status: "issued",
    issuedAt,
    startDateTime: issuedAt,
    lifetimeInMinutes: 60,
    methodId: "0c000000-0000-4000-8000-00000000000c",
    aftermath: { state: "watching" },
    ...overrides,
  });
}

function targetOf(key: string): TapRequest["target"] {
  const persona = practicePersona(key);
  return { id: persona.aadObjectId, userPrincipalName: persona.userPrincipalName, displayName: null };
}

async function registerPasskey(userId: string): Promise<void> {
  const registered = await fetch(`${practice.emulator.baseUrl}/_emulator/passkey-registrations`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      user: userId,
      aaGuid: "90a3ccdf-635c-4729-a248-9b709135078f",
      displayName: "iPhone",
      attestationLevel: "notAttested",
    }),
  });
  expect(registered.ok).toBe(true);
}

function passkeyReadsOf(userId: string): number {
  return practice.emulator.requestLog.filter(
    (entry) => entry.method === "GET" && entry.path.includes(`${userId}/authentication`),
  ).length;
}

/** The ledger entries about one request, read from the table practiceTapDependencies writes to. */
async function ledgerFor(requestId: string) {
  const ledger = AuditLedger.fromConnectionString(practice.azurite.connectionString, "AuditLedger");
  return (await ledger.readAll()).filter((entry) => entry.requestId === requestId);
}

describe("watchIssuedTaps", () => {
  it("ends the watch at once for a target deleted from the directory, audits it, and still revokes the TAPs after it", async () => {
    const now = new Date();
    const deps = watcherDeps("TapWatchDeleted", now);
    // Listed first (row keys sort by id): a target deleted from the directory since issuance, so Graph answers 404.
    const gone = anIssuedTap(now, 1, { id: "00000000-0000-4000-8000-00000000000a" });
    const live = anIssuedTap(now, 1, {
      id: "ffffffff-0000-4000-8000-00000000000b",
      target: targetOf("yubikey-allowed"),
    });
    await deps.store.create(gone);
    await deps.store.create(live);
    await registerPasskey(live.target.id);

    const changed = await watchIssuedTaps(deps);

    expect(changed.map((r) => r.id).sort()).toEqual([gone.id, live.id]);
    expect((await deps.store.get(live.id))?.value.aftermath).toMatchObject({
      state: "revoked",
      resultingPasskey: { aaGuid: "90a3ccdf-635c-4729-a248-9b709135078f" },
    });
    const ended = (await deps.store.get(gone.id))?.value.aftermath;
    expect(ended).toMatchObject({ state: "deleted", at: now.toISOString() });
    expect(ended?.reason).toMatch(/^the target no longer exists in the directory: 404 \| Request_ResourceNotFound/);
    const audited = await ledgerFor(gone.id);
    expect(audited.map((entry) => entry.action)).toEqual(["tap.targetDeleted"]);
    expect(audited[0]?.details).toMatchObject({ methodId: gone.methodId, reason: ended?.reason });

    const readsBefore = passkeyReadsOf(gone.target.id);
    expect(await watchIssuedTaps(deps)).toEqual([]);
    expect(passkeyReadsOf(gone.target.id)).toBe(readsBefore);
  });

  it("keeps watching a TAP within its lifetime whose target Graph refuses to read, and reports it for the next pass", async () => {
    const now = new Date();
    const bot = practiceGateway(practice.emulator);
    const limited = practiceGateway(practice.emulator, { app: LIMITED_APP });
    const refused = anIssuedTap(now, 59, { id: "00000000-0000-4000-8000-00000000000c", target: targetOf("all-good") });
    const live = anIssuedTap(now, 1, { id: "ffffffff-0000-4000-8000-00000000000d", target: targetOf("ios-user") });
    // One target's methods read with the app that lacks UserAuthenticationMethod.Read.All: a real 403 from Graph.
    const graph = new Proxy(bot, {
      get(target, property, receiver) {
        if (property !== "listPasskeys") return Reflect.get(target, property, receiver);
        return (userId: string, priority?: Parameters<GraphGateway["listPasskeys"]>[1]) =>
          (userId === refused.target.id ? limited : bot).listPasskeys(userId, priority);
      },
    });
    const deps = watcherDeps("TapWatchRefusedInLifetime", now, graph);
    await deps.store.create(refused);
    await deps.store.create(live);
    await registerPasskey(live.target.id);

    const pass = await watchIssuedTaps(deps).then(
      () => null,
      (error: unknown) => error,
    );

    expect(pass).toBeInstanceOf(WatchIncompleteError);
    expect((pass as WatchIncompleteError).errors).toHaveLength(1);
    expect((pass as WatchIncompleteError).errors[0]).toBeInstanceOf(AccessDeniedError);
    expect((await deps.store.get(live.id))?.value.aftermath).toMatchObject({ state: "revoked" });
    expect((await deps.store.get(refused.id))?.value.aftermath).toEqual({ state: "watching" });
    expect(await ledgerFor(refused.id)).toEqual([]);
  });

  it("stops watching once the TAP's lifetime has passed when its target cannot be read, and records tap.lapsed with Graph's answer", async () => {
    const now = new Date("2026-11-22T12:00:00.000Z");
    const deps = watcherDeps(
      "TapWatchRefusedAfterLifetime",
      now,
      practiceGateway(practice.emulator, { app: LIMITED_APP }),
    );
    const refused = anIssuedTap(now, 61, { target: targetOf("all-good") });
    await deps.store.create(refused);

    const changed = await watchIssuedTaps(deps);

    expect(changed.map((r) => r.id)).toEqual([refused.id]);
    const ended = (await deps.store.get(refused.id))?.value.aftermath;
    expect(ended).toMatchObject({ state: "lapsed", at: now.toISOString() });
    expect(ended?.reason).toMatch(/^lifetime ended; the target could not be read: 403 \| accessDenied \| /);
    const audited = await ledgerFor(refused.id);
    expect(audited.map((entry) => entry.action)).toEqual(["tap.lapsed"]);
    expect(audited[0]?.details).toMatchObject({ methodId: refused.methodId, reason: ended?.reason });

    const readsBefore = passkeyReadsOf(refused.target.id);
    expect(await watchIssuedTaps(deps)).toEqual([]);
    expect(passkeyReadsOf(refused.target.id)).toBe(readsBefore);
  });
});
