import { readFileSync } from "node:fs";
import type { TenantFile, TenantPersona, TenantUser } from "../emulator/tenant-file.js";

/** A practice persona joined with its directory entry: what the Playground needs to act as that person. */
export interface PracticePersona {
  key: string;
  role: TenantPersona["role"];
  exercises: string;
  userPrincipalName: string;
  /** The user's Entra object id (Teams `aadObjectId`). */
  objectId: string;
  displayName: string;
  givenName: string;
  surname: string;
  mail: string;
}

/** The tenant file has no persona with that key. */
export class UnknownPersonaError extends Error {
  constructor(key: string, known: readonly string[]) {
    super(`Persona "${key}" is not in the practice tenant; choose one of: ${known.join(", ")}`);
    this.name = "UnknownPersonaError";
  }
}

/** A persona names a user the tenant file does not contain. */
export class PersonaWithoutUserError extends Error {
  constructor(persona: TenantPersona) {
    super(`Persona "${persona.key}" must name a user of the tenant file, but ${persona.userPrincipalName} is not one`);
    this.name = "PersonaWithoutUserError";
  }
}

/** Reads a tenant file and returns its personas in file order, each with the user it stands for. */
export function practicePersonas(tenant: TenantFile | string): PracticePersona[] {
  const file: TenantFile = typeof tenant === "string" ? JSON.parse(readFileSync(tenant, "utf8")) : tenant;
  const usersByUpn = new Map(file.users.map((user) => [user.userPrincipalName.toLowerCase(), user]));
  return (file.personas ?? []).map((persona) => {
    const user = usersByUpn.get(persona.userPrincipalName.toLowerCase());
    if (!user) throw new PersonaWithoutUserError(persona);
    return joinPersona(persona, user);
  });
}

/** Finds a persona by key, with an error that lists the valid keys. */
export function findPersona(personas: readonly PracticePersona[], key: string): PracticePersona {
  const persona = personas.find((candidate) => candidate.key === key);
  if (!persona)
    throw new UnknownPersonaError(
      key,
      personas.map((candidate) => candidate.key),
    );
  return persona;
}

function joinPersona(persona: TenantPersona, user: TenantUser): PracticePersona {
  const [firstWord = user.displayName, ...otherWords] = user.displayName.split(" ");
  const text = (name: string) => (typeof user[name] === "string" ? (user[name] as string) : undefined);
  return {
    key: persona.key,
    role: persona.role,
    exercises: persona.exercises,
    userPrincipalName: user.userPrincipalName,
    objectId: user.id,
    displayName: user.displayName,
    givenName: text("givenName") ?? firstWord,
    surname: text("surname") ?? (otherWords.join(" ") || firstWord),
    mail: text("mail") ?? user.userPrincipalName,
  };
}
