import { resolve } from "node:path";
import { createManualClock } from "../../src/emulator/emulator-clock.js";
import { type StartEmulatorOptions, startEmulator } from "../../src/emulator/start-emulator.js";

export const miniTenantPath = resolve(__dirname, "fixtures/mini-tenant.json");
export const botApp = { clientId: "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f", clientSecret: "contoso-practice-bot-secret" };
export const limitedApp = {
  clientId: "6a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
  clientSecret: "contoso-practice-limited-secret",
};
export const alice = { id: "00000000-0000-4000-a000-000000000001", upn: "alice@contosopractice.onmicrosoft.com" };
export const bob = { id: "00000000-0000-4000-a000-000000000002", upn: "bob@contosopractice.onmicrosoft.com" };
export const carol = { id: "00000000-0000-4000-a000-000000000003", upn: "carol@contosopractice.onmicrosoft.com" };
export const dave = { id: "00000000-0000-4000-a000-000000000004", upn: "dave@contosopractice.onmicrosoft.com" };
export const erin = { id: "00000000-0000-4000-a000-000000000005", upn: "erin@contosopractice.onmicrosoft.com" };
export const guest = {
  id: "00000000-0000-4000-a000-000000000006",
  upn: "guest_fabrikam.example#EXT#@contosopractice.onmicrosoft.com",
};
export const groups = {
  agents: "0a11e3b0-0000-4000-8000-000000000001",
  admins: "0a11e3b0-0000-4000-8000-000000000002",
  approvers: "0a11e3b0-0000-4000-8000-000000000003",
  passkeyPilot: "0a11e3b0-0000-4000-8000-000000000010",
};

/** Starts the emulator on a free port with the mini tenant and a hand-moved clock, plus small fetch helpers. */
export async function startTestEmulator(options: Partial<StartEmulatorOptions> = {}) {
  const clock = createManualClock(Date.parse("2026-11-22T10:00:00Z"));
  const emulator = await startEmulator({ port: 0, tenant: miniTenantPath, clock, ...options });
  const tokenUrl = `${emulator.baseUrl}/${emulator.tenantId}/oauth2/v2.0/token`;
  const requestToken = (
    app: { clientId: string; clientSecret: string },
    scope = "https://graph.microsoft.com/.default",
  ) =>
    fetch(tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: app.clientId,
        client_secret: app.clientSecret,
        scope,
      }),
    });
  const tokenFor = async (app = botApp) =>
    ((await (await requestToken(app)).json()) as { access_token: string }).access_token;
  const graph = async (
    path: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string>; token?: string | null } = {},
  ) => {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    // A fresh token per call, so tests that move the clock past an hour keep working.
    const token = init.token === undefined ? await tokenFor(botApp) : init.token;
    if (token) headers.authorization = `Bearer ${token}`;
    if (init.body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(path.startsWith("http") ? path : `${emulator.baseUrl}${path}`, {
      method: init.method ?? "GET",
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected structurally.
    const body: any = text ? JSON.parse(text) : undefined;
    return { status: response.status, headers: response.headers, body };
  };
  return { emulator, clock, tokenUrl, requestToken, tokenFor, graph };
}

export type TestEmulator = Awaited<ReturnType<typeof startTestEmulator>>;
