import fc from "fast-check";
import { CardVerbs } from "../../src/bot/card-verbs.js";
import type { EmulatorRequest } from "../../src/emulator/start-emulator.js";
import { PRACTICE_TENANT_ID, practicePersona, teamsActivity } from "./bot-http.js";

/** A word that only ever appears inside an attacker's attempted breakout: found outside a literal = injected. */
export const INJECTION_MARKER = "zzinj";

/** OData breakouts a person could type into any free-text field. */
const injectionStrings = [
  `x') or startswith(userPrincipalName,'${INJECTION_MARKER}`,
  `' or 1 eq 1 or displayName eq '${INJECTION_MARKER}`,
  `a'' or ''${INJECTION_MARKER}''='`,
  `%27) or (id ne '${INJECTION_MARKER}`,
  `\\' or accountEnabled eq true or '${INJECTION_MARKER}`,
  `') and ${INJECTION_MARKER} eq ('`,
  `admin@contoso.com') or userType eq 'Guest' or ('${INJECTION_MARKER}`,
  `$filter=${INJECTION_MARKER}&$select=passwordProfile`,
  `../../users?$filter=${INJECTION_MARKER}`,
];

const oddUnicode = fc.constantFrom(
  "\u202e",
  "\u0000",
  "\ud800",
  "🔑",
  "Ž",
  "\u200b",
  "ﬁ",
  "\r\n",
  // Card-template syntax typed by a person must stay text.
  ["$", "{phone}"].join(""),
  "<at>bot</at>",
  "**bold**",
  '{"type":"AdaptiveCard"}',
);

/** Text a person could type or put in a card input. */
export const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom(...injectionStrings),
  fc
    .tuple(fc.string({ maxLength: 10 }), oddUnicode, fc.constantFrom(...injectionStrings))
    .map((parts) => parts.join("")),
  fc.integer({ min: 1_000, max: 60_000 }).map((length) => "A".repeat(length)),
);

/** Any JSON value, including wrong types for every field. */
const anyValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  hostileText,
);

const personaKeys = ["all-good", "agent-1", "agent-2", "manager", "admin", "privileged-admin", "external-guest"];
const verbs = [...Object.values(CardVerbs), "tap.issue", "admin.deleteEverything", "", "triage.start\u0000"];

/** Who the activity claims to come from: a practice persona, a forged id, or another tenant. */
const caller = fc.oneof(
  fc.constantFrom(...personaKeys).map((key) => ({ ...practicePersona(key), tenantId: PRACTICE_TENANT_ID })),
  fc.uuid().map((id) => ({ aadObjectId: id, displayName: "Forged", tenantId: PRACTICE_TENANT_ID })),
  fc
    .tuple(fc.constantFrom(...personaKeys), fc.uuid())
    .map(([key, tenantId]) => ({ ...practicePersona(key), tenantId })),
);

/** Typed commands (and free text) carrying hostile text. */
const typedMessage = fc
  .tuple(
    caller,
    fc.constantFrom("triage ", "tap ", "audit ", "help ", "", "tap status "),
    hostileText,
    fc.constantFrom("en-US", "cs-CZ"),
  )
  .map(([from, command, text, locale]) =>
    teamsActivity(from, { type: "message", text: `${command}${text}`, locale }, from.tenantId),
  );

/** Action.Execute with any verb and any data (forged ids, wrong types, hostile text). */
const cardAction = fc
  .tuple(
    caller,
    fc.constantFrom(...verbs),
    fc.dictionary(
      fc.constantFrom(
        "requestId",
        "targetUserId",
        "platform",
        "reason",
        "query",
        "errorText",
        "answers",
        "followUp",
        "value",
        "upn",
        "note",
        "verification",
      ),
      anyValue,
      { maxKeys: 5 },
    ),
    fc.boolean(),
  )
  .map(([from, verb, data, dataIsObject]) =>
    teamsActivity(
      from,
      {
        type: "invoke",
        name: "adaptiveCard/action",
        value: {
          action: { type: "Action.Execute", verb, data: dataIsObject ? data : (Object.values(data)[0] ?? null) },
        },
      },
      from.tenantId,
    ),
  );

/** A well-formed activity with one field replaced by any value, or removed. */
const mutatedActivity = fc
  .tuple(
    fc.oneof(typedMessage, cardAction),
    fc.constantFrom(
      "type",
      "text",
      "locale",
      "from",
      "conversation",
      "channelData",
      "value",
      "recipient",
      "serviceUrl",
      "id",
      "attachments",
      "entities",
      "name",
    ),
    fc.option(anyValue, { nil: undefined }),
  )
  .map(([activity, field, value]) => {
    const copy: Record<string, unknown> = { ...activity };
    if (value === undefined) delete copy[field];
    else copy[field] = value;
    return copy;
  });

export const hostileActivity = fc.oneof(
  { weight: 3, arbitrary: typedMessage },
  { weight: 3, arbitrary: cardAction },
  { weight: 3, arbitrary: mutatedActivity },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

export interface HostileOutcome {
  status: number;
  /** The bot answered with something a person can read (a card or a text), for message and card-action turns. */
  answered: boolean;
  /** Whether this activity is one that must get an answer (a well-formed message or card action). */
  expectsAnswer: boolean;
}

/** Sends one hostile activity (expectReplies) and reports what came back. */
export async function sendHostile(baseUrl: string, activity: unknown): Promise<HostileOutcome> {
  const body = JSON.stringify(
    typeof activity === "object" && activity !== null && !Array.isArray(activity)
      ? { ...activity, deliveryMode: "expectReplies" }
      : activity,
  );
  const response = await fetch(`${baseUrl}/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  const text = await response.text();
  const record = activity as Record<string, unknown> | null;
  const isMessage = record?.type === "message" && typeof record.text === "string" && record.text.trim() !== "";
  const isAction = record?.type === "invoke" && record.name === "adaptiveCard/action";
  const wellFormed =
    typeof record?.locale === "string" &&
    typeof (record?.from as { aadObjectId?: unknown } | undefined)?.aadObjectId === "string" &&
    typeof (record?.conversation as { id?: unknown } | undefined)?.id === "string" &&
    typeof record?.serviceUrl === "string" &&
    typeof record?.id === "string" &&
    typeof (record?.recipient as { id?: unknown } | undefined)?.id === "string";
  let answered = false;
  if (response.status === 200 && text) {
    try {
      const parsed = JSON.parse(text) as { activities?: unknown[]; value?: unknown };
      answered =
        (Array.isArray(parsed.activities) && parsed.activities.length > 0) ||
        (parsed.value !== undefined && parsed.value !== null);
    } catch {
      answered = false;
    }
  }
  return { status: response.status, answered, expectsAnswer: wellFormed && (isMessage || isAction) };
}

/**
 * Every `$filter` the emulator received whose text outside its string literals holds the marker: a literal that broke
 * out and became a clause.
 */
export function injectedFilters(log: EmulatorRequest[]): string[] {
  return log
    .map((entry) => entry.filter)
    .filter((filter): filter is string => typeof filter === "string")
    .filter((filter) =>
      filter
        .replace(/'(?:[^']|'')*'/g, "''")
        .toLowerCase()
        .includes(INJECTION_MARKER),
    );
}
