import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/server/actor";
import { catalogIndex, listingPage, type ListingFilter } from "@/server/catalog/catalog-index";
import { listingQuery } from "@/server/catalog/listing-sql";
import { searchCatalog } from "@/server/catalog/search";
import { createDb, type Db } from "@/server/db";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// The catalog's listing is matched in memory, one copy per database client (per app process in
// production). These hold it to the SQL statement it replaced, row for row, and check that a change
// made anywhere (another process, a transaction committing later) shows in the next search.

let demo: DemoDatabase;
let other: Db;
let erin: Actor;
beforeAll(async () => {
  demo = await demoDatabase();
  other = createDb(demo.url, 2);
  erin = await demo.actor("erin");
});
afterAll(async () => {
  await other?.$disconnect();
  await demo?.close();
});

const names = async (db: Db, q: string) =>
  (await searchCatalog(db, erin, { q })).apps.flatMap((a) => (a.entitlements.length ? a.entitlements.map((e) => `${a.name} (${a.owner}): ${e.name}`) : [`${a.name} (${a.owner})`]));

describe("the in-memory catalog listing", () => {
  it("gives the same rows in the same order as the SQL statement, for words, filters and pages", async () => {
    // An app whose only entitlement cannot be requested: shown (empty) when its name matches.
    const owner = await demo.db.user.findFirstOrThrow({ where: { isAdmin: true } });
    const app = await demo.db.app.create({ data: { slug: "legacy-erp", name: "Legacy ERP", description: "The old books 100% kept_here", ownerId: owner.id } });
    await demo.db.entitlement.create({ data: { appId: app.id, name: "Ledger Clerk", externalName: "ledger", requestable: false } });
    const filters: ListingFilter[] = [
      { q: "" }, { q: "e" }, { q: "VIEW" }, { q: "admin" }, { q: "figma" }, { q: "legacy" }, { q: "ledger" }, { q: "zzz" },
      { q: "%" }, { q: "100%" }, { q: "_" }, { q: "kept_here" }, { q: "\\" },
      { q: "", kind: "ROLE" }, { q: "e", risk: "HIGH" }, { q: "", app: "github" }, { q: "legacy", kind: "GROUP" }, { q: "", app: "legacy-erp" },
    ];
    const index = await catalogIndex(demo.db, null);
    for (const f of filters) {
      for (const [take, skip] of [[100, 0], [3, 0], [3, 3], [5, 7]] as const) {
        const sql = await demo.db.$queryRaw<{ appId: string; id: string | null }[]>(listingQuery(f, take, skip));
        const memory = listingPage(index, f, take, skip);
        expect(memory.map((r) => `${r.app.id}/${r.entitlement?.id ?? "-"}`), JSON.stringify({ f, take, skip })).toEqual(sql.map((r) => `${r.appId}/${r.id ?? "-"}`));
      }
    }
    expect(listingPage(index, { q: "legacy" }, 10, 0).map((r) => [r.app.name, r.entitlement])).toEqual([["Legacy ERP", null]]);
  });

  it("shows a change made through another process's connection in the next search", async () => {
    expect(await names(demo.db, "Design System")).toEqual(["Figma (Jonas Berg): Design System Admin"]);
    expect(await names(other, "Design System")).toEqual(["Figma (Jonas Berg): Design System Admin"]);
    await other.entitlement.updateMany({ where: { name: "Design System Admin" }, data: { name: "Design System Owner" } });
    expect(await names(demo.db, "Design System")).toEqual(["Figma (Jonas Berg): Design System Owner"]);
    // The owner's name is part of the listing too.
    await other.user.updateMany({ where: { name: "Jonas Berg" }, data: { name: "Jonas Berg-Lund" } });
    expect(await names(demo.db, "Design System")).toEqual(["Figma (Jonas Berg-Lund): Design System Owner"]);
    await other.app.updateMany({ where: { slug: "figma" }, data: { name: "Figma Enterprise" } });
    expect(await names(demo.db, "Design System")).toEqual(["Figma Enterprise (Jonas Berg-Lund): Design System Owner"]);
  });

  it("does not show a change before its transaction commits, and shows it right after", async () => {
    let commit!: () => void;
    const held = new Promise<void>((resolve) => (commit = resolve));
    let changed!: () => void;
    const made = new Promise<void>((resolve) => (changed = resolve));
    const transaction = other.$transaction(async (tx) => {
      await tx.entitlement.updateMany({ where: { name: "Billing Viewer" }, data: { name: "Billing Reader" } });
      changed();
      await held;
    });
    await made;
    expect(await names(demo.db, "Billing Viewer")).toEqual(["AWS (Lena Fischer): Billing Viewer"]);
    expect(await names(demo.db, "Billing Reader")).toEqual([]);
    commit();
    await transaction;
    expect(await names(demo.db, "Billing Reader")).toEqual(["AWS (Lena Fischer): Billing Reader"]);
    expect(await names(demo.db, "Billing Viewer")).toEqual([]);
  });

  it("does not reload the listing for changes that do not touch it", async () => {
    const before = await catalogIndex(demo.db, null);
    const version = async () => (await demo.db.catalogVersion.findFirstOrThrow()).version;
    const v0 = await version();
    await demo.db.user.updateMany({ where: { name: "Erin Walsh" }, data: { title: "Senior Software Engineer" } });
    await demo.db.user.updateMany({ where: { name: "Erin Walsh" }, data: { name: "Erin Walsh-Ortiz" } });
    await demo.db.entitlement.updateMany({ where: { name: "Billing Reader" }, data: { provisioningNotes: "Ask finance first." } });
    expect(await version()).toBe(v0);
    expect(await catalogIndex(demo.db, v0)).toBe(await catalogIndex(demo.db, v0));
    expect((await catalogIndex(demo.db, v0)).version).toBe(before.version);
  });
});
