import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";
import { call, SCIM_PREFIX } from "@/test/scim-interop/client";

// What the SCIM route adapter (scim-route.ts) adds to the endpoints: reading the body under its cap,
// refusing text the database cannot store, 405s naming the methods a route takes, and SCIM JSON answers
// with their headers. Through the route modules, as Next's app router calls them.

const TOKEN = "scim-route-test-token-0123456789abcdef";
const BASE = `http://localhost:3000${SCIM_PREFIX}`;
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

let demo: DemoDatabase;
beforeAll(async () => {
  process.env.SCIM_INBOUND_TOKEN = TOKEN;
  demo = await demoDatabase();
});
afterAll(async () => demo?.close());

const scim = (method: string, path: string, body?: unknown, token: string | null = TOKEN) => call(BASE, token, method, path, body);

describe("the SCIM route adapter", () => {
  it("answers a method a route does not serve with a SCIM 405 whose Allow names the ones it does, after authentication", async () => {
    for (const [method, path, allow] of [
      ["DELETE", "/Groups", "GET, POST"],
      ["POST", "/Users/some-id", "GET, PUT, PATCH, DELETE"],
      ["PUT", "/ServiceProviderConfig", "GET"],
    ] as const) {
      const answer = await scim(method, path, method === "DELETE" ? undefined : {});
      expect(answer.status, `${method} ${path}`).toBe(405);
      expect(answer.headers.get("allow")).toBe(allow);
      expect(answer.headers.get("content-type")).toBe("application/scim+json");
      expect(answer.body).toEqual({ schemas: [ERROR], status: "405", detail: `${method} is not allowed on ${path}; it takes ${allow}.` });
    }
    expect((await scim("DELETE", "/Groups", undefined, null)).status).toBe(401);
  });

  it("answers a body that is not JSON with 400 invalidSyntax, once the client is authenticated", async () => {
    const malformed = await scim("POST", "/Users", '{"userName": "x@example.com",');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ schemas: [ERROR], scimType: "invalidSyntax", detail: expect.stringMatching(/^The request body is not valid JSON \(.+\)\.$/) });
    expect((await scim("PATCH", "/Users/some-id", "not json")).body).toMatchObject({ status: "400", scimType: "invalidSyntax" });
    expect((await scim("POST", "/Users", '{"userName": ', null)).status).toBe(401);
  });

  it("answers a PATCH with no operations, on a user or a group, with 400 invalidSyntax naming what a PatchOp needs", async () => {
    const person = await demo.actor("maya");
    const group = await scim("POST", "/Groups", { schemas: [GROUP], displayName: "Empty-patch team" });
    expect(group.status).toBe(201);
    for (const path of [`/Users/${person.id}`, `/Groups/${group.body.id}`]) {
      for (const body of [{ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [] }, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"] }]) {
        const answer = await scim("PATCH", path, body);
        expect(answer.status, path).toBe(400);
        expect(answer.body, path).toMatchObject({ scimType: "invalidSyntax", detail: expect.stringContaining('a non-empty "Operations" list') });
      }
    }
  });

  it("refuses a body over 1 MB (413) and text the database cannot store (400), before reading on", async () => {
    const huge = JSON.stringify({ schemas: [USER], userName: "big@example.com", title: "x".repeat(1_000_001) });
    for (const token of [TOKEN, null]) {
      const answer = await scim("POST", "/Users", huge, token);
      expect(answer.status).toBe(413);
      expect(answer.body).toMatchObject({ schemas: [ERROR], status: "413", detail: "The request body is larger than 1 MB." });
    }
    const nul = await scim("POST", "/Users", { schemas: [USER], userName: "nul@example.com", name: { givenName: "N\u0000L" } });
    expect(nul.status).toBe(400);
    expect(nul.body).toMatchObject({ scimType: "invalidValue", detail: expect.stringMatching(/^name\.givenName contains characters that can't be stored/) });
    expect(await demo.db.user.count({ where: { email: { in: ["big@example.com", "nul@example.com"] } } })).toBe(0);
  });

  it("answers SCIM JSON that is never cached, Location on 201, and no body on 204", async () => {
    const created = await scim("POST", "/Groups", { schemas: [GROUP], displayName: "Route adapter team" });
    expect(created.status).toBe(201);
    expect(created.headers.get("content-type")).toBe("application/scim+json");
    expect(created.headers.get("cache-control")).toBe("no-store");
    expect(created.headers.get("location")).toBe(`${BASE}/Groups/${created.body.id}`);
    const deleted = await scim("DELETE", `/Groups/${created.body.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    expect(deleted.headers.get("content-type")).toBeNull();
    expect((await scim("GET", `/Groups/${created.body.id}`)).status).toBe(404);
  });
});
