import { stringify } from "yaml";
import type { PracticePersona } from "./practice-personas.js";

/** A YAML value the Playground config needs: strings, numbers, booleans, lists and maps. */
export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

/**
 * The Playground config as YAML. Every string is double-quoted, so ids such as "19:helpdesk@thread.tacv2", a `#EXT#`
 * UPN or "0012" can never be read back as a comment, a map key or a number.
 */
export function toPlaygroundYaml(value: YamlValue): string {
  return stringify(value, { defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN", lineWidth: 0 });
}

/** The Agents Playground schema demands exactly this many `users` besides `currentUser`. */
export const PLAYGROUND_OTHER_USER_COUNT = 5;

/** Who fills the five other seats, in order, skipping whoever the page acts as: the people a TAP flow involves. */
const OTHER_USER_PREFERENCE = [
  "agent-1",
  "manager",
  "admin",
  "windows-hello-blocked",
  "agent-2",
  "manager-top",
  "no-mfa-method",
  "all-good",
];

export interface PlaygroundConfigInput {
  tenantId: string;
  /** Who the page acts as. */
  currentUser: PracticePersona;
  personas: readonly PracticePersona[];
  bot: { id: string; name: string };
  team: { id: string; name: string; aadGroupId: string; channel: { id: string; name: string } };
  /**
   * Distinguishes this launch's personal chat. The Playground forgets its chat history when it stops while the bot's
   * state survives in Azurite, so a stable id would make a restarted Playground an empty chat the bot will not
   * welcome again.
   */
  launchId?: string;
}

/** The practice tenant has fewer than six personas, so the Playground's five other seats cannot be filled. */
export class NotEnoughPersonasError extends Error {
  constructor(count: number) {
    super(
      `The Playground needs ${PLAYGROUND_OTHER_USER_COUNT + 1} personas (itself and five others), the tenant has ${count}`,
    );
    this.name = "NotEnoughPersonasError";
  }
}

/** A Playground user's Teams id: stable per persona, so stored conversation references survive restarts. */
export function playgroundUserId(persona: PracticePersona): string {
  return `29:${persona.objectId}`;
}

/** The five personas shown beside the current user (the Playground's `users`). */
export function otherPlaygroundUsers(
  current: PracticePersona,
  personas: readonly PracticePersona[],
): PracticePersona[] {
  const others = personas.filter((persona) => persona.key !== current.key);
  const rank = (persona: PracticePersona) => {
    const index = OTHER_USER_PREFERENCE.indexOf(persona.key);
    return index === -1 ? OTHER_USER_PREFERENCE.length : index;
  };
  const chosen = [...others].sort((a, b) => rank(a) - rank(b)).slice(0, PLAYGROUND_OTHER_USER_COUNT);
  if (chosen.length < PLAYGROUND_OTHER_USER_COUNT) throw new NotEnoughPersonasError(personas.length);
  return chosen;
}

export interface PlaygroundConfig {
  /** The file's content (schema version 0.1.1). */
  yaml: { [key: string]: YamlValue };
  /** The conversation ids the Playground will use. */
  conversations: { personalChat: string; groupChat: string; channel: string };
}

/**
 * The Playground configuration (schema version 0.1.1, strict): the tenant, the bot, the person the page acts as,
 * exactly five other users, and a team with the help-desk channel. `userPrincipleName` is the schema's spelling.
 */
export function playgroundConfig(input: PlaygroundConfigInput): PlaygroundConfig {
  const user = (persona: PracticePersona): { [key: string]: YamlValue } => ({
    id: playgroundUserId(persona),
    name: persona.displayName,
    userPrincipleName: persona.userPrincipalName,
    aadObjectId: persona.objectId,
    givenName: persona.givenName,
    surname: persona.surname,
    email: persona.mail,
  });
  const conversations = {
    personalChat: ["personal-chat", input.currentUser.key, input.launchId].filter(Boolean).join("-"),
    groupChat: "19:practice-group-chat@thread.v2",
    channel: input.team.channel.id,
  };
  const yaml = {
    version: "0.1.1",
    tenantId: input.tenantId,
    bot: { id: input.bot.id, name: input.bot.name },
    currentUser: user(input.currentUser),
    users: otherPlaygroundUsers(input.currentUser, input.personas).map(user),
    personalChat: { id: conversations.personalChat },
    groupChat: { id: conversations.groupChat, name: "Passkey rollout (practice)" },
    team: {
      id: input.team.id,
      name: input.team.name,
      aadGroupId: input.team.aadGroupId,
      channels: [{ id: input.team.channel.id, name: input.team.channel.name }],
    },
  };
  return { yaml, conversations };
}
