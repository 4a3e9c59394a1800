import { foldText } from "../../text/fold-text.js";
import type { LocalizedText } from "./engine/diagnosis.js";
import { diagnosisText } from "./engine/diagnosis-text.js";

export type CommonQuestionId =
  | "worksInOtherTenant"
  | "registeredYesterdayBlockedToday"
  | "passkeyPlusSms"
  | "phoneWorksDesktopDoesNot"
  | "movePasskey"
  | "whatIsPasskey"
  | "whatIsTap"
  | "lostPhone";

export interface CommonQuestionAnswer {
  question: CommonQuestionId;
  /** Paragraphs of the answer, as diagnosis locale keys. */
  answer: LocalizedText[];
}

const PASSKEY = /passkey|pass key|klic|fido|yubikey|security key/;

const QUESTIONS: Array<{ id: CommonQuestionId; matches: (text: string) => boolean; answer: LocalizedText[] }> = [
  {
    id: "lostPhone",
    matches: (t) =>
      /(lost|stolen|broke|broken|replaced|new|changed|reset) (my )?(phone|mobile|iphone|android)|(phone|mobile) (was |got )?(lost|stolen|broken|replaced)|(ztratil|ztratila|ukradli|rozbil|rozbila|vymenil|vymenila|novy) (jsem |se mi |mi )?(telefon|mobil)|(telefon|mobil) (jsem )?(ztratil|ztratila)/.test(
        t,
      ),
    answer: [diagnosisText("faq.lostPhone.answer"), diagnosisText("faq.lostPhone.next")],
  },
  {
    id: "whatIsTap",
    matches: (t) =>
      /(what|co) (is|are|je|jsou) (a |an |the )?(tap|temporary access pass|docasny pristupovy kod)\b|^\s*(tap|temporary access pass)\s*\?/.test(
        t,
      ),
    answer: [diagnosisText("faq.whatIsTap.answer"), diagnosisText("faq.whatIsTap.next")],
  },
  {
    id: "whatIsPasskey",
    matches: (t) =>
      /(what|co) (is|are|je|jsou) (a |an |the )?(passkey|pass key|passkeys|pristupovy klic|pristupove klice|klic passkey)\b|^\s*passkeys?\s*\?/.test(
        t,
      ),
    answer: [diagnosisText("faq.whatIsPasskey.answer"), diagnosisText("faq.whatIsPasskey.next")],
  },
  {
    id: "worksInOtherTenant",
    matches: (t) =>
      /(another|other|different|previous|old) (tenant|company|organi[sz]ation|employer|customer)|jine(m)? (tenant|firm|organizac|spolecnost)|jinde (to )?funguje|u jine firmy/.test(
        t,
      ),
    answer: [diagnosisText("faq.worksInOtherTenant.answer"), diagnosisText("faq.worksInOtherTenant.next")],
  },
  {
    id: "registeredYesterdayBlockedToday",
    matches: (t) =>
      /(yesterday|last week|before).*(today|now|this morning)|worked (yesterday|before|last week)|vcera.*(dnes|ted|rano)|(vcera|predtim|minuly tyden) (to )?fungoval/.test(
        t,
      ),
    answer: [
      diagnosisText("faq.registeredYesterdayBlockedToday.answer"),
      diagnosisText("faq.registeredYesterdayBlockedToday.next"),
    ],
  },
  {
    id: "passkeyPlusSms",
    matches: (t) =>
      /\bsms\b|text message|textov/.test(t) && (PASSKEY.test(t) || /fallback|backup|zaloh|keep|ponechat/.test(t)),
    answer: [diagnosisText("faq.passkeyPlusSms.answer"), diagnosisText("faq.passkeyPlusSms.next")],
  },
  {
    id: "phoneWorksDesktopDoesNot",
    matches: (t) =>
      /(phone|mobile|iphone|android|telefon|mobil)/.test(t) &&
      /(desktop|computer|laptop|\bpc\b|browser|pocitac|notebook|prohlizec)/.test(t) &&
      /\b(not|but|ale)\b|n't|nefunguje|nejde/.test(t),
    answer: [diagnosisText("faq.phoneWorksDesktopDoesNot.answer"), diagnosisText("faq.phoneWorksDesktopDoesNot.next")],
  },
  {
    id: "movePasskey",
    matches: (t) =>
      /(move|transfer|migrate|export|copy|presun|prenes|prenest|zkopirova|exportova)/.test(t) && PASSKEY.test(t),
    answer: [diagnosisText("faq.movePasskey.answer"), diagnosisText("faq.movePasskey.next")],
  },
];

/** Recognises the common questions of passkey-domain.md in free text (English or Czech) and answers them. */
export function answerCommonQuestion(text: string): CommonQuestionAnswer | null {
  const folded = foldText(text);
  const found = QUESTIONS.find((q) => q.matches(folded));
  return found ? { question: found.id, answer: found.answer } : null;
}
