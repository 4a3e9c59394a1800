import { isGuid } from "../../text/is-guid.js";
import { sameId } from "./check-tap-preconditions.js";
import type { TapDependencies } from "./tap-dependencies.js";
import { RequestNotFoundError, WrongTenantError } from "./tap-errors.js";
import type { Versioned } from "./tap-ports.js";
import type { Actor, TapRequest } from "./tap-request.js";

/** The stored request an Action.Execute names, only for an actor of the request's own tenant. */
export async function loadTapRequest(
  deps: Pick<TapDependencies, "store" | "settings">,
  actor: Actor,
  requestId: unknown,
): Promise<Versioned<TapRequest>> {
  if (!sameId(actor.tenantId, deps.settings.tenantId)) throw new WrongTenantError();
  if (typeof requestId !== "string" || !isGuid(requestId)) throw new RequestNotFoundError();
  const stored = await deps.store.get(requestId);
  if (!stored) throw new RequestNotFoundError();
  if (!sameId(stored.value.tenantId, actor.tenantId)) throw new WrongTenantError();
  return stored;
}
