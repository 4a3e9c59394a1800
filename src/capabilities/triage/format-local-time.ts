/**
 * An instant in the agent's own time zone (Teams sends it as the activity's `localTimezone`), e.g. "22 Nov, 10:58";
 * UTC, labelled, when the client did not say.
 */
export function formatLocalTime(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    const text = new Intl.DateTimeFormat("en-GB", {
      timeZone: timeZone || "UTC",
      day: "numeric",
      month: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(date);
    return timeZone ? text : `${text} UTC`;
  } catch {
    return `${iso.slice(0, 16).replace("T", " ")} UTC`;
  }
}
