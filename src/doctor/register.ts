import type { Application } from "@microsoft/teams-ai";
import type { TurnContext } from "botbuilder";
import type { BotDependencies } from "../bot/bot-dependencies.js";
import type { BotTurnState } from "../bot/bot-turn-state.js";
import { onCardAction } from "../bot/card-actions.js";
import { cardActivity, renderCardMessage } from "../bot/card-replies.js";
import { CardVerbs } from "../bot/card-verbs.js";
import { onCommand } from "../bot/on-command.js";
import { RefusalError } from "../refusal/refusal-error.js";
import { doctorCard } from "./doctor-card-data.js";
import { probeStorage } from "./probe-storage.js";
import { runDoctor } from "./run-doctor.js";

/** Only Helpdesk Admins may see the setup: it names permissions, endpoints and identities. */
export class DoctorAdminsOnlyError extends RefusalError {
  constructor() {
    super("doctorAdminsOnly", "Only members of the Helpdesk Admins group may run the setup check", "doctor.adminsOnly");
  }
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
    return renderCardMessage(context, doctorCard(checks));
  };
  onCommand(app, "doctor", async (context) => {
    await context.sendActivity(cardActivity(await check(context)));
  });
  onCardAction(app, CardVerbs.doctorRun, async (context) => check(context));
}
