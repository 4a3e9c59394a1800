import type { Application } from "@microsoft/teams-ai";
import { ActivityTypes, type TurnContext } from "botbuilder";
import { callerOf, isPersonalChat } from "../../bot/activity-facts.js";
import type { BotDependencies } from "../../bot/bot-dependencies.js";
import type { BotTurnState } from "../../bot/bot-turn-state.js";
import { cardActivity, localeOf } from "../../bot/card-replies.js";
import type { StopBackgroundWork } from "../../bot/create-bot-application.js";
import { createCardMessenger } from "../../bot/create-card-messenger.js";
import { createCardReplacer } from "../../bot/create-card-replacer.js";
import { onCommand } from "../../bot/on-command.js";
import { orRefusalText } from "../../bot/refusal-text.js";
import { renderCard } from "../../bot/render-card.js";
import { BACKGROUND_LEASES_CONTAINER, createBackgroundLease } from "../../jobs/background-lease.js";
import { translate } from "../../locales/translate.js";
import { isGuid } from "../../text/is-guid.js";
import { parseWhatIf, splitArguments } from "../rollout/parse-what-if.js";
import { createInventoryRunner } from "./create-inventory-runner.js";
import { whatIfCardData } from "./inventory-card-data.js";
import { InventoryAdminsOnlyError, InventoryPersonalChatOnlyError } from "./inventory-errors.js";
import { answerFileConsent, fileConsentAttachment, INVENTORY_EXPORTS_CONTAINER } from "./inventory-file-consent.js";
import { startInventoryExportSweeper } from "./start-inventory-export-sweeper.js";

/**
 * The administrators' rollout view in Teams: `inventory`, `rings`, `whatif …`, personal chat only, admins only
 * (checked from Graph on every message, never from what the message claims). Long runs are queued jobs; the result
 * card comes to the admin's personal chat when done.
 */
export function registerInventory(app: Application<BotTurnState>, bot: BotDependencies): StopBackgroundWork {
  const messenger = createCardMessenger(bot);
  const runner = createInventoryRunner(
    bot,
    async (userId, card, locale) => {
      await messenger.sendToUserIn(userId, card, locale, "inventory.resultNotDelivered");
    },
    // Teams shows the consent card in personal chat; a client that cannot (the Agents Playground says "not supported
    // yet") leaves the summary card's signed link as the way to the file.
    async (userId, exportId, sizeInBytes, locale) => {
      try {
        const sent = await bot.proactive.sendToUser(userId, {
          type: ActivityTypes.Message,
          attachments: [fileConsentAttachment(exportId, sizeInBytes, locale)],
        });
        if (sent.status !== "delivered") bot.logger.warn({ event: "inventory.fileOfferNotDelivered" }, "no file offer");
      } catch (error) {
        bot.logger.warn({ event: "inventory.fileOfferNotDelivered", err: error }, "no file offer");
      }
    },
  );

  /** Admins only, personal chat only: refused with the rule's sentence otherwise. */
  const requireAdmin = async (context: TurnContext) => {
    if (!isPersonalChat(context)) throw new InventoryPersonalChatOnlyError();
    const roles = await bot.roles.resolveCallerRoles(callerOf(context).id);
    if (!roles.isAdmin) throw new InventoryAdminsOnlyError();
  };
  /** Runs an admin command; a refusal is answered as its sentence. */
  const asAdmin =
    (handler: (context: TurnContext, locale: string, argumentText: string) => Promise<void>) =>
    async (context: TurnContext, _state: BotTurnState, argumentText: string) => {
      const refused = await orRefusalText(context, () => requireAdmin(context));
      if (typeof refused === "string") return void (await context.sendActivity(refused));
      await handler(context, localeOf(context), argumentText);
    };
  const requestedBy = (context: TurnContext) => context.activity.from?.aadObjectId;

  onCommand(
    app,
    "inventory",
    asAdmin(async (context, locale, argumentText) => {
      await context.sendActivity(translate(locale, "inventory.working"));
      runner.queueInventory({ requestedBy: requestedBy(context), locale }, /--full\b/.test(argumentText));
    }),
  );

  onCommand(
    app,
    "rings",
    asAdmin(async (context, locale, argumentText) => {
      await context.sendActivity(translate(locale, "inventory.workingRings"));
      const ringIds = splitArguments(argumentText).filter(isGuid);
      runner.queueRings({ requestedBy: requestedBy(context), locale, ringIds });
    }),
  );

  onCommand(
    app,
    "whatif",
    asAdmin(async (context, locale, argumentText) => {
      const change = parseWhatIf(splitArguments(argumentText));
      if (typeof change === "string")
        return void (await context.sendActivity(translate(locale, "inventory.whatifUsage")));
      const result = await orRefusalText(context, () => runner.whatIf(change));
      if (typeof result === "string") return void (await context.sendActivity(result));
      await context.sendActivity(
        cardActivity(renderCard("whatif-result", whatIfCardData(result, argumentText), locale)),
      );
    }),
  );

  // The file consent's answer (Teams' `fileConsent/invoke`): accept, decline, or anything malformed, one route so
  // every answer gets an invoke response and a sentence (teams-ai's fileConsentAccept/Decline match only the two
  // well-formed actions). The invoker is checked against the stored export; once answered, the consent card is
  // replaced so it cannot be answered again (a second answer from elsewhere is told what happened).
  const consent = {
    container: bot.storage.account.interactiveContainerClient(INVENTORY_EXPORTS_CONTAINER),
    isAdmin: async (userId: string) => (await bot.roles.resolveCallerRoles(userId)).isAdmin,
    now: bot.clock,
    logger: bot.logger,
  };
  const replacer = createCardReplacer(app, bot);
  app.addRoute(
    async (context) => context.activity.type === ActivityTypes.Invoke && context.activity.name === "fileConsent/invoke",
    async (context) => {
      const answer = await orRefusalText(context, () =>
        answerFileConsent(consent, callerOf(context).id, context.activity.value, localeOf(context)),
      );
      const outcome = typeof answer === "string" ? { text: answer } : answer;
      const attachments = "fileInfo" in outcome && outcome.fileInfo ? [outcome.fileInfo] : [];
      await context.sendActivity({ type: ActivityTypes.Message, text: outcome.text, attachments });
      const answered = "answeredCard" in outcome ? outcome.answeredCard : undefined;
      if (answered)
        replacer.replaceLater(context, { afterMs: 0, build: async () => answered, event: "inventory.consentCard" });
      await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200 } });
    },
    true,
  );

  const sweeper = startInventoryExportSweeper({
    exports: bot.storage.account.containerClient(INVENTORY_EXPORTS_CONTAINER),
    lease: createBackgroundLease(bot.storage.account.containerClient(BACKGROUND_LEASES_CONTAINER), "export-sweep"),
    now: bot.clock,
    logger: bot.logger,
  });
  return () => {
    sweeper.stop();
    replacer.stop();
    runner.stop();
  };
}
