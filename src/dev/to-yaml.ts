/** A YAML value the Playground config needs: strings, numbers, booleans, lists and maps. */
export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

/**
 * Renders a value as block YAML. Scalars are written as JSON (double-quoted strings are valid YAML), so ids such as
 * "19:helpdesk@thread.tacv2" or a `#EXT#` UPN can never be misread as a comment, a map key or a number.
 */
export function toYaml(value: YamlValue, indent = 0): string {
  return `${renderBlock(value, indent).join("\n")}\n`;
}

function renderBlock(value: YamlValue, indent: number): string[] {
  const pad = " ".repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}[]`];
    return value.flatMap((item) => {
      if (isComposite(item) && !isEmpty(item)) {
        const [first = "", ...rest] = renderBlock(item, indent + 2);
        return [`${pad}- ${first.trimStart()}`, ...rest];
      }
      return [`${pad}- ${renderScalar(item)}`];
    });
  }
  if (isComposite(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return [`${pad}{}`];
    return entries.flatMap(([key, item]) => {
      const name = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : JSON.stringify(key);
      if (isComposite(item) && !isEmpty(item)) return [`${pad}${name}:`, ...renderBlock(item, indent + 2)];
      return [`${pad}${name}: ${renderScalar(item)}`];
    });
  }
  return [`${pad}${renderScalar(value)}`];
}

function isComposite(value: YamlValue): value is YamlValue[] | { [key: string]: YamlValue } {
  return typeof value === "object" && value !== null;
}

function isEmpty(value: YamlValue[] | { [key: string]: YamlValue }): boolean {
  return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
}

function renderScalar(value: YamlValue): string {
  if (Array.isArray(value)) return "[]";
  if (typeof value === "object" && value !== null) return "{}";
  return JSON.stringify(value);
}
