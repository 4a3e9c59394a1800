import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/identity";

/** Refresh this long before expiry so a request never leaves with a token that expires in flight. */
const refreshMarginMs = 5 * 60_000;

/**
 * Keeps the last token until shortly before it expires and lets concurrent callers share one token request.
 * The Graph client asks for a token on every request; without this each request would be a round trip to Entra.
 */
export class CachedTokenCredential implements TokenCredential {
  private cached: { key: string; token: AccessToken; refreshAt: number } | null = null;
  private pending: { key: string; promise: Promise<AccessToken | null> } | null = null;

  constructor(
    private readonly inner: TokenCredential,
    private readonly now: () => number = Date.now,
  ) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    const key = (Array.isArray(scopes) ? scopes : [scopes]).join(" ");
    const cached = this.cached;
    if (cached && cached.key === key && this.now() < cached.refreshAt) return cached.token;
    if (this.pending?.key === key) return this.pending.promise;
    const promise = this.inner.getToken(scopes, options).then(
      (token) => {
        this.pending = null;
        if (token) {
          const lifetime = token.expiresOnTimestamp - this.now();
          // Short-lived tokens (the emulator can issue them) are refreshed at half their life.
          this.cached = { key, token, refreshAt: token.expiresOnTimestamp - Math.min(refreshMarginMs, lifetime / 2) };
        }
        return token;
      },
      (error: unknown) => {
        this.pending = null;
        throw error;
      },
    );
    this.pending = { key, promise };
    return promise;
  }
}
