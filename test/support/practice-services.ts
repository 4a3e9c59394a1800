import { afterAll, beforeAll } from "vitest";
import { type RunningEmulator, type StartEmulatorOptions, startEmulator } from "../../src/emulator/start-emulator.js";
import { type RunningAzurite, startAzurite } from "./azurite.js";
import { PRACTICE_TENANT_FILE } from "./repo-path.js";

export interface PracticeServices {
  /** Throws when read before the file's tests start (at import time, or in a `describe` body). */
  readonly azurite: RunningAzurite;
  readonly emulator: RunningEmulator;
}

/**
 * A real Azurite and a Graph emulator holding the practice tenant, for every test of the calling file: started in a
 * beforeAll, stopped in an afterAll. Call it once at the top of a test file and read `.azurite` / `.emulator` inside
 * hooks and tests. Hooks the file registers afterwards run once both are up, and its afterAll hooks before they stop.
 *
 * The emulator's buckets are scaled by 100 so that throttling does not slow a test down; a file that needs another
 * tenant or scale passes it in `emulator` (an option given replaces the default). Starting both may take up to a
 * minute on a loaded machine, the hook timeout the test files gave it.
 */
export function usePracticeServices(options: { emulator?: Partial<StartEmulatorOptions> } = {}): PracticeServices {
  let azurite: RunningAzurite | undefined;
  let emulator: RunningEmulator | undefined;
  beforeAll(async () => {
    // allSettled, not all: when one fails to start, the other must still be stopped or it outlives the file.
    const [azuriteStart, emulatorStart] = await Promise.allSettled([
      startAzurite(),
      startEmulator({ port: 0, tenant: PRACTICE_TENANT_FILE, throttleScale: 100, ...options.emulator }),
    ]);
    if (azuriteStart.status === "fulfilled") azurite = azuriteStart.value;
    if (emulatorStart.status === "fulfilled") emulator = emulatorStart.value;
    if (azuriteStart.status === "rejected") throw azuriteStart.reason;
    if (emulatorStart.status === "rejected") throw emulatorStart.reason;
  }, 60_000);
  afterAll(async () => {
    await Promise.all([emulator?.close(), azurite?.stop()]);
  });
  return {
    get azurite() {
      if (!azurite) throw new Error("Azurite is not running: read practice.azurite inside a hook or a test");
      return azurite;
    },
    get emulator() {
      if (!emulator) throw new Error("The emulator is not running: read practice.emulator inside a hook or a test");
      return emulator;
    },
  };
}
