import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { startEmulator } from "./start-emulator.js";
import type { TenantFile } from "./tenant-file.js";

/**
 * `npm run emulator -- --port <p> [--tenant <file.json>] [--latency-ms N] [--throttle-scale F] [--faults <spec>]
 * [--fault-seed N] [--synthetic N --seed S] [--let-time-pass] [--request-log-size N]`. Loopback only; Ctrl-C / SIGTERM close it cleanly.
 * A rebased tenant's history moves with the clock (it answers as at capture however long it runs) unless
 * `--let-time-pass` asks for its sign-ins and passes to age.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "5055" },
      tenant: { type: "string" },
      "latency-ms": { type: "string" },
      "throttle-scale": { type: "string" },
      faults: { type: "string" },
      "fault-seed": { type: "string" },
      synthetic: { type: "string" },
      seed: { type: "string" },
      "let-time-pass": { type: "boolean", default: false },
      "request-log-size": { type: "string" },
    },
    strict: true,
  });
  const number = (name: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number, got "${text}"`);
    return value;
  };
  let tenant: TenantFile | string = resolve(values.tenant ?? "tenants/contoso-practice.json");
  if (values.synthetic !== undefined) {
    // Imported lazily: the synthetic generator is only needed for load tests.
    const { generateSyntheticTenant } = await import("./synthetic-tenant.js");
    tenant = generateSyntheticTenant({
      users: number("synthetic", values.synthetic) ?? 0,
      seed: number("seed", values.seed) ?? 1,
    });
  }
  const emulator = await startEmulator({
    port: number("port", values.port),
    tenant,
    latencyMs: number("latency-ms", values["latency-ms"]),
    throttleScale: number("throttle-scale", values["throttle-scale"]),
    faults: values.faults,
    faultSeed: number("fault-seed", values["fault-seed"]),
    keepTimesCurrent: !values["let-time-pass"],
    requestLogSize: number("request-log-size", values["request-log-size"]),
  });
  console.log(`Graph emulator listening on ${emulator.baseUrl}`);
  const stop = () => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
