import { existsSync } from "node:fs";
import { resolve } from "node:path";

/**
 * The repository's root, found from this file rather than the working directory: `npx vitest run` started from a
 * sub-folder, or an editor's test runner, must read the same files as `npm test` from the root. (`__dirname` and not
 * `import.meta.url`: the package is CommonJS, where TypeScript refuses `import.meta`.)
 */
export const REPO_ROOT = resolve(__dirname, "../..");

/** A path inside the repository, e.g. `repoPath("tenants/contoso-practice.json")`. */
export function repoPath(relative: string): string {
  return resolve(REPO_ROOT, relative);
}

/** The committed practice tenant and its self-service-off variant (scripts/build-practice-tenants.ts writes both). */
export const PRACTICE_TENANT_FILE = repoPath("tenants/contoso-practice.json");
export const SELF_SERVICE_OFF_TENANT_FILE = repoPath("tenants/contoso-practice-selfservice-off.json");

/**
 * The product owner's reference folder beside the repository (`../shared/reference`). It is the only input a test may
 * find absent (a fresh clone has no `../shared`); a test that needs it says so in its title through `needsShared`, so
 * a skip shows in the report as what it is instead of passing silently.
 */
export const SHARED_REFERENCE_DIR = resolve(REPO_ROOT, "../shared/reference");
export const hasSharedReference = existsSync(SHARED_REFERENCE_DIR);

export function sharedReferencePath(file: string): string {
  return resolve(SHARED_REFERENCE_DIR, file);
}

/** A test title that names its need for `../shared/reference`, and says it is skipped when the folder is absent. */
export function needsShared(title: string): string {
  return hasSharedReference
    ? `${title} (reads ../shared/reference)`
    : `${title} (skipped: ../shared/reference is absent)`;
}
