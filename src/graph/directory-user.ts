import type { DirectoryUser } from "./model.js";

/** What the bot reads of a user everywhere it reads one (getUser, manager, group members, the triage snapshot). */
export const userSelect = "id,userPrincipalName,displayName,mail,userType,accountEnabled,preferredLanguage,jobTitle";

/** A Graph user as the bot's DirectoryUser: absent properties become null, never undefined. */
export function directoryUser(raw: Record<string, unknown>): DirectoryUser {
  return {
    id: String(raw.id),
    userPrincipalName: String(raw.userPrincipalName ?? ""),
    displayName: (raw.displayName as string | null | undefined) ?? null,
    mail: (raw.mail as string | null | undefined) ?? null,
    userType: (raw.userType as string | null | undefined) ?? null,
    accountEnabled: (raw.accountEnabled as boolean | null | undefined) ?? null,
    preferredLanguage: (raw.preferredLanguage as string | null | undefined) ?? null,
    jobTitle: (raw.jobTitle as string | null | undefined) ?? null,
  };
}
