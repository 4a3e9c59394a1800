import { describe, expect, it } from "vitest";
import { startEmulator } from "../../src/emulator/start-emulator.js";
import { repoPath } from "../support/repo-path.js";

const practiceTenants = ["tenants/contoso-practice.json", "tenants/contoso-practice-selfservice-off.json"];

describe("the practice tenants", () => {
  it.each(practiceTenants)("%s loads and issues the bot a token", async (file) => {
    const emulator = await startEmulator({ port: 0, tenant: repoPath(file) });
    try {
      expect(emulator.tenantId).toBe("7d3e5a2c-1b4f-4c8e-9a6d-2f0b8c4e6a10");
      const response = await fetch(`${emulator.baseUrl}/${emulator.tenantId}/oauth2/v2.0/token`, {
        method: "POST",
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: "5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
          client_secret: "contoso-practice-bot-secret",
          scope: "https://graph.microsoft.com/.default",
        }),
      });
      const { access_token: token } = (await response.json()) as { access_token: string };
      const user = await fetch(
        `${emulator.baseUrl}/v1.0/users/${encodeURIComponent("all-good@contosopractice.onmicrosoft.com")}`,
        {
          headers: { authorization: `Bearer ${token}` },
        },
      );
      expect(user.status).toBe(200);
    } finally {
      await emulator.close();
    }
  });
});
