import type { PracticePersona } from "./practice-personas.js";

/** A plain-text table of the personas the Playground knows, marking the one the page acts as. */
export function whoIsWho(current: PracticePersona, others: readonly PracticePersona[]): string {
  const rows = [current, ...others].map((persona) => [
    persona === current ? "▶" : " ",
    persona.key,
    persona.role,
    persona.displayName,
    persona.userPrincipalName,
  ]);
  const header = [" ", "persona", "role", "name", "user principal name"];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}
