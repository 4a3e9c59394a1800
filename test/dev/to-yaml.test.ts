import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { toYaml, type YamlValue } from "../../src/dev/to-yaml.js";

describe("toYaml", () => {
  it("writes values a YAML parser reads back unchanged, including ids that look like comments, keys or numbers", () => {
    const value: YamlValue = {
      version: "0.1.1",
      tenantId: "7d3e5a2c-1b4f-4c8e-9a6d-2f0b8c4e6a10",
      currentUser: { userPrincipleName: "external-guest_fabrikam.example#EXT#@contosopractice.onmicrosoft.com" },
      users: [{ id: "29:abc", name: 'Ann: O\'Neil "the" agent' }, { id: "0012" }],
      team: { channels: [{ id: "19:helpdesk@thread.tacv2", name: "yes" }], empty: [] },
      count: 5,
      isOn: true,
    };
    expect(parse(toYaml(value))).toEqual(value);
  });
});
