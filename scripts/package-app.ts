import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs, parseEnv } from "node:util";
import { AppManifestUtils } from "@microsoft/app-manifest";
import { zipSync } from "fflate";
import { readPng } from "./read-png.js";

/**
 * `npm run package [-- --env <name>]`: what the Agents Toolkit's teamsApp/validateManifest + zipAppPackage do, offline.
 * Fills the manifest's `${{VAR}}` placeholders from env/.env.<name> (and env/.env.<name>.user when present), checks
 * it against the bundled v1.29 schema and the icons' sizes and transparency, and writes
 * appPackage/build/appPackage.<name>.zip (manifest.json, color.png, outline.png).
 */
export const APP_PACKAGE_DIR = resolve(__dirname, "../appPackage");
const ENV_DIR = resolve(__dirname, "../env");
const SCHEMA_PATH = resolve(
  __dirname,
  "../node_modules/@microsoft/app-manifest/build/json-schemas/teams/v1.29/MicrosoftTeams.schema.json",
);

/** The app package cannot be built as asked; the message says what to fix. */
export class AppPackageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AppPackageError";
  }
}

/** The variables of env/.env.<name> and its git-ignored .user companion (which wins), as the Toolkit reads them. */
export function readEnvironment(name: string, envDir = ENV_DIR): Record<string, string> {
  if (!/^[a-z0-9-]+$/i.test(name)) throw new AppPackageError(`--env must be a plain name like dev, got "${name}"`);
  const file = resolve(envDir, `.env.${name}`);
  if (!existsSync(file))
    throw new AppPackageError(`env/.env.${name} does not exist (there are dev, local, playground)`);
  const user = `${file}.user`;
  return {
    ...parseEnv(readFileSync(file, "utf8")),
    ...(existsSync(user) ? parseEnv(readFileSync(user, "utf8")) : {}),
    TEAMSFX_ENV: name,
  } as Record<string, string>;
}

/** Replaces every `${{NAME}}`; a placeholder without a value is an error naming the variable and the file. */
export function fillPlaceholders(template: string, values: Record<string, string>, envName: string): string {
  const missing = new Set<string>();
  const filled = template.replace(/\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_whole, name: string) => {
    const value = values[name];
    if (value === undefined || value === "") missing.add(name);
    // JSON string content: a value must never be able to close the string it is put into.
    return JSON.stringify(value ?? "").slice(1, -1);
  });
  if (missing.size > 0) {
    throw new AppPackageError(
      `${[...missing].join(", ")} ${missing.size === 1 ? "is" : "are"} empty in env/.env.${envName}: run the Agents Toolkit's provision for that environment (it writes them) or set them by hand`,
    );
  }
  return filled;
}

export interface IconProblem {
  icon: "color" | "outline";
  problem: string;
}

/**
 * Teams' icon rules: color 192×192, full color (here: fully opaque, so it reads on light and dark themes); outline
 * 32×32, white on a transparent background (every pixel white or fully transparent, anti-aliased edges allowed).
 */
export function checkIcons(colorPng: Buffer, outlinePng: Buffer): IconProblem[] {
  const problems: IconProblem[] = [];
  const color = readPng(colorPng);
  if (color.width !== 192 || color.height !== 192)
    problems.push({ icon: "color", problem: `is ${color.width}×${color.height}, must be 192×192` });
  for (let i = 0; i < color.width * color.height; i++) {
    if (color.rgba[i * 4 + 3] !== 255) {
      problems.push({ icon: "color", problem: "has transparent pixels; give it a solid background" });
      break;
    }
  }
  const outline = readPng(outlinePng);
  if (outline.width !== 32 || outline.height !== 32)
    problems.push({ icon: "outline", problem: `is ${outline.width}×${outline.height}, must be 32×32` });
  let transparent = 0;
  for (let i = 0; i < outline.width * outline.height; i++) {
    const [r, g, b, a] = outline.rgba.subarray(i * 4, i * 4 + 4);
    if (a === 0) transparent++;
    else if (r !== 255 || g !== 255 || b !== 255) {
      problems.push({
        icon: "outline",
        problem: `pixel ${i % outline.width},${Math.floor(i / outline.width)} is not white`,
      });
      break;
    }
  }
  if (transparent === 0) problems.push({ icon: "outline", problem: "has no transparent background" });
  return problems;
}

/** The bundled v1.29 schema; two escapes in it (`\a`, `\v`) are not JSON and are rewritten first. */
export function manifestSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(SCHEMA_PATH, "utf8").replace(/\\a/g, "\\u0007").replace(/\\v/g, "\\u000b"));
}

export interface BuiltPackage {
  zipPath: string;
  manifest: Record<string, unknown>;
}

export async function packageApp(envName: string, options: { envDir?: string; outDir?: string } = {}) {
  const values = readEnvironment(envName, options.envDir);
  const manifestText = fillPlaceholders(
    readFileSync(resolve(APP_PACKAGE_DIR, "manifest.json"), "utf8"),
    values,
    envName,
  );
  const manifest = JSON.parse(manifestText) as Record<string, unknown> & {
    icons: { color: string; outline: string };
  };
  const errors = await AppManifestUtils.validateAgainstSchema(
    manifest as unknown as Parameters<typeof AppManifestUtils.validateAgainstSchema>[0],
    manifestSchema() as never,
  );
  if (errors.length > 0)
    throw new AppPackageError(`appPackage/manifest.json does not validate against v1.29:\n  ${errors.join("\n  ")}`);
  const color = readFileSync(resolve(APP_PACKAGE_DIR, manifest.icons.color));
  const outline = readFileSync(resolve(APP_PACKAGE_DIR, manifest.icons.outline));
  const iconProblems = checkIcons(color, outline);
  if (iconProblems.length > 0)
    throw new AppPackageError(iconProblems.map(({ icon, problem }) => `the ${icon} icon ${problem}`).join("; "));
  const outDir = options.outDir ?? resolve(APP_PACKAGE_DIR, "build");
  mkdirSync(outDir, { recursive: true });
  const zipPath = resolve(outDir, `appPackage.${envName}.zip`);
  writeFileSync(
    zipPath,
    zipSync({
      "manifest.json": new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`),
      [manifest.icons.color]: color,
      [manifest.icons.outline]: outline,
    }),
  );
  writeFileSync(resolve(outDir, `manifest.${envName}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
  return { zipPath, manifest };
}

if (require.main === module) {
  const { values } = parseArgs({ options: { env: { type: "string", default: "playground" } } });
  packageApp(values.env as string).then(
    ({ zipPath }) => process.stdout.write(`wrote ${zipPath} (manifest valid against v1.29, icons checked)\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
