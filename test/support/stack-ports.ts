import type { StackPorts } from "../../src/dev/stack-defaults.js";
import { freePort } from "./free-port.js";

/** Six free ports for one whole stack, so test files never collide with each other or with `npm start`. */
export async function freeStackPorts(): Promise<StackPorts> {
  const ports: number[] = [];
  while (ports.length < 6) {
    const port = await freePort();
    if (!ports.includes(port)) ports.push(port);
  }
  const [bot, playground, emulator, azuriteBlob, azuriteQueue, azuriteTable] = ports as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return { bot, playground, emulator, azuriteBlob, azuriteQueue, azuriteTable };
}
