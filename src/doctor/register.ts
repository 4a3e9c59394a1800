import type { Application } from "@microsoft/teams-ai";
import type { TurnContext } from "botbuilder";
import type { BotDependencies } from "../bot/bot-dependencies.js";
import type { BotTurnState } from "../bot/bot-turn-state.js";
import { onCardAction } from "../bot/card-actions.js";
import { cardActivity, localeOf } from "../bot/card-replies.js";
import { CardVerbs } from "../bot/card-verbs.js";
import { onCommand } from "../bot/on-command.js";
import { renderCard } from "../bot/render-card.js";
import { translate } from "../locales/translate.js";
import { RefusalError } from "../refusal/refusal-error.js";
import type { DoctorCheck, DoctorStatus } from "./doctor-check.js";
import { probeStorage } from "./probe-storage.js";
import { runDoctor } from "./run-doctor.js";

/** Only Helpdesk Admins may see the setup: it names permissions, endpoints and identities. */
export class DoctorAdminsOnlyError extends RefusalError {
  constructor() {
    super("doctorAdminsOnly", "Only members of the Helpdesk Admins group may run the setup check", "doctor.adminsOnly");
  }
}

const icons: Record<DoctorStatus, string> = {
  ok: "✅",
  missing: "❌",
  wrong: "❌",
  unreachable: "⚠️",
  unknown: "❔",
  skipped: "➖",
};

/** The doctor's rows as the doctor card's data; check, detail and fix stay as the CLI prints them (for admins). */
export function doctorCardData(checks: readonly DoctorCheck[], locale: string) {
  const ok = checks.filter((check) => check.status === "ok").length;
  const label = (status: DoctorStatus) =>
    translate(locale, `doctor.status${status.charAt(0).toUpperCase()}${status.slice(1)}`);
  return {
    summary:
      ok === checks.length
        ? translate(locale, "doctor.summaryAllOk", { total: checks.length })
        : translate(locale, "doctor.summary", { ok, total: checks.length }),
    rows: checks.map((check) => ({
      icon: icons[check.status],
      check: check.check,
      statusLabel: label(check.status),
      detail: check.detail,
      fix: check.fix ?? "",
    })),
  };
}

/**
 * The admin's `doctor` command and the help card's "Check the setup" button: the checks of `npm run doctor`, run by
 * this instance with its own Graph gateway and storage. The bot registration counts as ok here, because the request
 * came in through it and the answer goes out through it.
 */
export function registerDoctor(app: Application<BotTurnState>, bot: BotDependencies): void {
  const check = async (context: TurnContext) => {
    const caller = context.activity.from?.aadObjectId;
    if (!caller || !(await bot.roles.resolveCallerRoles(caller)).isAdmin) throw new DoctorAdminsOnlyError();
    const checks = await runDoctor({
      config: bot.config,
      graph: bot.graph,
      checkStorage: () => probeStorage(bot.storage.account),
      requestBotToken: async () => undefined,
    });
    bot.logger.info(
      { event: "doctor.run", failed: checks.filter((c) => c.status !== "ok" && c.status !== "skipped").length },
      "setup check",
    );
    return renderCard("doctor", doctorCardData(checks, localeOf(context)), localeOf(context));
  };
  onCommand(app, "doctor", async (context) => {
    await context.sendActivity(cardActivity(await check(context)));
  });
  onCardAction(app, CardVerbs.doctorRun, async (context) => check(context));
}
