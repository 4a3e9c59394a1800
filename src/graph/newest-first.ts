/** Sorts records by an ISO date property, newest first (Graph's own order is not guaranteed across pages). */
export function newestFirst<T>(property: keyof T & string) {
  return (items: T[]): T[] =>
    [...items].sort((a, b) => String(b[property] ?? "").localeCompare(String(a[property] ?? "")));
}
