import { createServer } from "node:net";
import { isListening } from "./wait-until-ready.js";

export interface PortClaim {
  port: number;
  /** What wants the port, e.g. "bot". */
  purpose: string;
  /** The option that changes it, e.g. "--bot-port". */
  option: string;
}

/** A port the stack needs is already taken by something else. */
export class PortInUseError extends Error {
  constructor(readonly claim: PortClaim) {
    super(
      `Port ${claim.port} (${claim.purpose}) is already in use: stop whatever listens there, or choose another port with ${claim.option} <port>`,
    );
    this.name = "PortInUseError";
  }
}

/** Two parts of the stack were given the same port. */
export class PortClashError extends Error {
  constructor(port: number, first: string, second: string) {
    super(`Port ${port} is given to both ${first} and ${second}: each part of the stack needs its own port`);
    this.name = "PortClashError";
  }
}

/** Fails with a message naming the port and the option to change it when any port is taken, before anything starts. */
export async function assertPortsFree(claims: readonly PortClaim[]): Promise<void> {
  const seen = new Map<number, string>();
  for (const claim of claims) {
    const other = seen.get(claim.port);
    if (other) throw new PortClashError(claim.port, other, claim.purpose);
    seen.set(claim.port, claim.purpose);
  }
  for (const claim of claims) {
    if (await isPortTaken(claim.port)) throw new PortInUseError(claim);
  }
}

/** Taken when something answers on 127.0.0.1, or when the port cannot be bound on all interfaces. */
export async function isPortTaken(port: number): Promise<boolean> {
  if (await isListening(port)) return true;
  return !(await canBind(port));
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
