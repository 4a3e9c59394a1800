import { join } from "node:path";
import { type PersonPlayground, startPersonPlayground } from "./person-playground.js";
import { assertPortsFree } from "./port-check.js";
import { parseStartArgs, START_USAGE } from "./start-args.js";
import { startFailureMessage } from "./start-failure-message.js";
import { type RunningStack, startStack } from "./start-stack.js";
import { watchLaunchers } from "./watch-launchers.js";
import { whoIsWho } from "./who-is-who.js";

/** `npm start`: the whole local stack in the Agents Playground; Ctrl-C or SIGTERM stops it all, in order. */
async function main(): Promise<void> {
  const args = parseStartArgs(process.argv.slice(2));
  if (args.isHelp) {
    console.log(START_USAGE);
    return;
  }

  let stack: RunningStack | undefined;
  const extras: PersonPlayground[] = [];
  let isStopping = false;
  const shutdown = async (reason: string, exitCode: number) => {
    if (isStopping) return;
    isStopping = true;
    console.log(`\n${reason}: stopping the Playground, the bot, the Graph emulator and Azurite…`);
    await Promise.all(extras.map((extra) => extra.stop()));
    await stack?.stop();
    console.log("Stopped.");
    process.exit(exitCode);
  };
  process.on("SIGINT", () => void shutdown("Ctrl-C", 0));
  process.on("SIGTERM", () => void shutdown("SIGTERM", 0));
  process.on("SIGHUP", () => void shutdown("SIGHUP", 0));
  watchLaunchers(() => void shutdown("npm start was stopped", 0));

  const startedAt = Date.now();
  stack = await startStack({
    as: args.as,
    ports: args.ports,
    tenantPath: args.tenantPath,
    dataDir: args.dataDir,
    locale: args.locale,
    echoBot: process.stdout,
    onProgress: (line) => console.log(`  ${line}`),
    onUnexpectedExit: (name, logFile) => void shutdown(`${name} exited unexpectedly (see ${logFile})`, 1),
  });
  if (isStopping) {
    await stack.stop();
    return;
  }
  // One Playground per further person, on the ports after the main one, all talking to the one bot.
  for (const [index, person] of args.extraPeople.entries()) {
    const port = args.ports.playground + index + 1;
    await assertPortsFree([{ purpose: `the Playground for ${person}`, option: "--playground-port", port }]);
    extras.push(await startPersonPlayground(stack, person, port, join(stack.logDir, "..", `playground-${person}`)));
  }
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  console.log(`
Passkey Helpdesk is running (ready in ${seconds} s).

  Open the Microsoft 365 Agents Playground:  ${stack.playgroundUrl}
  Acting as: ${stack.persona.displayName} (${stack.persona.key}, ${stack.persona.role})
${extras.map((extra) => `  …as ${extra.persona.displayName} (${extra.persona.key}, ${extra.persona.role}):  ${extra.url}`).join("\n")}
  Another persona: Ctrl-C, then  npm start -- --as <persona>   (e.g. agent-1, manager, admin)
  Several at once:  npm start -- --people agent-1,manager,no-mfa-method

${whoIsWho(stack.persona, stack.others)}

  Bot ${stack.botEndpoint} · Graph emulator ${stack.emulatorUrl} · logs ${stack.logDir}
  Ctrl-C stops everything.
`);
}

main().catch((error: unknown) => {
  console.error(startFailureMessage(error));
  process.exit(1);
});
