import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, listUsers } from "@/server/lifecycle/scim-inbound";
import type { ScimContext } from "@/server/lifecycle/scim-protocol";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// SCIM filters on /Users (server/lifecycle/scim-filter.ts) answered by Postgres through the endpoint:
// the operators and attributes Okta and Entra ID filter with, and the ones RFC 7644 §3.4.2.2 adds where
// they are cheap.

const TOKEN = "scim-filter-test-token-0123456789abcdef";
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

let demo: DemoDatabase;
let ctx: ScimContext;
beforeAll(async () => {
  demo = await demoDatabase();
  ctx = { db: demo.db, token: TOKEN, baseUrl: "http://localhost:3000/api/scim/v2" };
});
afterAll(async () => demo?.close());

const authorization = `Bearer ${TOKEN}`;
async function create(body: unknown): Promise<string> {
  const response = await createUser({ method: "POST", path: "/Users", params: {}, query: new URLSearchParams(), authorization, body: { json: body } }, ctx);
  expect(response.status).toBe(201);
  return (response.body as { id: string }).id;
}
async function filtered(filter: string) {
  const response = await listUsers({ method: "GET", path: "/Users", params: {}, query: new URLSearchParams({ filter }), authorization }, ctx);
  expect(response.status, filter).toBe(200);
  return response.body as { totalResults: number; Resources: { id: string }[] };
}

describe("filters", () => {
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    for (const [key, userName, displayName, number] of [
      ["qa", "qa_bot@filters.example.com", "Q_A Bot", "F-1"],
      ["qx", "qxabot@filters.example.com", "QXA Bot", "F-2"],
      ["pct", "percent@filters.example.com", "100% Done", "F-3"],
    ] as const) {
      ids[key] = await create({ schemas: [USER, ENTERPRISE], userName, displayName, [ENTERPRISE]: { employeeNumber: number } });
    }
  });
  const found = async (filter: string) => (await filtered(filter)).Resources.map((r) => r.id).sort();

  it("matches co, sw, ew and eq literally and case-insensitively (no LIKE wildcards)", async () => {
    expect(await found('displayName eq "q_a bot"')).toEqual([ids.qa]);
    expect(await found('userName sw "QA_"')).toEqual([ids.qa]);
    expect(await found('displayName co "%"')).toEqual([ids.pct]);
    expect(await found('userName ew "@FILTERS.example.com" and displayName co "bot"')).toEqual([ids.qa, ids.qx].sort());
  });

  it("combines with or, not and pr, and reads the enterprise extension and meta", async () => {
    expect(await found('userName eq "qa_bot@filters.example.com" or userName eq "percent@filters.example.com"')).toEqual([ids.pct, ids.qa].sort());
    expect(await found('userName ew "@filters.example.com" and not (displayName sw "Q")')).toEqual([ids.pct]);
    expect(await found('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "f-2"')).toEqual([ids.qx]);
    expect(await found('userName ew "@filters.example.com" and employeeNumber ne "f-1"')).toEqual([ids.qx, ids.pct].sort());
    expect(await found('userName ew "@filters.example.com" and displayName pr')).toEqual(Object.values(ids).sort());
    expect(await found('userName ew "@filters.example.com" and title pr')).toEqual([]);
    const soon = new Date(Date.now() + 60_000).toISOString();
    expect(await found(`userName ew "@filters.example.com" and meta.created lt "${soon}"`)).toEqual(Object.values(ids).sort());
    expect(await found(`userName ew "@filters.example.com" and meta.lastModified gt "${soon}"`)).toEqual([]);
  });

  it("finds people no IdP named by their email as userName", async () => {
    const maya = await demo.actor("maya");
    expect(await found('userName eq "MAYA@example.com"')).toEqual([maya.id]);
  });
});
