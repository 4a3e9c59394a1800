import { readFileSync } from "node:fs";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasSharedReference, needsShared, sharedReferencePath } from "../support/repo-path.js";
import { alice, bob, carol, dave, groups, startTestEmulator, type TestEmulator } from "./emulator-harness.js";

/**
 * Every v1.0 endpoint's body checked against Microsoft's published component schemas
 * (../shared/reference/graph-schemas.json, OpenAPI 3). Beta-only members are not in that file, so only v1.0 is checked.
 */
const schemaPath = sharedReferencePath("graph-schemas.json");

type Json = Record<string, unknown>;

/**
 * OpenAPI → JSON Schema: `nullable` becomes "or null"; flags enums accept comma-separated members; vendor keys and `discriminator` go (polymorphic members are
 * checked against their own `@odata.type` schema instead); `@odata.type` is not required because Graph omits it
 * on non-polymorphic responses even though the converter marks it required.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== "object") return node;
  const result: Json = {};
  const flags = (node as Json)["x-ms-enum-flags"] as { isFlags?: boolean } | undefined;
  if (flags?.isFlags && Array.isArray((node as Json).enum)) {
    // Flags enums travel as comma-separated members ("deviceBound,synced"); the OpenAPI form lists single members.
    const member = `(${((node as Json).enum as string[]).join("|")})`;
    return { type: "string", pattern: `^${member}(,${member})*$` };
  }
  for (const [key, value] of Object.entries(node as Json)) {
    if (key.startsWith("x-") || key === "discriminator" || key === "nullable" || key === "example") continue;
    if (key === "required" && Array.isArray(value)) {
      const required = value.filter((name) => name !== "@odata.type");
      if (required.length > 0) result.required = required;
      continue;
    }
    result[key] =
      key === "properties"
        ? Object.fromEntries(Object.entries(value as Json).map(([name, schema]) => [name, toJsonSchema(schema)]))
        : toJsonSchema(value);
  }
  if ((node as Json).nullable === true) return { anyOf: [result, { type: "null" }] };
  return result;
}

let t: TestEmulator;
let ajv: Ajv;
const validators = new Map<string, ValidateFunction>();

function validatorFor(name: string): ValidateFunction {
  let validator = validators.get(name);
  if (!validator) {
    validator = ajv.compile({ $ref: `graph#/components/schemas/${name}` });
    validators.set(name, validator);
  }
  return validator;
}

/** Validates a body against a schema, then each nested object that names its own `@odata.type` against that type. */
function schemaErrors(body: unknown, schemaName: string, collection: boolean): string[] {
  const errors: string[] = [];
  const check = (value: unknown, name: string, where: string) => {
    const validate = validatorFor(name);
    if (!validate(value)) errors.push(`${where} as ${name}: ${ajv.errorsText(validate.errors)}`);
  };
  if (collection) {
    const page = body as { value: unknown[] };
    expect(Array.isArray(page.value), "collection has a value array").toBe(true);
    for (const [index, item] of page.value.entries()) check(item, schemaName, `value[${index}]`);
  } else {
    check(body, schemaName, "body");
  }
  const walk = (value: unknown, where: string) => {
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) walk(item, `${where}[${index}]`);
    } else if (value && typeof value === "object") {
      const type = (value as Json)["@odata.type"];
      const name = typeof type === "string" ? type.slice(1) : null;
      if (name && componentNames.has(name)) check(value, name, where);
      for (const [key, child] of Object.entries(value as Json)) walk(child, `${where}.${key}`);
    }
  };
  walk(body, "body");
  return errors;
}

let componentNames = new Set<string>();

describe.skipIf(!hasSharedReference)(needsShared("emulator responses match Microsoft's published v1.0 schemas"), () => {
  beforeAll(async () => {
    const components = JSON.parse(readFileSync(schemaPath, "utf8")) as Json;
    componentNames = new Set(Object.keys(components));
    ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    for (const format of ["int32", "int64", "double"]) ajv.addFormat(format, true);
    ajv.addSchema({ $id: "graph", components: { schemas: toJsonSchema(components) } });
    t = await startTestEmulator({ throttleScale: 1000 });
    await t.graph("/_emulator/sign-ins", { method: "POST", body: { user: alice.id } });
    await t.graph(`/v1.0/users/${bob.id}/authentication/temporaryAccessPassMethods`, { method: "POST", body: {} });
  });
  afterAll(async () => {
    await t?.emulator.close();
  });

  const cases: Array<[string, string, boolean]> = [
    [`/v1.0/users/${alice.id}`, "microsoft.graph.user", false],
    [`/v1.0/users/${alice.id}?$select=id,accountEnabled,userType,creationType`, "microsoft.graph.user", false],
    ["/v1.0/users", "microsoft.graph.user", true],
    [`/v1.0/users/${alice.id}/manager`, "microsoft.graph.user", false],
    [`/v1.0/users/${carol.id}/memberOf`, "microsoft.graph.directoryObjectCollectionResponse", false],
    [`/v1.0/users/${carol.id}/transitiveMemberOf/microsoft.graph.group`, "microsoft.graph.group", true],
    [`/v1.0/users/${alice.id}/registeredDevices`, "microsoft.graph.directoryObjectCollectionResponse", false],
    [`/v1.0/users/${alice.id}/ownedDevices`, "microsoft.graph.device", true],
    [
      `/v1.0/roleManagement/directory/roleAssignments?$filter=principalId eq '${dave.id}'&$expand=roleDefinition`,
      "microsoft.graph.unifiedRoleAssignmentCollectionResponse",
      false,
    ],
    ["/v1.0/policies/authenticationMethodsPolicy", "microsoft.graph.authenticationMethodsPolicy", false],
    [
      "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2",
      "microsoft.graph.fido2AuthenticationMethodConfiguration",
      false,
    ],
    [
      "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/temporaryAccessPass",
      "microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration",
      false,
    ],
    [`/v1.0/users/${alice.id}/authentication/methods`, "microsoft.graph.authenticationMethodCollectionResponse", false],
    [
      `/v1.0/users/${alice.id}/authentication/fido2Methods`,
      "microsoft.graph.fido2AuthenticationMethodCollectionResponse",
      false,
    ],
    [
      `/v1.0/users/${alice.id}/authentication/windowsHelloForBusinessMethods`,
      "microsoft.graph.windowsHelloForBusinessAuthenticationMethodCollectionResponse",
      false,
    ],
    [
      `/v1.0/users/${alice.id}/authentication/microsoftAuthenticatorMethods`,
      "microsoft.graph.microsoftAuthenticatorAuthenticationMethodCollectionResponse",
      false,
    ],
    [
      `/v1.0/users/${alice.id}/authentication/phoneMethods`,
      "microsoft.graph.phoneAuthenticationMethodCollectionResponse",
      false,
    ],
    [
      `/v1.0/users/${bob.id}/authentication/temporaryAccessPassMethods`,
      "microsoft.graph.temporaryAccessPassAuthenticationMethodCollectionResponse",
      false,
    ],
    [
      "/v1.0/reports/authenticationMethods/userRegistrationDetails",
      "microsoft.graph.userRegistrationDetailsCollectionResponse",
      false,
    ],
    [
      `/v1.0/reports/authenticationMethods/userRegistrationDetails/${bob.id}`,
      "microsoft.graph.userRegistrationDetails",
      false,
    ],
    ["/v1.0/auditLogs/directoryAudits", "microsoft.graph.directoryAuditCollectionResponse", false],
    ["/v1.0/auditLogs/signIns", "microsoft.graph.signInCollectionResponse", false],
    [`/v1.0/auditLogs/signIns/51600001-0000-4000-a000-000000000000`, "microsoft.graph.signIn", false],
    ["/v1.0/auditLogs/directoryAudits/Directory_0001", "microsoft.graph.directoryAudit", false],
    ["/v1.0/groups", "microsoft.graph.group", true],
    [`/v1.0/groups/${groups.agents}`, "microsoft.graph.group", false],
    [`/v1.0/groups/${groups.agents}/members`, "microsoft.graph.directoryObjectCollectionResponse", false],
    [`/v1.0/groups/${groups.agents}/transitiveMembers`, "microsoft.graph.directoryObjectCollectionResponse", false],
    ["/v1.0/devices/d0000000-0000-4000-a000-000000000001", "microsoft.graph.device", false],
    [
      "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations",
      "microsoft.graph.authenticationMethodConfigurationCollectionResponse",
      false,
    ],
    [
      `/v1.0/users/${alice.id}/authentication/fido2Methods/f1111111-0000-4000-a000-000000000001`,
      "microsoft.graph.fido2AuthenticationMethod",
      false,
    ],
  ];

  it.each(cases)("GET %s matches %s", async (path, schemaName, collection) => {
    const response = await t.graph(path);
    expect(response.status).toBe(200);
    expect(schemaErrors(response.body, schemaName, collection)).toEqual([]);
  });

  it("the check itself rejects a body of the wrong shape", () => {
    expect(schemaErrors({ id: "x", accountEnabled: "yes" }, "microsoft.graph.user", false)).not.toEqual([]);
    const method = { "@odata.type": "#microsoft.graph.fido2AuthenticationMethod", id: "x", attestationLevel: "sure" };
    expect(
      schemaErrors({ value: [method] }, "microsoft.graph.authenticationMethodCollectionResponse", false),
    ).not.toEqual([]);
  });

  it("a created TAP matches temporaryAccessPassAuthenticationMethod", async () => {
    const response = await t.graph(`/v1.0/users/${carol.id}/authentication/temporaryAccessPassMethods`, {
      method: "POST",
      body: {},
    });
    expect(response.status).toBe(201);
    expect(schemaErrors(response.body, "microsoft.graph.temporaryAccessPassAuthenticationMethod", false)).toEqual([]);
  });

  it("error bodies match ODataErrors.ODataError (innerError.date checked for its zone-less form separately)", async () => {
    const response = await t.graph("/v1.0/users/nobody@contosopractice.onmicrosoft.com");
    // Graph writes innerError.date without a zone (graph.md §2.2) although the published pattern wants one.
    expect(response.body.error.innerError.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    const body = structuredClone(response.body);
    body.error.innerError.date = `${body.error.innerError.date}Z`;
    expect(schemaErrors(body, "microsoft.graph.ODataErrors.ODataError", false)).toEqual([]);
  });
});
