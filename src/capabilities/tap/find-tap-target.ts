import { NotFoundError } from "../../graph/graph-errors.js";
import type { GraphGateway } from "../../graph/graph-gateway.js";
import type { DirectoryUser } from "../../graph/model.js";
import { InvalidGraphIdentifierError } from "../../graph/odata-literal.js";

/** The one word after a command (`tap <UPN>`), or null when there is none or more than one. */
export function singleWord(argumentText: string): string | null {
  const words = argumentText.trim().split(/\s+/).filter(Boolean);
  return words.length === 1 ? (words[0] as string) : null;
}

/**
 * The user a typed UPN names, or null when the directory has none (or it is not a UPN at all); the form's
 * preconditions then refuse it with the named rule instead of a generic error.
 */
export async function findTapTarget(graph: Pick<GraphGateway, "getUser">, upn: string): Promise<DirectoryUser | null> {
  try {
    return await graph.getUser(upn);
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof InvalidGraphIdentifierError) return null;
    throw error;
  }
}
