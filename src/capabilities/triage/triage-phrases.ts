/**
 * The bilingual phrases (English and Czech, compared after folding) that route a chat message into the triage
 * conversation. Kept beside the conversation so register.ts only routes.
 */
export const TriagePhrases = {
  /** "I can't add a passkey", "nejde mi přidat přístupový klíč": the platform card. */
  cantAddPasskey:
    /(can'?t|cannot|can not|unable to|won'?t let me|fails? to) (add|register|create|set up)( a| my)? pass ?key|nejde (mi )?pridat|nemuzu pridat|nelze pridat|nedari se pridat|i can'?t add a passkey/,
  /** "My YubiKey doesn't work", "bezpečnostní klíč nefunguje": the security-key path, model picker first. */
  securityKeyTrouble:
    /(yubi ?key|security key|fido2? key|feitian|token2|titan key|bezpecnostni klic|klic fido)\b.*\b(doesn'?t|does not|won'?t|not|isn'?t|fails?|nejde|nefunguje|neni prijat)|\b(nejde|nefunguje)\b.*(yubi ?key|bezpecnostni klic)/,
  /** The agent's `triage <UPN or name>` command. */
  triageCommand: /^\s*\/?triage(?:\s+(.*))?\s*$/is,
} as const;
