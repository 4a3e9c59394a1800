import type { TurnContext } from "botbuilder";
import { z } from "zod";
import { detectLanguage } from "../locales/detect-language.js";
import { isSupportedLocale } from "../locales/translate.js";
import { localeOf } from "./card-replies.js";

/** The person behind an activity, as Teams identifies them (never anything from card data). */
export interface Caller {
  /** The Entra object id; "" when the channel did not send one. */
  id: string;
  tenantId: string;
  name: string | null;
}

/** Who sent the activity, from the activity's own fields only. */
export function callerOf(context: TurnContext): Caller {
  const activity = context.activity;
  const channelTenant = (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  return {
    id: activity.from?.aadObjectId ?? "",
    tenantId: activity.conversation?.tenantId ?? channelTenant ?? "",
    name: activity.from?.name ?? null,
  };
}

/** The caller's IANA time zone as Teams reports it (`localTimezone`), for times shown to an agent. */
export function timeZoneOf(context: TurnContext): string | undefined {
  const zone = (context.activity as { localTimezone?: unknown }).localTimezone;
  return typeof zone === "string" && zone.length > 0 && zone.length < 64 ? zone : undefined;
}

/** A one-to-one chat with the bot: the only place evidence about people may be shown. */
export function isPersonalChat(context: TurnContext): boolean {
  return context.activity.conversation?.conversationType === "personal";
}

/** A message's language: what the person wrote in, else the client's locale. */
export function messageLocaleOf(context: TurnContext): string {
  return detectLanguage(context.activity.text ?? "") ?? localeOf(context);
}

/** The `lang` a card carries back: any value is read as text and used only when it names a locale the bot speaks. */
const cardLanguage = z.object({ lang: z.string() }).passthrough();

/** A card action's language: the one the card was written in (carried as `lang`), else the client's locale. */
export function actionLocaleOf(context: TurnContext, data: unknown): string {
  const parsed = cardLanguage.safeParse(data);
  return parsed.success && isSupportedLocale(parsed.data.lang) ? parsed.data.lang : localeOf(context);
}
