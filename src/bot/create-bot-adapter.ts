import { TeamsAdapter } from "@microsoft/teams-ai/lib/TeamsAdapter";
import type { BotAuthConfig } from "../config.js";

/**
 * The Bot Framework adapter. With credentials, every request must carry a valid Bot Framework token (401 otherwise);
 * anonymous mode (no BOT_ID) is for local clients only: Agents Playground and tests.
 */
export function createBotAdapter(bot: BotAuthConfig): TeamsAdapter {
  switch (bot.kind) {
    case "anonymous":
      return new TeamsAdapter({});
    case "password":
      return new TeamsAdapter({
        MicrosoftAppId: bot.appId,
        MicrosoftAppPassword: bot.password,
        MicrosoftAppType: "SingleTenant",
        MicrosoftAppTenantId: bot.tenantId,
      });
    case "managedIdentity":
      return new TeamsAdapter({
        MicrosoftAppId: bot.appId,
        MicrosoftAppType: "UserAssignedMSI",
        MicrosoftAppTenantId: bot.tenantId,
      });
  }
}

export function botAppIdOf(bot: BotAuthConfig): string {
  return bot.kind === "anonymous" ? "" : bot.appId;
}
