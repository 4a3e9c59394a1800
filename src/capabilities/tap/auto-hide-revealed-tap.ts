import type { CardReplacement } from "../../bot/create-card-replacer.js";
import { hiddenCard } from "./reveal-tap.js";
import { auditTap } from "./tap-audit.js";
import type { TapDependencies } from "./tap-dependencies.js";
import type { TapRequest } from "./tap-request.js";

/**
 * The revealed value must not linger in the chat: after a while the card is swapped for the hidden version, whether
 * or not the agent pressed Hide, and the ledger records it. The value is not kept for this: the hidden card is built
 * from the stored request.
 */
export function autoHideRevealedTap(deps: TapDependencies, requestId: string, afterMs: number): CardReplacement {
  let request: TapRequest | null = null;
  return {
    afterMs,
    event: "tap.autoHide",
    details: { requestId },
    build: async () => {
      request = (await deps.store.get(requestId))?.value ?? null;
      return request ? hiddenCard(request) : null;
    },
    afterReplaced: () => auditTap(deps, "tap.autoHidden", request, null, { afterMs }),
  };
}
