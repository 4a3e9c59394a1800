import type { GraphGateway } from "../../graph/graph-gateway.js";
import { findTapTarget, singleWord } from "./find-tap-target.js";
import { showPendingTapRequests } from "./list-pending-approvals.js";
import type { TapDependencies } from "./tap-dependencies.js";
import type { TapCard } from "./tap-ports.js";
import type { Actor } from "./tap-request.js";

/** What `tap status <UPN>` answers: the pending request cards, or a line (usage, or that there is none). */
export type TapStatusAnswer = { cards: TapCard[] } | { line: { key: string; params?: Record<string, string> } };

/** `tap status <UPN>`: the user named by one word, then their pending requests as the actor may see them. */
export async function showTapStatus(
  deps: TapDependencies,
  graph: Pick<GraphGateway, "getUser">,
  actor: Actor,
  argumentText: string,
): Promise<TapStatusAnswer> {
  const upn = singleWord(argumentText);
  if (!upn) return { line: { key: "tap.statusUsage" } };
  const found = await findTapTarget(graph, upn);
  const cards = found ? await showPendingTapRequests(deps, actor, found.id) : [];
  return cards.length === 0 ? { line: { key: "tap.statusNone", params: { upn } } } : { cards };
}
