import type { RequestPriority } from "./graph-gateway.js";
import type { GraphRequester } from "./graph-requester.js";
import type { AuthenticationMethod, Fido2Method, TemporaryAccessPassMethod } from "./model.js";
import { encodePathSegment, odataDateTime, queryString, requireGuid, userPathSegment } from "./odata-literal.js";

const fido2MethodSelect =
  "id,displayName,createdDateTime,aaGuid,model,attestationCertificates,attestationLevel,passkeyType";
const tapMethodSelect =
  "id,temporaryAccessPass,createdDateTime,startDateTime,lifetimeInMinutes,isUsableOnce,isUsable,methodUsabilityReason";

function asTapMethod(raw: Omit<TemporaryAccessPassMethod, "@odata.type">): TemporaryAccessPassMethod {
  return {
    ...raw,
    "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethod",
    temporaryAccessPass: raw.temporaryAccessPass ?? null,
  };
}

/** A user's authentication methods: every method, passkeys, Temporary Access Passes (issue and revoke too). */
export interface AuthenticationMethodCalls {
  /** GET /users/{id}/authentication/methods — UserAuthenticationMethod.Read.All. */
  listAuthenticationMethods(userId: string, priority?: RequestPriority): Promise<AuthenticationMethod[]>;
  /** GET /users/{id}/authentication/fido2Methods — UserAuthMethod-Passkey.Read.All. */
  listPasskeys(userId: string, priority?: RequestPriority): Promise<Fido2Method[]>;
  /** GET /users/{id}/authentication/temporaryAccessPassMethods — UserAuthMethod-TAP.Read.All. */
  listTemporaryAccessPasses(userId: string, priority?: RequestPriority): Promise<TemporaryAccessPassMethod[]>;
  /**
   * POST /users/{id}/authentication/temporaryAccessPassMethods — UserAuthMethod-TAP.ReadWrite.All.
   * The returned `temporaryAccessPass` is the only copy of the code that will ever exist: never store or log it.
   */
  createTemporaryAccessPass(
    userId: string,
    request: { lifetimeInMinutes: number; isUsableOnce: boolean; startDateTime?: string },
  ): Promise<TemporaryAccessPassMethod>;
  /** DELETE /users/{id}/authentication/temporaryAccessPassMethods/{methodId} — UserAuthMethod-TAP.ReadWrite.All. */
  deleteTemporaryAccessPass(userId: string, methodId: string): Promise<void>;
}

export function authenticationMethodCalls(requester: GraphRequester): AuthenticationMethodCalls {
  return {
    /**
     * GET /users/{id}/authentication/methods — UserAuthenticationMethod.Read.All. No `$select`: the list is
     * polymorphic and selecting would drop the derived types' properties (aaGuid, keyStrength…) the triage needs.
     */
    listAuthenticationMethods(userId: string, priority?: RequestPriority): Promise<AuthenticationMethod[]> {
      return requester.list(
        "listAuthenticationMethods",
        `/users/${userPathSegment(userId)}/authentication/methods`,
        priority,
      );
    },

    /** GET /users/{id}/authentication/fido2Methods — UserAuthMethod-Passkey.Read.All. */
    listPasskeys(userId: string, priority?: RequestPriority): Promise<Fido2Method[]> {
      return requester
        .list<Omit<Fido2Method, "@odata.type">>(
          "listPasskeys",
          `/users/${userPathSegment(userId)}/authentication/fido2Methods${queryString({ $select: fido2MethodSelect })}`,
          priority,
        )
        .then((methods) =>
          methods.map((method) => ({
            ...method,
            "@odata.type": "#microsoft.graph.fido2AuthenticationMethod" as const,
          })),
        );
    },

    /** GET /users/{id}/authentication/temporaryAccessPassMethods — UserAuthMethod-TAP.Read.All. */
    listTemporaryAccessPasses(userId: string, priority?: RequestPriority): Promise<TemporaryAccessPassMethod[]> {
      return requester
        .list<Omit<TemporaryAccessPassMethod, "@odata.type">>(
          "listTemporaryAccessPasses",
          `/users/${userPathSegment(userId)}/authentication/temporaryAccessPassMethods${queryString({ $select: tapMethodSelect })}`,
          priority,
        )
        .then((methods) => methods.map(asTapMethod));
    },

    /**
     * POST /users/{id}/authentication/temporaryAccessPassMethods — UserAuthMethod-TAP.ReadWrite.All. The response is
     * the only time Graph reveals the code: it is returned to the caller and never logged or kept here.
     */
    async createTemporaryAccessPass(
      userId: string,
      request: { lifetimeInMinutes: number; isUsableOnce: boolean; startDateTime?: string },
    ): Promise<TemporaryAccessPassMethod> {
      const body: Record<string, unknown> = {
        lifetimeInMinutes: request.lifetimeInMinutes,
        isUsableOnce: request.isUsableOnce,
      };
      if (request.startDateTime) body.startDateTime = odataDateTime(request.startDateTime);
      const created = await requester.send<Omit<TemporaryAccessPassMethod, "@odata.type">>(
        "createTemporaryAccessPass",
        {
          method: "POST",
          version: "v1.0",
          url: `/users/${userPathSegment(userId)}/authentication/temporaryAccessPassMethods`,
          body,
        },
      );
      return asTapMethod(created);
    },

    /** DELETE /users/{id}/authentication/temporaryAccessPassMethods/{methodId} — UserAuthMethod-TAP.ReadWrite.All. */
    async deleteTemporaryAccessPass(userId: string, methodId: string): Promise<void> {
      await requester.send<void>("deleteTemporaryAccessPass", {
        method: "DELETE",
        version: "v1.0",
        url: `/users/${userPathSegment(userId)}/authentication/temporaryAccessPassMethods/${encodePathSegment(requireGuid(methodId, "TAP method id"))}`,
      });
    },
  };
}
