import { connect } from "node:net";
import type { ManagedProcess } from "./managed-process.js";

/** A part of the stack did not come up. */
export class NotReadyError extends Error {
  constructor(what: string, reason: string) {
    super(`${what} must be ready to continue, but ${reason}`);
    this.name = "NotReadyError";
  }
}

export interface WaitOptions {
  what: string;
  timeoutMs?: number;
  /** Give up at once (with its log file named) if this process ends while we wait. */
  process?: ManagedProcess;
}

/** Waits until `check` resolves true, polling; fails early if the watched process exits. */
export async function waitUntil(check: () => Promise<boolean>, options: WaitOptions): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let hasExited = false;
  let exitText = "";
  options.process?.exited.then(({ code, signal }) => {
    hasExited = true;
    exitText = signal ? `signal ${signal}` : `code ${code}`;
  });
  while (Date.now() < deadline) {
    if (hasExited && options.process) {
      throw new NotReadyError(options.what, `it exited with ${exitText}; see ${options.process.logFile}`);
    }
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const where = options.process ? `; see ${options.process.logFile}` : "";
  throw new NotReadyError(options.what, `it did not answer within ${timeoutMs / 1000} s${where}`);
}

/** True once something accepts TCP connections on 127.0.0.1:port. */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** True once the URL answers with any HTTP status below 500. */
export async function isAnswering(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await response.body?.cancel();
  return response.status < 500;
}
