/**
 * A chunk of records (people of an inventory, members of a ring run) kept as Table rows: one row per chunk rather than
 * one per record, because a store spends its time per entity — Azurite's table store compares every row of a partition
 * on each upsert and parses every entity of a `$batch` (ADR 0006). A row holds its records as JSON cut into string
 * properties, and a chunk too big for one entity becomes several rows that sort right after each other.
 */

/** Tables keep strings of at most 32K characters; a row's JSON is cut into properties of this size. */
const MAX_PROPERTY = 30_000;

/**
 * An entity holds at most 1 MiB, strings counted as UTF-16 (2 bytes a character): a row's JSON stays under this many
 * characters (a hundred people are ~100K).
 */
const MAX_ROW_JSON = 400_000;

/** Records a row holds at most: its id list (~40 characters an id) must stay one string property. */
const MAX_ROW_RECORDS = 500;

/** The JSON as row properties: `parts`, `json0`, `json1`… */
export function jsonProperties(json: string): Record<string, unknown> {
  const row: Record<string, unknown> = { parts: Math.ceil(json.length / MAX_PROPERTY) };
  for (let part = 0; part * MAX_PROPERTY < json.length; part++)
    row[`json${part}`] = json.slice(part * MAX_PROPERTY, (part + 1) * MAX_PROPERTY);
  return row;
}

/** The JSON a row's properties hold (the inverse of jsonProperties). */
export function jsonOf(entity: Record<string, unknown>): string {
  let json = "";
  for (let part = 0; part < Number(entity.parts ?? 1); part++) json += String(entity[`json${part}`] ?? "");
  return json;
}

/**
 * Records cut into rows of at most MAX_ROW_JSON characters and MAX_ROW_RECORDS records, in id order: the first row
 * keeps the chunk's key, the rest `<key>+<tag>001`, `<key>+<tag>002`… (sorting right after it, in order). A chunk
 * written once uses no tag, so writing it again (a resumed run) writes the same rows; a row rewritten in place tags
 * its overflow so it never lands on a row in use.
 */
export function rowsOf<T>(
  key: string,
  records: readonly T[],
  idOf: (record: T) => string,
  tag = "",
): Array<{ rowKey: string; records: T[] }> {
  const rows: Array<{ rowKey: string; records: T[] }> = [];
  const rowKey = () => (rows.length === 0 ? key : `${key}+${tag}${String(rows.length).padStart(3, "0")}`);
  let current: T[] = [];
  let size = 2;
  const sorted = [...records].sort((a, b) => (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0));
  for (const record of sorted) {
    const length = JSON.stringify(record).length + 1;
    if (current.length > 0 && (size + length > MAX_ROW_JSON || current.length >= MAX_ROW_RECORDS)) {
      rows.push({ rowKey: rowKey(), records: current });
      current = [];
      size = 2;
    }
    current.push(record);
    size += length;
  }
  if (current.length > 0) rows.push({ rowKey: rowKey(), records: current });
  return rows;
}

export const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** Rows a page when streaming a partition of chunk rows: ~1,000 records, so memory holds one page at a time. */
export const ROWS_PER_PAGE = 10;
