import type { GraphGateway } from "../../graph/graph-gateway.js";
import type { AuthenticatorCatalog } from "../authenticators/create-authenticator-catalog.js";
import type { TriageConversationDependencies } from "./conversation.js";
import { classifySymptom } from "./engine/classify-symptom.js";
import { diagnosePasskeyRegistration } from "./engine/diagnose-passkey-registration.js";
import { createUserSnapshotCache, runTriage, type TriageEngineInput } from "./run-triage.js";
import { summarizeForTap } from "./summarize-for-tap.js";

/** What the triage conversation is built from: the live sources, owned by the composition root. */
export interface TriageConversationSources {
  graph: GraphGateway;
  catalog: AuthenticatorCatalog;
  roles: { resolveCallerRoles(userId: string): Promise<{ isAgent: boolean }> };
  clock: () => Date;
  logger: { warn(fields: object, message: string): void };
}

/** The triage conversation's dependencies, plus the server's own triage summary a TAP request carries. */
export interface TriageConversation extends TriageConversationDependencies {
  /**
   * The server's own triage summary of a person, for a TAP request (why a pass is needed), written in `locale`. It
   * reads through the same cached snapshots as the agent's evidence card, so pressing "Request TAP" right after a
   * triage costs no new Graph reads.
   */
  summarizeForTap(targetUserId: string, locale: string): Promise<string>;
}

/**
 * Names every AAGUID the engine will look at (the chosen one and the user's registered keys) before it runs: with
 * the FIDO Metadata Service loaded, models the built-in list does not know are fetched once and then known to
 * `lookup`. A metadata failure only costs the name, never the triage.
 */
async function resolveAuthenticators(catalog: AuthenticatorCatalog, input: TriageEngineInput): Promise<void> {
  const ids = new Set<string>();
  if (input.aaGuid) ids.add(input.aaGuid);
  if (input.snapshot.methods.ok) {
    for (const method of input.snapshot.methods.value) {
      const aaGuid = (method as { aaGuid?: unknown }).aaGuid;
      if (typeof aaGuid === "string") ids.add(aaGuid);
    }
  }
  await Promise.all([...ids].map((id) => catalog.resolve(id).catch(() => null)));
}

/** The triage conversation over live Graph, with one user-snapshot cache shared by every turn of this bot. */
export function createTriageConversation(sources: TriageConversationSources): TriageConversation {
  const { catalog, graph } = sources;
  const snapshots = createUserSnapshotCache();
  const pickerEntries = catalog.listForPicker().map((a) => ({ aaGuid: a.aaGuid, name: a.name }));
  const keyModels = catalog.listSecurityKeyModels();
  const conversation: TriageConversation = {
    runTriage: (request) =>
      runTriage(
        {
          gateway: graph,
          diagnose: async (input) => {
            await resolveAuthenticators(catalog, input);
            return diagnosePasskeyRegistration({ ...input, catalog });
          },
          now: sources.clock,
          snapshots,
        },
        request,
      ),
    schedulerStatus: () => graph.schedulerStatus(),
    getUser: (idOrUpn) => graph.getUser(idOrUpn, "interactive"),
    findUsers: (text, top) => graph.findUsers(text, top),
    isAgent: async (userId) => (await sources.roles.resolveCallerRoles(userId)).isAgent,
    classifySymptom: (text) => classifySymptom(text)?.start ?? null,
    authenticatorName: (aaGuid) => catalog.lookup(aaGuid)?.name ?? null,
    authenticatorsForPicker: () => pickerEntries,
    securityKeyModels: () => keyModels,
    logRefusal: (callerId, action) =>
      sources.logger.warn({ event: "triage.refused", caller: callerId, action }, "agent-only action refused"),
    summarizeForTap: async (targetUserId, locale) => {
      const outcome = await conversation.runTriage({
        userId: targetUserId,
        platform: "unknown",
        aaGuid: null,
        forAgent: true,
      });
      return summarizeForTap(locale, outcome.diagnosis);
    },
  };
  return conversation;
}
