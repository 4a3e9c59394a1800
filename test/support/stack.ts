import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { PracticeTenant } from "../../src/config.js";
import { startManagedProcess } from "../../src/dev/managed-process.js";
import { playgroundConfig, playgroundUserId, toPlaygroundYaml } from "../../src/dev/playground-config.js";
import { findPersona, type PracticePersona } from "../../src/dev/practice-personas.js";
import { REPO_ROOT, type RunningStack, startStack } from "../../src/dev/start-stack.js";
import { isAnswering, waitUntil } from "../../src/dev/wait-until-ready.js";
import { freePort } from "./free-port.js";
import { freeStackPorts } from "./stack-ports.js";

export const STACK_RESULTS_DIR = resolve(__dirname, "../../test-results/e2e");

/**
 * The launcher's stack (Azurite in memory, Graph emulator, bot, Agents Playground) on free ports, acting as `as`.
 * Logs and the generated Playground config go to test-results/e2e/stack-<as>/ so a failed run can be read.
 */
export async function startTestStack(options: { as: string; tenantPath?: string }): Promise<RunningStack> {
  const dataDir = join(STACK_RESULTS_DIR, `stack-${options.as}`);
  rmSync(dataDir, { recursive: true, force: true });
  return startStack({
    as: options.as,
    ports: await freeStackPorts(),
    // E2E_TENANT_FILE runs the browser tests against another tenant file with the same persona keys.
    tenantPath: options.tenantPath ?? process.env.E2E_TENANT_FILE,
    dataDir,
    azurite: "in-memory",
    readyTimeoutMs: 45_000,
  });
}

/** A second Agents Playground talking to a running stack's bot, so a second person has a Teams client of their own. */
export interface ExtraPlayground {
  url: string;
  persona: PracticePersona;
  /** The Playground user id this page acts as. */
  currentUserId: string;
  conversations: RunningStack["conversations"];
  stop(): Promise<void>;
}

/**
 * Another Playground acting as `as`, pointed at the stack's own bot (same process, so the same in-memory TAP vault,
 * Azurite and Graph emulator). Opening its page installs the bot for that person: the bot stores their personal-chat
 * reference, so proactive cards (TAP confirmation, approval) reach them there, as they would in Teams.
 */
export async function startExtraPlayground(stack: RunningStack, as: string): Promise<ExtraPlayground> {
  const persona = findPersona(stack.personas, as);
  const port = await freePort();
  const dir = join(stack.logDir, "..", `playground-${as}`);
  mkdirSync(dir, { recursive: true });
  const config = playgroundConfig({
    tenantId: stack.tenantId,
    currentUser: persona,
    personas: stack.personas,
    bot: { id: stack.botId, name: stack.botName },
    launchId: Date.now().toString(36),
    team: {
      id: "19:helpdesk-team@thread.tacv2",
      name: "Help desk",
      aadGroupId: PracticeTenant.agentsGroupId,
      channel: { id: PracticeTenant.helpdeskChannelId, name: "Help desk" },
    },
  });
  const configPath = join(dir, `m365agentsplayground.${as}.yml`);
  writeFileSync(
    configPath,
    `# Extra Playground for the browser tests, acting as ${as}.\n${toPlaygroundYaml(config.yaml)}`,
  );
  const playground = startManagedProcess({
    name: `playground-${as}`,
    command: join(REPO_ROOT, "node_modules/.bin/agentsplayground"),
    args: ["-e", stack.botEndpoint, "-c", "msteams", "--dt", "-p", String(port)],
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      TEAMSAPPTESTER_BROWSER: "none",
      APPLICATION_INSIGHTS_NO_STATSBEAT: "1",
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
      M365_AGENTS_PLAYGROUND_LOGFILE: join(dir, "playground-internal.log"),
    },
    logFile: join(dir, "playground.log"),
  });
  try {
    await waitUntil(() => isAnswering(`http://127.0.0.1:${port}/`), {
      what: `The Agents Playground for ${as}`,
      process: playground,
      timeoutMs: 30_000,
    });
  } catch (error) {
    await playground.stop();
    throw error;
  }
  return {
    url: `http://localhost:${port}`,
    persona,
    currentUserId: playgroundUserId(persona),
    conversations: config.conversations,
    stop: () => playground.stop(),
  };
}
