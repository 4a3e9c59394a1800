import { describe, expect, it } from "vitest";
import { parseStartArgs, StartArgsError } from "../../src/dev/start-args.js";

describe("parseStartArgs", () => {
  it("takes --locale en or cs for the bot's answers, and refuses any other", () => {
    expect(parseStartArgs(["--locale", "cs"]).locale).toBe("cs");
    expect(parseStartArgs([]).locale).toBeUndefined();
    expect(() => parseStartArgs(["--locale", "de"])).toThrow(/--locale must be en or cs, got "de"/);
  });

  it("defaults to the Windows Hello end user on ports 3978, 56150, 5055 and Azurite 10000-10002", () => {
    expect(parseStartArgs([])).toMatchObject({
      as: "windows-hello-blocked",
      ports: {
        bot: 3978,
        playground: 56150,
        emulator: 5055,
        azuriteBlob: 10000,
        azuriteQueue: 10001,
        azuriteTable: 10002,
      },
    });
  });

  it("takes the persona and every port from the command line", () => {
    const args = parseStartArgs([
      "--as",
      "manager",
      "--bot-port",
      "4000",
      "--playground-port",
      "4001",
      "--emulator-port",
      "4002",
      "--azurite-port",
      "4010",
    ]);
    expect(args.as).toBe("manager");
    expect(args.ports).toEqual({
      bot: 4000,
      playground: 4001,
      emulator: 4002,
      azuriteBlob: 4010,
      azuriteQueue: 4011,
      azuriteTable: 4012,
    });
  });

  it("rejects a port that is not a number, naming the option", () => {
    expect(() => parseStartArgs(["--bot-port", "http"])).toThrow(StartArgsError);
    expect(() => parseStartArgs(["--bot-port", "http"])).toThrow(/--bot-port must be a port number/);
  });

  it("rejects an unknown option and shows the usage", () => {
    expect(() => parseStartArgs(["--persona", "admin"])).toThrow(/Usage: npm start/);
  });

  it("--people opens one Playground per person: the first is the main page, the others extra", () => {
    expect(parseStartArgs(["--people", "agent-1,manager, no-mfa-method"])).toMatchObject({
      as: "agent-1",
      extraPeople: ["manager", "no-mfa-method"],
    });
    expect(parseStartArgs(["--as", "agent-1", "--people", "agent-1,manager"]).extraPeople).toEqual(["manager"]);
    expect(parseStartArgs([]).extraPeople).toEqual([]);
    expect(() => parseStartArgs(["--as", "admin", "--people", "agent-1,manager"])).toThrow(/disagree/);
    expect(() => parseStartArgs(["--people", ","])).toThrow(StartArgsError);
  });
});
