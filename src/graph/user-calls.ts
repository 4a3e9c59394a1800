import { directoryUser, userSelect } from "./directory-user.js";
import { NotFoundError } from "./graph-errors.js";
import type { RequestPriority } from "./graph-gateway.js";
import type { GraphRequester } from "./graph-requester.js";
import type { DirectoryUser } from "./model.js";
import { odataLiteral, queryString, userPathSegment } from "./odata-literal.js";
import type { GraphPage } from "./page-through.js";

/** Users: one by id or UPN, a search by name, a user's manager. */
export interface UserCalls {
  /** GET /users/{id | userPrincipalName} — User.Read.All. Throws NotFoundError. */
  getUser(idOrUpn: string, priority?: RequestPriority): Promise<DirectoryUser>;
  /** GET /users?$filter=startswith(displayName,'…') or startswith(userPrincipalName,'…') — User.Read.All. */
  findUsers(text: string, top?: number): Promise<DirectoryUser[]>;
  /** GET /users/{id}/manager — User.Read.All. null when the user has no manager. */
  getManager(userId: string): Promise<DirectoryUser | null>;
}

export function userCalls(requester: GraphRequester): UserCalls {
  return {
    /** GET /users/{id | userPrincipalName} — User.Read.All. */
    async getUser(idOrUpn: string, priority?: RequestPriority): Promise<DirectoryUser> {
      const raw = await requester.get<Record<string, unknown>>(
        "getUser",
        `/users/${userPathSegment(idOrUpn)}${queryString({ $select: userSelect })}`,
        priority,
      );
      return directoryUser(raw);
    },

    /** GET /users?$filter=startswith(displayName,'…') or startswith(userPrincipalName,'…') — User.Read.All. */
    async findUsers(text: string, top = 10): Promise<DirectoryUser[]> {
      const term = text.trim().slice(0, 64);
      if (term === "") return [];
      const literal = odataLiteral(term);
      const filter = `startswith(displayName,${literal}) or startswith(userPrincipalName,${literal})`;
      const page = await requester.get<GraphPage<Record<string, unknown>>>(
        "findUsers",
        `/users${queryString({ $filter: filter, $select: userSelect, $top: Math.min(Math.max(1, top), 999) })}`,
      );
      return page.value.map(directoryUser);
    },

    /** GET /users/{id}/manager — User.Read.All. 404 means no manager is set. */
    async getManager(userId: string): Promise<DirectoryUser | null> {
      try {
        const raw = await requester.get<Record<string, unknown>>(
          "getManager",
          `/users/${userPathSegment(userId)}/manager${queryString({ $select: userSelect })}`,
        );
        return directoryUser(raw);
      } catch (error) {
        if (error instanceof NotFoundError) return null;
        throw error;
      }
    },
  };
}
