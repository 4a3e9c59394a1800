import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** The claims the emulator puts in (and reads back from) an app-only Graph access token. */
export interface AccessTokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  tid: string;
  appid: string;
  app_displayname: string;
  idtyp: "app";
  roles: string[];
  ver: "1.0";
}

export type TokenCheck =
  | { ok: true; claims: AccessTokenClaims }
  | { ok: false; reason: "missing" | "malformed" | "signature" | "expired" | "audience" | "tenant" };

const base64url = (value: Buffer | string) => Buffer.from(value).toString("base64url");

/** Signs and verifies HS256 JWTs with a key private to one emulator process, so tokens never outlive it. */
export function createAccessTokenIssuer(key: Buffer = randomBytes(32)) {
  const sign = (input: string) => createHmac("sha256", key).update(input).digest();
  return {
    issue(claims: AccessTokenClaims): string {
      const header = base64url(JSON.stringify({ typ: "JWT", alg: "HS256", kid: "graph-emulator" }));
      const payload = base64url(JSON.stringify(claims));
      return `${header}.${payload}.${base64url(sign(`${header}.${payload}`))}`;
    },
    verify(authorization: string | undefined, tenantId: string, nowSeconds: number): TokenCheck {
      if (!authorization) return { ok: false, reason: "missing" };
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (!match) return { ok: false, reason: "malformed" };
      const parts = (match[1] as string).split(".");
      if (parts.length !== 3) return { ok: false, reason: "malformed" };
      const [header, payload, signature] = parts as [string, string, string];
      const expected = sign(`${header}.${payload}`);
      const actual = Buffer.from(signature, "base64url");
      if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
        return { ok: false, reason: "signature" };
      }
      let claims: AccessTokenClaims;
      try {
        claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
      } catch {
        return { ok: false, reason: "malformed" };
      }
      if (claims.aud !== "https://graph.microsoft.com" && claims.aud !== "00000003-0000-0000-c000-000000000000") {
        return { ok: false, reason: "audience" };
      }
      if (claims.tid !== tenantId) return { ok: false, reason: "tenant" };
      if (claims.exp <= nowSeconds) return { ok: false, reason: "expired" };
      return { ok: true, claims };
    },
  };
}
