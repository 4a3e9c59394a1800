import { TableClient } from "@azure/data-tables";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningAzurite, startAzurite } from "./azurite.js";

let azurite: RunningAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => azurite?.stop());

it("starts a real Azurite whose table service keeps an entity", async () => {
  const table = TableClient.fromConnectionString(azurite.connectionString, "probe", { allowInsecureConnection: true });
  await table.createTable();
  await table.createEntity({ partitionKey: "p", rowKey: "r", value: 1 });
  const entity = await table.getEntity<{ value: number }>("p", "r");
  expect(entity.value).toBe(1);
});
