import { randomUUID } from "node:crypto";
import { PRACTICE_TENANT_ID, readPracticeTenant } from "./practice-tenant.js";
import { PRACTICE_TENANT_FILE } from "./repo-path.js";

export const PRACTICE_TENANT_PATH = PRACTICE_TENANT_FILE;
export { PRACTICE_TENANT_ID };

/** A practice persona with its directory object id, found by key (tests never hard-code object ids). */
export function practicePersona(key: string, tenantPath = PRACTICE_TENANT_PATH) {
  const tenant = readPracticeTenant(tenantPath);
  const persona = tenant.personas?.find((candidate) => candidate.key === key);
  if (!persona) throw new Error(`The practice tenant must have a persona "${key}"`);
  const user = tenant.users.find((candidate) => candidate.userPrincipalName === persona.userPrincipalName);
  if (!user) throw new Error(`The practice tenant must have a user ${persona.userPrincipalName}`);
  return { key, userPrincipalName: user.userPrincipalName, displayName: user.displayName, aadObjectId: user.id };
}

export interface Caller {
  aadObjectId: string;
  displayName?: string;
}

/** A Teams-shaped personal-chat activity from `caller`, the way Teams (and Agents Playground) post it. */
export function teamsActivity(caller: Caller, fields: Record<string, unknown>, tenantId = PRACTICE_TENANT_ID) {
  return {
    id: randomUUID(),
    channelId: "msteams",
    serviceUrl: "http://127.0.0.1:9/unused-with-expect-replies/",
    timestamp: new Date().toISOString(),
    locale: "en-US",
    from: { id: `29:${caller.aadObjectId}`, name: caller.displayName ?? "Someone", aadObjectId: caller.aadObjectId },
    recipient: { id: "28:passkey-helpdesk", name: "Passkey Helpdesk" },
    conversation: { id: `a:personal-${caller.aadObjectId}`, conversationType: "personal", tenantId },
    channelData: { tenant: { id: tenantId } },
    ...fields,
  };
}

/** POSTs an activity with deliveryMode expectReplies and returns the bot's replies. */
export async function expectReplies(baseUrl: string, activity: object): Promise<Array<Record<string, any>>> {
  const response = await post(baseUrl, { ...activity, deliveryMode: "expectReplies" });
  if (response.status !== 200) throw new Error(`The bot answered ${response.status}: ${JSON.stringify(response.body)}`);
  // teams-ai sends "typing" once a turn runs past a second, whatever `startTypingTimer` says (Application.run starts the
  // timer itself): an indicator, not a reply anyone reads, so a slow machine must not shift the replies a test reads.
  return (response.body as { activities: Array<Record<string, any>> }).activities.filter(
    (reply) => reply.type !== "typing",
  );
}

/** POSTs an Action.Execute invoke and returns the invoke response body (the replacement card or message). */
export async function executeCardAction(
  baseUrl: string,
  caller: Caller,
  verb: string,
  data: unknown,
  locale = "en-US",
) {
  const response = await post(
    baseUrl,
    teamsActivity(caller, {
      type: "invoke",
      name: "adaptiveCard/action",
      locale,
      value: { action: { type: "Action.Execute", verb, data }, trigger: "manual" },
    }),
  );
  return response as { status: number; body: { statusCode: number; type: string; value: any } };
}

export async function post(baseUrl: string, body: object, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseUrl}/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
}

/** The Adaptive Card attached to a reply, or undefined. */
export function cardOf(activity: Record<string, any> | undefined): Record<string, any> | undefined {
  return activity?.attachments?.find(
    (attachment: { contentType: string }) => attachment.contentType === "application/vnd.microsoft.card.adaptive",
  )?.content;
}

/** Every TextBlock text and action title of a card, for asserting on what a person would read. */
export function cardTexts(card: unknown): string[] {
  const texts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const record = node as Record<string, unknown>;
      if (typeof record.text === "string") texts.push(record.text);
      if (typeof record.title === "string") texts.push(record.title);
      Object.values(record).forEach(walk);
    }
  };
  walk(card);
  return texts;
}
