import { generateSyntheticTenant } from "../src/emulator/synthetic-tenant.js";

/**
 * Prints how long the synthetic-tenant generator takes (default 100,000 users, seed 42) and the process's peak RSS,
 * then the cost of serializing the result. Usage: npm run bench:tenant -- [users] [seed]
 */
const users = Number(process.argv[2] ?? 100_000);
const seed = Number(process.argv[3] ?? 42);
const mebibytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

const started = process.hrtime.bigint();
const tenant = generateSyntheticTenant({ users, seed });
const generatedMs = Number(process.hrtime.bigint() - started) / 1e6;
const peakAfterGenerate = process.resourceUsage().maxRSS * 1024;

const methodCount = Object.values(tenant.authenticationMethods).reduce((total, methods) => total + methods.length, 0);
console.log(
  `synthetic tenant: ${tenant.users.length} users, ${methodCount} methods, ${tenant.devices?.length ?? 0} devices, ` +
    `${tenant.signIns?.length ?? 0} sign-ins, ${tenant.directoryAudits?.length ?? 0} audits`,
);
console.log(`generate: ${generatedMs.toFixed(0)} ms, peak RSS ${mebibytes(peakAfterGenerate)}`);

const serializeStarted = process.hrtime.bigint();
const bytes = Buffer.byteLength(JSON.stringify(tenant));
const serializedMs = Number(process.hrtime.bigint() - serializeStarted) / 1e6;
console.log(
  `JSON.stringify: ${serializedMs.toFixed(0)} ms, ${mebibytes(bytes)}, peak RSS ${mebibytes(process.resourceUsage().maxRSS * 1024)}`,
);
