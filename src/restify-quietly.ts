import type restifyModule from "restify";

/**
 * restify, loaded without Node's DEP0111 warning. restify requires spdy, whose http-deceiver reads
 * `process.binding('http_parser')` at load time; the bot never serves HTTP/2 through it, so the warning only made every
 * start look broken. Exactly that one warning, during exactly that require, is dropped; every other warning passes.
 */
function loadRestify(): typeof restifyModule {
  const emitWarning = process.emitWarning;
  process.emitWarning = function emitWarningExceptHttpParser(this: unknown, ...args: unknown[]) {
    const [warning, second, code] = args;
    const warningCode =
      typeof second === "object" && second !== null ? (second as { code?: string }).code : (code as string | undefined);
    if (warningCode === "DEP0111" && String(warning).includes("http_parser")) return;
    return (emitWarning as (...a: unknown[]) => void).apply(process, args);
  } as typeof process.emitWarning;
  try {
    return require("restify") as typeof restifyModule;
  } finally {
    process.emitWarning = emitWarning;
  }
}

export const restifyQuietly = loadRestify();
