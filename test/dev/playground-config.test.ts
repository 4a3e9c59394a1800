import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { startManagedProcess } from "../../src/dev/managed-process.js";
import {
  NotEnoughPersonasError,
  otherPlaygroundUsers,
  playgroundConfig,
  playgroundUserId,
  toPlaygroundYaml,
  type YamlValue,
} from "../../src/dev/playground-config.js";
import type { PracticePersona } from "../../src/dev/practice-personas.js";
import { isAnswering, waitUntil } from "../../src/dev/wait-until-ready.js";
import { freePort } from "../support/free-port.js";

const KEYS = ["no-mfa-method", "admin", "windows-hello-blocked", "agent-1", "manager", "agent-2", "external-guest"];
const personas: PracticePersona[] = KEYS.map((key, index) => ({
  key,
  role: key.startsWith("agent") ? "agent" : key === "manager" ? "manager" : key === "admin" ? "admin" : "user",
  exercises: "test",
  userPrincipalName:
    key === "external-guest"
      ? "external-guest_fabrikam.example#EXT#@contosopractice.onmicrosoft.com"
      : `${key}@contosopractice.onmicrosoft.com`,
  objectId: `00000000-0000-4000-8000-00000000000${index}`,
  displayName: `Person ${index}`,
  givenName: "Person",
  surname: String(index),
  mail: `${key}@contosopractice.onmicrosoft.com`,
}));
const byKey = (key: string) => personas.find((persona) => persona.key === key) as PracticePersona;

function inputFor(current: PracticePersona) {
  return {
    tenantId: "7d3e5a2c-1b4f-4c8e-9a6d-2f0b8c4e6a10",
    currentUser: current,
    personas,
    bot: { id: "28:e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b", name: "Passkey Helpdesk" },
    team: {
      id: "19:helpdesk-team@thread.tacv2",
      name: "Help desk",
      aadGroupId: "0a11e3b0-0000-4000-8000-000000000001",
      channel: { id: "19:helpdesk@thread.tacv2", name: "Help desk" },
    },
  };
}

function configFor(current: PracticePersona) {
  return playgroundConfig(inputFor(current));
}

describe("playgroundConfig", () => {
  it("acts as the chosen persona, by its Entra object id, in the practice tenant", () => {
    const { yaml } = configFor(byKey("external-guest"));
    expect(yaml.tenantId).toBe("7d3e5a2c-1b4f-4c8e-9a6d-2f0b8c4e6a10");
    expect(yaml.currentUser).toMatchObject({
      id: playgroundUserId(byKey("external-guest")),
      aadObjectId: byKey("external-guest").objectId,
      userPrincipleName: "external-guest_fabrikam.example#EXT#@contosopractice.onmicrosoft.com",
    });
  });

  it("fills exactly five other seats, never with the current user, agent-1, manager and admin first", () => {
    const others = otherPlaygroundUsers(byKey("agent-1"), personas).map((persona) => persona.key);
    expect(others).toHaveLength(5);
    expect(others).not.toContain("agent-1");
    expect(others.slice(0, 3)).toEqual(["manager", "admin", "windows-hello-blocked"]);
    expect(configFor(byKey("manager")).yaml.users).toHaveLength(5);
  });

  it("gives each launch its own personal chat, so a restarted Playground's empty chat is a new conversation", () => {
    const first = playgroundConfig({ ...inputFor(byKey("admin")), launchId: "a1" });
    const second = playgroundConfig({ ...inputFor(byKey("admin")), launchId: "b2" });
    expect(first.conversations.personalChat).not.toBe(second.conversations.personalChat);
    expect(first.yaml.personalChat).toEqual({ id: first.conversations.personalChat });
  });

  it("refuses a tenant with fewer than six personas", () => {
    expect(() => otherPlaygroundUsers(byKey("admin"), personas.slice(0, 4))).toThrow(NotEnoughPersonasError);
  });

  it("is accepted by the real Agents Playground, whose schema is strict", async () => {
    const dir = mkdtempSync(join(tmpdir(), "playground-config-"));
    const configPath = join(dir, "playground.yml");
    writeFileSync(configPath, toPlaygroundYaml(configFor(byKey("admin")).yaml));
    const port = await freePort();
    const playground = startManagedProcess({
      name: "playground",
      command: resolve(__dirname, "../../node_modules/.bin/agentsplayground"),
      args: ["-e", `http://127.0.0.1:${await freePort()}/api/messages`, "-c", "msteams", "--dt", "-p", String(port)],
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: "none",
        APPLICATION_INSIGHTS_NO_STATSBEAT: "1",
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
        M365_AGENTS_PLAYGROUND_LOGFILE: join(dir, "internal.log"),
      },
      logFile: join(dir, "playground.log"),
    });
    try {
      await waitUntil(() => isAnswering(`http://127.0.0.1:${port}/`), { what: "The Playground", process: playground });
      // A config the schema rejects still prints "Listening" first, then exits: it must still be up a moment later.
      await new Promise((done) => setTimeout(done, 1000));
      expect(playground.isRunning(), readFileSync(join(dir, "internal.log"), "utf8")).toBe(true);
    } finally {
      await playground.stop();
    }
  });
});

describe("toPlaygroundYaml", () => {
  it("writes values a YAML parser reads back unchanged, including ids that look like comments, keys or numbers", () => {
    const value: YamlValue = {
      version: "0.1.1",
      tenantId: "7d3e5a2c-1b4f-4c8e-9a6d-2f0b8c4e6a10",
      currentUser: { userPrincipleName: "external-guest_fabrikam.example#EXT#@contosopractice.onmicrosoft.com" },
      users: [{ id: "29:abc", name: 'Ann: O\'Neil "the" agent' }, { id: "0012" }, { id: "1e3" }],
      team: { channels: [{ id: "19:helpdesk@thread.tacv2", name: "yes" }], empty: [] },
      count: 5,
      isOn: true,
    };
    const text = toPlaygroundYaml(value);
    expect(parse(text)).toEqual(value);
    expect(text).toContain('id: "0012"');
  });
});
