/** An end user whose diagnosis has something to show (Windows Hello for Business blocks the passkey). */
export const DEFAULT_PERSONA = "windows-hello-blocked";

export interface StackPorts {
  bot: number;
  playground: number;
  emulator: number;
  azuriteBlob: number;
  azuriteQueue: number;
  azuriteTable: number;
}

export const DEFAULT_PORTS: StackPorts = {
  bot: 3978,
  playground: 56150,
  emulator: 5055,
  azuriteBlob: 10000,
  azuriteQueue: 10001,
  azuriteTable: 10002,
};
