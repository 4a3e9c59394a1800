import { foldText } from "../../../text/fold-text.js";
import type { QuestionId } from "./diagnosis.js";

export type SymptomId =
  | "deviceNotSupported"
  | "couldNotAddMethod"
  | "deviceAlreadyRegistered"
  | "signInInterrupted"
  | "noPasskeyOption"
  | "noMfaMethod"
  | "crossDevice"
  | "windowsHello"
  | "securityKey"
  | "attestation";

export interface SymptomClassification {
  symptom: SymptomId;
  /** The question to start walking from. */
  start: QuestionId;
  /** `message`: an error text Entra or Windows shows; `heuristic`: recognised in free text. */
  basis: "message" | "heuristic";
}

export interface SymptomContext {
  /** The passkey policy changed within the hour: "not registered" then most likely means "not applied yet". */
  hasRecentPolicyChange?: boolean;
}

interface Rule {
  symptom: SymptomId;
  start: QuestionId;
  basis: "message" | "heuristic";
  /** Matched against folded text (lower-case, no diacritics), English and Czech. */
  patterns: RegExp[];
}

/** Exact error messages first (English and the Czech UI strings), then free-text heuristics; first match wins. */
const RULES: Rule[] = [
  {
    symptom: "deviceAlreadyRegistered",
    start: "platform",
    basis: "message",
    patterns: [
      /device (is )?already registered/,
      /already been registered/,
      /zarizeni (je )?(uz |jiz )?(bylo )?zaregistrovan/,
    ],
  },
  {
    symptom: "deviceNotSupported",
    start: "platform",
    basis: "message",
    patterns: [
      /(device|computer) (does ?n[o']t|doesn't|cannot) support this option/,
      /does not support this option/,
      /(tuto moznost|tuhle moznost) nepodporuje/,
      /zarizeni nepodporuje/,
    ],
  },
  {
    symptom: "couldNotAddMethod",
    start: "authenticator",
    basis: "message",
    patterns: [
      /(weren't|were not|wasn't|was not) able to add (this|the) method/,
      /couldn'?t add (this|the) method/,
      /passkey (was )?not registered/,
      /nepodarilo se (nam )?pridat (tuto |tuhle )?metodu/,
      /(klic|passkey)( pro pristup| k pristupu)? (nebyl|neni) zaregistrovan/,
      /pristupovy klic nebyl zaregistrovan/,
    ],
  },
  {
    symptom: "signInInterrupted",
    start: "freshMfa",
    basis: "message",
    patterns: [
      /sign[- ]?in (was )?interrupted/,
      /(sign|log) ?in again/,
      /re-?authenticat/,
      /prihlaseni (bylo )?preruseno/,
      /prihlaste se znovu/,
      /znovu (se )?prihlas/,
    ],
  },
  {
    symptom: "noPasskeyOption",
    start: "policyScope",
    basis: "message",
    patterns: [
      /no passkey option/,
      /passkey (option )?(is )?(missing|not (offered|listed|shown|available))/,
      /(can'?t|cannot|don'?t) (see|find) (the |a |any )?(passkey|security key|fido)/,
      /(passkey|fido2?) (isn'?t|is not) (there|in the list)/,
      /(nevidim|nenajdu|chybi)( tam)? (moznost )?(passkey|pristupovy klic|klic (pro|k) pristupu|bezpecnostni klic)/,
      /(passkey|pristupovy klic|klic pro pristup) (v nabidce )?(chybi|neni nabizen|se nenabizi)/,
    ],
  },
  {
    symptom: "noMfaMethod",
    start: "freshMfa",
    basis: "heuristic",
    patterns: [
      /temporary access pass|\btap\b/,
      /no (mfa|authenticator|phone|second factor|other method)/,
      /(lost|new|broken|replaced) (my )?phone/,
      /first day|new (employee|starter|hire)/,
      /docasn(y|eho) pristupov/,
      /(nemam|ztratil jsem|ztratila jsem|novy) (zadnou metodu|mfa|telefon|mobil)/,
      /prvni den|novy zamestnanec|nova zamestnankyne/,
    ],
  },
  {
    symptom: "crossDevice",
    start: "platform",
    basis: "heuristic",
    patterns: [/bluetooth/, /qr ?(code|kod)/, /\b(hangs|stuck)\b/, /zasekne|zasekl/],
  },
  {
    symptom: "attestation",
    start: "authenticator",
    basis: "heuristic",
    patterns: [/attestation|atestac|aaguid|allow ?list|block ?list|not allowed|blocked|nepovolen|zablokovan/],
  },
  {
    symptom: "securityKey",
    start: "authenticator",
    basis: "heuristic",
    patterns: [/yubikey|feitian|token2|security key|fido2? key|bezpecnostni klic/],
  },
  {
    symptom: "windowsHello",
    start: "platform",
    basis: "heuristic",
    patterns: [/windows hello|\bpin\b|\btpm\b|this windows device|toto zarizeni s windows/],
  },
];

/** Where to start the four questions from what the person saw or wrote (English or Czech, any diacritics). */
export function classifySymptom(text: string, context: SymptomContext = {}): SymptomClassification | null {
  const folded = foldText(text);
  if (!folded) return null;
  const rule = RULES.find((r) => r.patterns.some((p) => p.test(folded)));
  if (!rule) return null;
  // A fresh policy change explains "not registered" better than the authenticator does (passkey-domain.md, Q1).
  const start = rule.symptom === "couldNotAddMethod" && context.hasRecentPolicyChange ? "policyScope" : rule.start;
  return { symptom: rule.symptom, start, basis: rule.basis };
}
