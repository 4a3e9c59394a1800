/**
 * The icon beside a verdict (pass, fail, warn, unknown) on every card that lists the four questions: the triage result,
 * the agent's evidence and the help-desk ticket. It lives with the cards so tickets need nothing from triage for it.
 */
export const VERDICT_ICONS = { pass: "✅", fail: "⛔", warn: "⚠️", unknown: "❔" } as const satisfies Record<
  string,
  string
>;
