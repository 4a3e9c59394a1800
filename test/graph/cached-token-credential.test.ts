import type { AccessToken, TokenCredential } from "@azure/identity";
import { describe, expect, it } from "vitest";
import { CachedTokenCredential } from "../../src/graph/cached-token-credential.js";

function countingCredential(lifetimeMs: number, now: () => number) {
  let issued = 0;
  const credential: TokenCredential = {
    async getToken(): Promise<AccessToken> {
      issued++;
      return { token: `token-${issued}`, expiresOnTimestamp: now() + lifetimeMs };
    },
  };
  return { credential, issued: () => issued };
}

describe("CachedTokenCredential", () => {
  it("reuses a token until five minutes before it expires", async () => {
    let now = 0;
    const inner = countingCredential(3600_000, () => now);
    const cached = new CachedTokenCredential(inner.credential, () => now);
    expect((await cached.getToken("scope"))?.token).toBe("token-1");
    now = 3600_000 - 5 * 60_000 - 1;
    expect((await cached.getToken("scope"))?.token).toBe("token-1");
    now += 1;
    expect((await cached.getToken("scope"))?.token).toBe("token-2");
  });

  it("refreshes short-lived tokens at half their life", async () => {
    let now = 0;
    const inner = countingCredential(60_000, () => now);
    const cached = new CachedTokenCredential(inner.credential, () => now);
    await cached.getToken("scope");
    now = 29_999;
    await cached.getToken("scope");
    expect(inner.issued()).toBe(1);
    now = 30_000;
    await cached.getToken("scope");
    expect(inner.issued()).toBe(2);
  });

  it("lets concurrent callers share one token request", async () => {
    const inner = countingCredential(3600_000, () => 0);
    const cached = new CachedTokenCredential(inner.credential, () => 0);
    const tokens = await Promise.all([cached.getToken("scope"), cached.getToken("scope"), cached.getToken("scope")]);
    expect(new Set(tokens.map((token) => token?.token))).toEqual(new Set(["token-1"]));
    expect(inner.issued()).toBe(1);
  });

  it("does not cache a failure", async () => {
    let fail = true;
    const cached = new CachedTokenCredential({
      async getToken() {
        if (fail) throw new Error("token endpoint down");
        return { token: "ok", expiresOnTimestamp: Date.now() + 3600_000 };
      },
    });
    await expect(cached.getToken("scope")).rejects.toThrow("token endpoint down");
    fail = false;
    expect((await cached.getToken("scope"))?.token).toBe("ok");
  });
});
