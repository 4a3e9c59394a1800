/**
 * Runs `setUp` (creating a table, seeding it) on first use and shares that one attempt with every caller; a failed
 * attempt is forgotten so the next call tries again (Azurite or Azure Storage may come up after the bot).
 */
export function ensureOnce(setUp: () => Promise<void>): () => Promise<void> {
  let ready: Promise<void> | null = null;
  return () => {
    ready ??= setUp().catch((error: unknown) => {
      ready = null;
      throw error;
    });
    return ready;
  };
}
