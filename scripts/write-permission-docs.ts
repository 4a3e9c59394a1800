import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  GRAPH_CALLS,
  GRAPH_FEATURES,
  type GraphCall,
  type GraphCallPermission,
  requiredPermissions,
} from "../src/graph/graph-permissions.js";

/**
 * Writes the permission tables of README.md and docs/graph-gateway.md from src/graph/graph-permissions.ts, between
 * `<!-- <name>:begin -->` and `<!-- <name>:end -->`. `npm run docs:permissions` runs it; a test fails when a table
 * is out of date.
 */
export const GENERATED_BLOCKS = [
  { file: "README.md", name: "grant-these", render: renderGrantList },
  { file: "docs/graph-gateway.md", name: "graph-permissions", render: renderCallTable },
] as const;

/** README: what an administrator grants, and what stops working without each permission. */
export function renderGrantList(): string {
  const rows = requiredPermissions().map(({ permission, features }) => {
    const what = features.map((feature) => GRAPH_FEATURES[feature].title).join("; ");
    const without = features.map((feature) => GRAPH_FEATURES[feature].withoutIt).join(" ");
    return `| \`${permission}\` | ${what} | ${without} |`;
  });
  return ["| application permission | what it is for | without it |", "| --- | --- | --- |", ...rows].join("\n");
}

/** docs/graph-gateway.md: every call the gateway makes, its least-privileged permission and the feature it serves. */
export function renderCallTable(): string {
  const rows = (Object.entries(GRAPH_CALLS) as [GraphCall, GraphCallPermission][]).map(
    ([call, { permission, feature }]) =>
      `| \`${call}\` | ${permission === "" ? "— (any answer below 500 counts)" : `\`${permission}\``} | ${feature} |`,
  );
  return ["| call | least-privileged application permission | feature |", "| --- | --- | --- |", ...rows].join("\n");
}

export function replaceBlock(text: string, name: string, content: string): string {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`The markers ${begin} … ${end} are missing`);
  return `${text.slice(0, from + begin.length)}\n${content}\n${text.slice(to)}`;
}

if (require.main === module) {
  const root = resolve(__dirname, "..");
  for (const block of GENERATED_BLOCKS) {
    const path = resolve(root, block.file);
    writeFileSync(path, replaceBlock(readFileSync(path, "utf8"), block.name, block.render()));
    process.stdout.write(`wrote the ${block.name} table of ${block.file}\n`);
  }
}
