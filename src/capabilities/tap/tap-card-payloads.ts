import { z } from "zod";

/**
 * What TAP cards send back, declared once: ids and what the person typed or chose, nothing else is trusted. Every
 * fact that decides anything (who the target is, who may approve) is read again on the server. Unknown fields are
 * kept but never used; a payload of the wrong shape is answered as a malformed card (src/bot/card-actions.ts).
 */
const id = z.string().max(200);
/** Input.Text, Input.ChoiceSet and Input.Toggle values as Teams sends them. */
const inputValue = z.union([z.string().max(4000), z.number(), z.boolean()]).optional();

export const TapCardPayloads = {
  /** Confirm, decline, approve, reveal, hide, cancel: the request the card is about. */
  request: z.object({ requestId: id.optional() }).passthrough(),
  /** Deny: the request and the approver's reason. */
  deny: z.object({ requestId: id.optional(), denialReason: inputValue }).passthrough(),
  /** "Request TAP" on an evidence card: whom for. */
  form: z.object({ targetUserId: id.optional() }).passthrough(),
  /** The request form's submit. */
  submit: z
    .object({
      targetUserId: id.optional(),
      reason: inputValue,
      identityVerification: inputValue,
      identityVerificationNote: inputValue,
      lifetimeInMinutes: inputValue,
      isUsableOnce: inputValue,
      multiUseJustification: inputValue,
      isTargetUnreachable: inputValue,
    })
    .passthrough(),
};
