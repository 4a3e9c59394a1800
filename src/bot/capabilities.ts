import { registerInventory } from "../capabilities/inventory/register.js";
import { registerTap } from "../capabilities/tap/register.js";
import { registerTickets } from "../capabilities/tickets/register.js";
import { registerAgentTriage } from "../capabilities/triage/agent/register.js";
import { registerTriage } from "../capabilities/triage/register.js";
import { registerDoctor } from "../doctor/register.js";
import type { RegisterCapability } from "./create-bot-application.js";

/**
 * The one place capabilities are wired into the bot, in routing order (the foundation's fallbacks come after all of
 * them). The composition root and the contract tests both build the Application from this list. teams-ai takes the
 * first matching route, so TAP's exact commands (`tap <UPN>`, `audit <UPN>`) come before triage, whose free-text
 * symptom classifier would otherwise read "tap" as a description of a problem (and the admin's `doctor` likewise).
 */
export const capabilities: readonly RegisterCapability[] = [
  registerTap,
  registerDoctor,
  registerInventory,
  registerAgentTriage,
  registerTriage,
  registerTickets,
];
