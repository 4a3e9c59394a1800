import { parseArgs } from "node:util";
import { isGuid } from "../../text/is-guid.js";
import type { PolicyChange } from "./predict-what-if.js";

/** Splits typed text into arguments, keeping "quoted words" together (a profile name has spaces). */
export function splitArguments(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2] ?? "");
}

/**
 * The what-if change from command-line style arguments (CLI and chat alike), or the reason they are not one:
 * `--profile P --allow A,B` · `--profile P --enforce-attestation` · `--ring G --profile P`.
 */
export function parseWhatIf(args: string[]): PolicyChange | string {
  let values: { profile?: string; allow?: string; "enforce-attestation"?: boolean; ring?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        profile: { type: "string" },
        allow: { type: "string" },
        "enforce-attestation": { type: "boolean" },
        ring: { type: "string" },
      },
      strict: true,
    }));
  } catch (error) {
    return (error as Error).message;
  }
  if (!values.profile) return "--profile is required";
  const chosen = [values.allow !== undefined, values["enforce-attestation"] === true, values.ring !== undefined];
  if (chosen.filter(Boolean).length !== 1) return "Choose exactly one of --allow, --enforce-attestation, --ring";
  if (values.allow !== undefined) {
    const aaGuids = values.allow
      .split(",")
      .map((id) => id.trim())
      .filter(Boolean);
    const bad = aaGuids.find((id) => !isGuid(id));
    if (bad) return `--allow must list AAGUIDs (GUIDs); "${bad}" is not one`;
    return { kind: "allowList", profile: values.profile, aaGuids };
  }
  if (values.ring !== undefined) return { kind: "moveRing", ringId: values.ring, profile: values.profile };
  return { kind: "enforceAttestation", profile: values.profile };
}
