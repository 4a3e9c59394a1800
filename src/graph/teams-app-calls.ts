import type { GraphError } from "./graph-errors.js";
import type { GraphRequester } from "./graph-requester.js";
import { encodePathSegment, isGuid, queryString, userPathSegment } from "./odata-literal.js";

type Installation = { id: string; teamsApp?: { id?: string; externalId?: string | null } | null };

/** Teams apps: whether the bot is installed for a person, and installing it for an approver who never opened it. */
export interface TeamsAppCalls {
  /** GET /users/{id}/teamwork/installedApps — TeamsAppInstallation.ReadForUser.All. */
  isAppInstalledForUser(userId: string, teamsAppId: string): Promise<boolean>;
  /** POST /users/{id}/teamwork/installedApps — TeamsAppInstallation.ReadWriteSelfForUser.All. */
  installAppForUser(userId: string, teamsAppId: string): Promise<void>;
}

export function teamsAppCalls(requester: GraphRequester): TeamsAppCalls {
  return {
    /**
     * GET /users/{id}/teamwork/installedApps?$expand=teamsApp — TeamsAppInstallation.ReadForUser.All. Matched here
     * on the catalog id or the manifest id (externalId), which differ for apps published to an organization's catalog.
     */
    async isAppInstalledForUser(userId: string, teamsAppId: string): Promise<boolean> {
      const installations = await requester.list<Installation>(
        "isAppInstalledForUser",
        `/users/${userPathSegment(userId)}/teamwork/installedApps${queryString({ $expand: "teamsApp", $select: "id" })}`,
      );
      const wanted = teamsAppId.toLowerCase();
      return installations.some(
        (installation) =>
          installation.teamsApp?.id?.toLowerCase() === wanted ||
          installation.teamsApp?.externalId?.toLowerCase() === wanted,
      );
    },

    /** POST /users/{id}/teamwork/installedApps — TeamsAppInstallation.ReadWriteSelfForUser.All. Already installed is fine. */
    async installAppForUser(userId: string, teamsAppId: string): Promise<void> {
      const appId = isGuid(teamsAppId) ? teamsAppId : encodePathSegment(teamsAppId);
      try {
        await requester.send<void>("installAppForUser", {
          method: "POST",
          version: "v1.0",
          url: `/users/${userPathSegment(userId)}/teamwork/installedApps`,
          body: { "teamsApp@odata.bind": `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${appId}` },
        });
      } catch (error) {
        if ((error as GraphError).status === 409) return;
        throw error;
      }
    },
  };
}
