import { z } from "zod";
import { isSupportedLocale, type SupportedLocale } from "../../locales/translate.js";
import { isGuid } from "../../text/is-guid.js";
import { type FollowUpId, type Platform, QUESTION_ORDER, type QuestionId } from "./engine/diagnosis.js";

/**
 * What a triage card carries between turns: the person's own choices and ids, nothing else. Everything else
 * (policy, memberships, methods) is read again on the server, and the caller is always the activity's sender.
 */
export interface TriageChoices {
  platform: Platform;
  aaGuid: string | null;
  answers: Partial<Record<FollowUpId, boolean>>;
  start: QuestionId | null;
  /** Only on an agent's evidence card: whom the agent is triaging. */
  targetUserId: string | null;
  /**
   * The language the conversation is held in (detected from what the person wrote, which may differ from the
   * client's locale), so later clicks answer in it too. Only ever chooses between the two locale tables.
   */
  lang?: SupportedLocale;
}

export const PLATFORMS: readonly Platform[] = ["windows", "ios", "android", "securityKey", "otherDeviceQr", "unknown"];
export const FOLLOW_UP_IDS: readonly FollowUpId[] = [
  "windowsPinSet",
  "tpmReady",
  "bluetoothOn",
  "authenticatorSignedIn",
  "registeredInIcloudKeychain",
  "severalGoogleAccounts",
  "securityKeyIsFido2",
  "browserHasUsbPermission",
];

/** Card data is user-controlled input: anything unexpected becomes "not chosen", never an error or a lookup. */
const cardData = z
  .object({
    platform: z.string().optional(),
    aaGuid: z.string().optional(),
    authenticator: z.string().optional(),
    answers: z.string().optional(),
    start: z.string().optional(),
    targetUserId: z.string().optional(),
    lang: z.string().optional(),
  })
  .passthrough();

export function parseChoices(data: unknown): TriageChoices {
  const parsed = cardData.safeParse(data ?? {});
  const value = parsed.success ? parsed.data : {};
  const platform = PLATFORMS.includes(value.platform as Platform) ? (value.platform as Platform) : "unknown";
  const aaGuidText = (value.authenticator || value.aaGuid || "").trim();
  return {
    platform,
    aaGuid: isGuid(aaGuidText) ? aaGuidText.toLowerCase() : null,
    answers: decodeAnswers(value.answers ?? ""),
    start: QUESTION_ORDER.includes(value.start as QuestionId) ? (value.start as QuestionId) : null,
    targetUserId: isGuid(value.targetUserId ?? "") ? (value.targetUserId as string).toLowerCase() : null,
    ...(isSupportedLocale(value.lang) ? { lang: value.lang } : {}),
  };
}

/** A follow-up answer button's payload: which question, and yes or no (as Teams sends a button's or a toggle's). */
const followUpAnswer = z
  .object({ followUp: z.string(), value: z.union([z.enum(["yes", "no"]), z.boolean()]) })
  .passthrough();

/** A follow-up answer button: `{followUp, value}` beside the carried choices. */
export function parseFollowUpAnswer(data: unknown): { followUp: FollowUpId; value: boolean } | null {
  const parsed = followUpAnswer.safeParse(data);
  if (!parsed.success || !FOLLOW_UP_IDS.includes(parsed.data.followUp as FollowUpId)) return null;
  return {
    followUp: parsed.data.followUp as FollowUpId,
    value: parsed.data.value === "yes" || parsed.data.value === true,
  };
}

/** "windowsPinSet=y,tpmReady=n": compact, and a plain string survives card templating unchanged. */
export function encodeAnswers(answers: Partial<Record<FollowUpId, boolean>>): string {
  return FOLLOW_UP_IDS.filter((id) => answers[id] !== undefined)
    .map((id) => `${id}=${answers[id] ? "y" : "n"}`)
    .join(",");
}

export function decodeAnswers(text: string): Partial<Record<FollowUpId, boolean>> {
  const answers: Partial<Record<FollowUpId, boolean>> = {};
  for (const pair of text.split(",")) {
    const [id, value] = pair.split("=");
    if (FOLLOW_UP_IDS.includes(id as FollowUpId) && (value === "y" || value === "n")) {
      answers[id as FollowUpId] = value === "y";
    }
  }
  return answers;
}

const typedErrorText = z.object({ errorText: z.string() }).passthrough();

/** Text typed into the platform card's error field; bounded so a paste cannot blow up a log line or a classifier. */
export function parseErrorText(data: unknown): string {
  const parsed = typedErrorText.safeParse(data);
  return parsed.success ? parsed.data.errorText.trim().slice(0, 500) : "";
}
