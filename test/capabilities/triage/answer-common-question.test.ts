import { describe, expect, it } from "vitest";
import { answerCommonQuestion } from "../../../src/capabilities/triage/answer-common-question.js";

const TABLE: Array<[string, string]> = [
  ["My YubiKey works in another tenant but not in ours", "worksInOtherTenant"],
  ["U jiné firmy mi ten klíč funguje, proč u nás ne?", "worksInOtherTenant"],
  ["I registered my passkey yesterday and today it is blocked", "registeredYesterdayBlockedToday"],
  ["Včera jsem si klíč zaregistroval a dnes mě to nepustí", "registeredYesterdayBlockedToday"],
  ["Can I keep SMS as a backup next to my passkey?", "passkeyPlusSms"],
  ["Můžu si nechat SMS jako zálohu ke klíči?", "passkeyPlusSms"],
  ["The Authenticator passkey works on my phone but not on the desktop browser", "phoneWorksDesktopDoesNot"],
  ["Na telefonu to funguje, ale na počítači ne", "phoneWorksDesktopDoesNot"],
  ["How do I move my passkey from iCloud to Authenticator?", "movePasskey"],
  ["Jde přesunout přístupový klíč do jiného správce hesel?", "movePasskey"],
  ["What is a passkey?", "whatIsPasskey"],
  ["Co je přístupový klíč?", "whatIsPasskey"],
  ["what is a TAP?", "whatIsTap"],
  ["Co je dočasný přístupový kód?", "whatIsTap"],
  ["I lost my phone", "lostPhone"],
  ["My phone was stolen and I need to sign in", "lostPhone"],
  ["Ztratil jsem telefon", "lostPhone"],
];

describe("answerCommonQuestion", () => {
  it.each(TABLE)("%s → %s", (text, question) => {
    const answer = answerCommonQuestion(text);
    expect(answer?.question).toBe(question);
    expect(answer?.answer.map((a) => a.key)).toEqual([`faq.${question}.answer`, `faq.${question}.next`]);
  });

  it("does not answer what it does not recognise", () => {
    expect(answerCommonQuestion("What is the weather?")).toBeNull();
    expect(answerCommonQuestion("I use my phone and my notebook computer")).toBeNull();
  });
});
