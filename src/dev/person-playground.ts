import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inheritedEnvironment, PracticeTenant } from "../config.js";
import { startManagedProcess } from "./managed-process.js";
import { playgroundConfig, playgroundUserId, toPlaygroundYaml } from "./playground-config.js";
import { findPersona, type PracticePersona } from "./practice-personas.js";
import { REPO_ROOT, type RunningStack } from "./start-stack.js";
import { isAnswering, waitUntil } from "./wait-until-ready.js";

/** Another Agents Playground talking to a running stack's bot, so a second person has a Teams client of their own. */
export interface PersonPlayground {
  url: string;
  persona: PracticePersona;
  /** The Playground user id this page acts as. */
  currentUserId: string;
  conversations: RunningStack["conversations"];
  stop(): Promise<void>;
}

/**
 * A Playground acting as `as` on `port`, pointed at the stack's own bot (same Azurite and Graph emulator). Opening its
 * page installs the bot for that person: the bot stores their personal-chat reference, so proactive cards (TAP
 * confirmation, approval) reach them there, as they would in Teams. Config and logs go to `dir`.
 */
export async function startPersonPlayground(
  stack: RunningStack,
  as: string,
  port: number,
  dir: string,
): Promise<PersonPlayground> {
  const persona = findPersona(stack.personas, as);
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
  writeFileSync(configPath, `# Playground acting as ${as}.\n${toPlaygroundYaml(config.yaml)}`);
  const playground = startManagedProcess({
    name: `playground-${as}`,
    command: join(REPO_ROOT, "node_modules/.bin/agentsplayground"),
    args: ["-e", stack.botEndpoint, "-c", "msteams", "--dt", "-p", String(port)],
    cwd: REPO_ROOT,
    env: {
      ...inheritedEnvironment(),
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
