import { describe, expect, it } from "vitest";
import { requestFromLink } from "../../src/graph/graph-transport.js";
import { pageThrough } from "../../src/graph/page-through.js";

describe("pageThrough", () => {
  it("follows nextLink verbatim until it is absent", async () => {
    const seen: string[] = [];
    const base = "http://127.0.0.1:9999";
    const items = await pageThrough(
      { method: "GET", version: "v1.0", url: "/users?$select=id&$top=2" },
      async (request) => {
        seen.push(`${request.version}${request.url}`);
        if (seen.length === 1)
          return { value: [1, 2], "@odata.nextLink": `${base}/v1.0/users?$select=id&$top=2&$skiptoken=X%27Y` };
        if (seen.length === 2) return { value: [3, 4], "@odata.nextLink": `${base}/v1.0/users?$skiptoken=Z` };
        return { value: [5] };
      },
      (link) => requestFromLink(link, base),
    );
    expect(items).toEqual([1, 2, 3, 4, 5]);
    expect(seen).toEqual([
      "v1.0/users?$select=id&$top=2",
      "v1.0/users?$select=id&$top=2&$skiptoken=X%27Y",
      "v1.0/users?$skiptoken=Z",
    ]);
  });

  it("stops once it has enough items", async () => {
    let pages = 0;
    const items = await pageThrough(
      { method: "GET", version: "v1.0", url: "/users" },
      async () => {
        pages++;
        return { value: [pages], "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=n" };
      },
      (link) => requestFromLink(link, "https://graph.microsoft.com"),
      { maxItems: 2 },
    );
    expect(items).toEqual([1, 2]);
  });

  it("refuses a nextLink that leaves the Graph service, so the token is never sent elsewhere", () => {
    expect(() => requestFromLink("https://evil.example/v1.0/users", "https://graph.microsoft.com")).toThrow(
      "must stay on",
    );
  });

  it("gives up on a collection that never ends", async () => {
    await expect(
      pageThrough(
        { method: "GET", version: "v1.0", url: "/users" },
        async () => ({ value: [], "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=same" }),
        (link) => requestFromLink(link, "https://graph.microsoft.com"),
        { maxPages: 3 },
      ),
    ).rejects.toThrow("within 3 pages");
  });
});
