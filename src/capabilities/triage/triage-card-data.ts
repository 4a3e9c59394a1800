import type { CardMessage } from "../../cards/card-message.js";
import { type CardText, localizedText } from "../../cards/localized-text.js";
import type { SchedulerStatus } from "../../graph/graph-gateway.js";
import type { DirectoryUser } from "../../graph/model.js";
import type { QuestionId } from "./engine/diagnosis.js";

/** A choice on a picker card: what the person reads and the value sent back. */
export interface TriagePickerChoice {
  title: string;
  value: string;
}

/** The data of the small triage cards; the result and evidence cards declare theirs beside their builders. */
export type TriagePlatformData = {
  start: string;
  lang: string;
  authenticators: TriagePickerChoice[];
};

export type TriageKeyModelData = {
  start: string;
  lang: string;
  models: TriagePickerChoice[];
};

export type TriageDeviceData = {
  start: string;
  lang: string;
};

export type TriageCheckingData = {
  queueText: CardText;
  hasQueue: boolean;
};

export type TriageUserPickerData = {
  title: CardText;
  users: Array<{ targetUserId: string; title: string }>;
};

export type TriageAnswerData = {
  answer: CardText;
  links: Array<{ title: CardText; url: string }>;
  hasLinks: boolean;
};

declare module "../../cards/card-message.js" {
  interface CardDataByName {
    "triage-platform": TriagePlatformData;
    "triage-key-model": TriageKeyModelData;
    "triage-device": TriageDeviceData;
    "triage-checking": TriageCheckingData;
    "triage-user-picker": TriageUserPickerData;
    "triage-answer": TriageAnswerData;
  }
}

/** At most this many authenticators in the picker: a Teams card must stay under its size limit. */
const PICKER_LIMIT = 40;

export function buildPlatformCard(
  authenticators: ReadonlyArray<{ aaGuid: string; name: string }>,
  start: QuestionId | null = null,
  lang = "",
): CardMessage<"triage-platform"> {
  return {
    name: "triage-platform",
    data: {
      start: start ?? "",
      lang,
      authenticators: authenticators.slice(0, PICKER_LIMIT).map((a) => ({ title: a.name, value: a.aaGuid })),
    },
  };
}

/** At most this many key models: a Teams card must stay under its size limit (the list is filtered as one types). */
const KEY_MODEL_LIMIT = 120;

/**
 * "Which security key is it?": one entry per model, grouped by vendor ("Yubico · YubiKey 5 Series with NFC"), and
 * "I don't know my model", which still checks everything that does not depend on the model.
 */
export function buildKeyModelCard(
  models: ReadonlyArray<{ vendor: string; name: string; aaGuid: string }>,
  start: QuestionId | null,
  lang = "",
): CardMessage<"triage-key-model"> {
  return {
    name: "triage-key-model",
    data: {
      start: start ?? "",
      lang,
      models: models.slice(0, KEY_MODEL_LIMIT).map((m) => ({
        title: m.name.toLowerCase().includes(m.vendor.toLowerCase()) ? m.name : `${m.vendor} · ${m.name}`,
        value: m.aaGuid,
      })),
    },
  };
}

/** "I'm not sure": which device is in front of the person, in words they recognise. */
export function buildDeviceCard(start: QuestionId | null, lang = ""): CardMessage<"triage-device"> {
  return { name: "triage-device", data: { start: start ?? "", lang } };
}

/** Shown at once, then replaced by the result: a waiting person is told why it may take a moment. */
export function buildCheckingCard(status: SchedulerStatus | null): CardMessage<"triage-checking"> {
  const waitSeconds = status ? Math.ceil(status.reportsBucketWaitSeconds) : 0;
  const queueText: CardText =
    status && waitSeconds > 0
      ? // Shown while this person's own request is already queued: it counts among queuedInteractive.
        localizedText("triage.checkingQueue", { position: Math.max(1, status.queuedInteractive), seconds: waitSeconds })
      : "";
  return { name: "triage-checking", data: { queueText, hasQueue: queueText !== "" } };
}

export function buildUserPickerCard(text: string, users: DirectoryUser[]): CardMessage<"triage-user-picker"> {
  return {
    name: "triage-user-picker",
    data: {
      title: localizedText("triage.pickerTitle", { text }),
      users: users.map((u) => ({
        targetUserId: u.id,
        title: `${u.displayName ?? u.userPrincipalName} (${u.userPrincipalName})`,
      })),
    },
  };
}

export function buildAnswerCard(
  answer: CardText,
  links: Array<{ title: CardText; url: string }>,
): CardMessage<"triage-answer"> {
  return { name: "triage-answer", data: { answer, links, hasLinks: links.length > 0 } };
}
