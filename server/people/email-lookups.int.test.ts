import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as users from "@/app/api/scim/v2/Users/route";
import { directoryAdapter, sessionTokenHash } from "@/server/auth/adapter";
import { findPersonByEmail, personForEmail, signInIdentifier } from "@/server/auth/people";
import { listPeople } from "@/server/lifecycle/admin";
import { applyHrRecords } from "@/server/lifecycle/apply";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// People are found by exact address. A case-insensitive Prisma `equals` is an SQL ILIKE pattern:
// `ad_in@example.com` signed in as admin@example.com, a CSV row for `a_lee@…` terminated `a.lee@…`,
// and a SCIM `userName eq "%"` listed everyone.

const TOKEN = "email-lookup-test-token-0123456789abcdef";
let demo: DemoDatabase;

beforeAll(async () => {
  process.env.SCIM_INBOUND_TOKEN = TOKEN;
  demo = await demoDatabase();
});
afterAll(async () => demo?.close());

const WILDCARDS = ["ad_in@example.com", "%@example.com", "admin@example.co_", "adm%", "ad\\min@example.com", "_dmin@example.com"];

describe("sign-in lookups", () => {
  it("find the person whatever the case, and nobody for an address that is a pattern", async () => {
    expect((await findPersonByEmail(demo.db, "admin@example.com"))?.email).toBe("admin@example.com");
    expect((await findPersonByEmail(demo.db, "  ADMIN@Example.COM "))?.email).toBe("admin@example.com");
    for (const address of WILDCARDS) {
      expect(await findPersonByEmail(demo.db, address), address).toBeNull();
      expect(await personForEmail(demo.db, address), address).toEqual({ allowed: false, error: "AccessDenied" });
      expect(await directoryAdapter(demo.db).getUserByEmail!(address), address).toBeNull();
    }
  });

  it("makes sign-in links only for plain addresses, as their lower-cased key", () => {
    expect(signInIdentifier(" Erin@Example.com ")).toBe("erin@example.com");
    for (const bad of ["ad%in@example.com", "ad\\in@example.com", '"a@b"@example.com', "erin@example", "erin＠example.com@evil.test"]) {
      expect(() => signInIdentifier(bad), bad).toThrow(/valid email/);
    }
  });

  it("keeps one person per address whatever its case, in the database itself", async () => {
    const erin = await demo.db.user.findUniqueOrThrow({ where: { email: "erin@example.com" } });
    expect(erin.emailKey).toBe("erin@example.com");
    await expect(demo.db.user.create({ data: { email: "Erin@Example.com", name: "Erin Again" } })).rejects.toThrow();
    // Written around the app, the key still follows the address.
    await demo.db.$executeRaw`UPDATE "User" SET email = 'Erin.Walsh@Example.com' WHERE id = ${erin.id}`;
    expect((await findPersonByEmail(demo.db, "erin.walsh@example.com"))?.id).toBe(erin.id);
    await demo.db.$executeRaw`UPDATE "User" SET email = 'erin@example.com' WHERE id = ${erin.id}`;
  });
});

describe("sessions", () => {
  it("are stored hashed, read back by the cookie's token, and ending a missing one is not an error", async () => {
    const adapter = directoryAdapter(demo.db);
    const erin = await demo.db.user.findUniqueOrThrow({ where: { email: "erin@example.com" } });
    const token = "raw-session-token-0123456789";
    const created = await adapter.createSession!({ sessionToken: token, userId: erin.id, expires: new Date(Date.now() + 60_000) });
    expect(created.sessionToken).toBe(token);
    const stored = await demo.db.session.findMany({ where: { userId: erin.id } });
    expect(stored.map((s) => s.sessionToken)).toEqual([sessionTokenHash(token)]);
    expect((await adapter.getSessionAndUser!(token))?.user.id).toBe(erin.id);
    expect(await adapter.getSessionAndUser!(sessionTokenHash(token))).toBeNull();
    await adapter.deleteSession!(token);
    // A stale cookie (the person was signed out while on leave) must not break the next sign-in.
    await expect(adapter.deleteSession!(token)).resolves.toBeUndefined();
    expect(await demo.db.session.count({ where: { userId: erin.id } })).toBe(0);
  });
});

describe("HR feed", () => {
  it("a CSV row for a_lee@ does not rename or terminate a.lee@", async () => {
    const rows = (r: Record<string, unknown>[]) => applyHrRecords(demo.db, r, { actorId: null, source: "csv" });
    await rows([{ email: "a.lee@example.com", name: "Alex Lee", department: "Engineering", managerEmail: "maya@example.com" }]);
    const report = await rows([{ email: "a_lee@example.com", name: "Impostor", status: "terminated" }]);
    const lee = await demo.db.user.findUniqueOrThrow({ where: { email: "a.lee@example.com" } });
    expect(lee).toMatchObject({ name: "Alex Lee", lifecycleState: "ACTIVE" });
    expect(report.rows[0]?.email).toBe("a_lee@example.com");
    expect(await demo.db.user.findUnique({ where: { email: "a_lee@example.com" } })).toMatchObject({ name: "Impostor" });
  });
});

describe("SCIM inbound", () => {
  const list = async (filter: string) => {
    const response = await users.GET(
      new Request(`http://localhost:3000/api/scim/v2/Users?filter=${encodeURIComponent(filter)}`, { headers: { authorization: `Bearer ${TOKEN}` } }),
    );
    expect(response.status).toBe(200);
    return ((await response.json()) as { totalResults: number; Resources: { userName: string }[] });
  };

  it("filters match the exact address, not a pattern", async () => {
    for (const pattern of ['userName eq "%"', 'userName eq "%@example.com"', 'emails[value eq "ad_in@example.com"]']) {
      expect((await list(pattern)).totalResults, pattern).toBe(0);
    }
    const admin = await list('userName eq "ADMIN@example.com"');
    expect(admin.Resources.map((u) => u.userName)).toEqual(["admin@example.com"]);
  });
});

describe("people search", () => {
  it("takes % and _ literally", async () => {
    const admin = await demo.actor("admin");
    const emails = async (q: string) => (await listPeople(demo.db, admin, { q })).people.map((p) => p.email);
    expect(await emails("%")).toEqual([]);
    expect(await emails("ad_in")).toEqual([]);
    expect(await emails("admin@")).toEqual(["admin@example.com"]);
  });
});
