import type { AccessToken, TokenCredential } from "@azure/identity";

/** The token endpoint refused the app's client id and secret. */
export class TokenRequestError extends Error {
  constructor(status: number, detail: string) {
    super(`The token endpoint must accept the app's client credentials (HTTP ${status}: ${detail})`);
    this.name = "TokenRequestError";
  }
}

/**
 * OAuth 2.0 client-credentials grant against `{authorityHost}/{tenantId}/oauth2/v2.0/token`, used for the local Graph
 * emulator only: MSAL (and so @azure/identity's ClientSecretCredential) refuses authorities that are not https, and
 * the emulator serves plain http on 127.0.0.1.
 */
export class ClientCredentialsTokenCredential implements TokenCredential {
  constructor(
    private readonly options: { authorityHost: string; tenantId: string; clientId: string; clientSecret: string },
  ) {}

  async getToken(scopes: string | string[]): Promise<AccessToken> {
    const { authorityHost, tenantId, clientId, clientSecret } = this.options;
    const url = `${authorityHost.replace(/\/+$/, "")}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`;
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: clientId,
        client_secret: clientSecret,
        scope: (Array.isArray(scopes) ? scopes : [scopes]).join(" "),
      }),
    });
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok || typeof body.access_token !== "string") {
      throw new TokenRequestError(response.status, String(body.error ?? "no access_token in the answer"));
    }
    const expiresIn = Number(body.expires_in ?? 3600);
    return { token: body.access_token, expiresOnTimestamp: Date.now() + expiresIn * 1000 };
  }
}
