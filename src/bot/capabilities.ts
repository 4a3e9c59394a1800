import { registerTap } from "../capabilities/tap/register.js";
import { registerTriage } from "../capabilities/triage/register.js";
import type { RegisterCapability } from "./create-bot-application.js";

/**
 * The one place capabilities are wired into the bot, in routing order (the foundation's fallbacks come after all of
 * them). The composition root and the contract tests both build the Application from this list.
 */
export const capabilities: readonly RegisterCapability[] = [registerTriage, registerTap];
