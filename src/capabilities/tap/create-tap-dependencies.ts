import { randomUUID } from "node:crypto";
import type { BotDependencies } from "../../bot/bot-dependencies.js";
import { AuditLedger } from "../../storage/audit-ledger.js";
import { TapRequestRepository } from "../../storage/tap-request-repository.js";
import type { TapDependencies } from "./tap-dependencies.js";
import type { TapMessenger } from "./tap-ports.js";

/** The TAP use cases' dependencies over the bot's live Graph, roles and storage, and the audit ledger they write. */
export function createTapDependencies(
  bot: BotDependencies,
  messenger: TapMessenger,
): { deps: TapDependencies; ledger: AuditLedger } {
  const ledger = new AuditLedger(bot.storage.account.tableClient("AuditLedger"), bot.clock);
  const deps: TapDependencies = {
    graph: bot.graph,
    store: new TapRequestRepository(bot.storage.account.tableClient("TapRequests")),
    audit: ledger,
    roles: bot.roles,
    messenger,
    settings: {
      tenantId: bot.config.tenantId,
      agentsGroupId: bot.config.groups.agentsGroupId,
      adminsGroupId: bot.config.groups.adminsGroupId,
      approversGroupId: bot.config.groups.tapApproversGroupId,
      requestExpiryMinutes: bot.config.tapRequestExpiryMinutes,
    },
    clock: bot.clock,
    newId: randomUUID,
  };
  return { deps, ledger };
}
