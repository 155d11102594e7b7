import { performance } from "node:perf_hooks";
import { createDb } from "@/server/db";
import { findSodConflictsForAll, LIVE_GRANT } from "@/server/policies/sod";
import { listingQuery } from "@/server/catalog/search";
const db = createDb("postgres://postgres@127.0.0.1:5432/portal_catprobe");
const id = "bench-person-0";
async function time(label: string, f: () => Promise<unknown>) {
  for (let i = 0; i < 20; i++) await f();
  const t = performance.now(); const c0 = process.cpuUsage();
  for (let i = 0; i < 100; i++) await f();
  const c = process.cpuUsage(c0);
  console.log(label.padEnd(12), "wall", ((performance.now() - t) / 100).toFixed(2), "cpu", ((c.user + c.system) / 100000).toFixed(2));
}
const grants = await db.grant.findMany({ where: { userId: id, status: { in: [...LIVE_GRANT] } }, select: { id: true, entitlementId: true, expiresAt: true }, orderBy: { createdAt: "asc" } });
await time("grants", () => db.grant.findMany({ where: { userId: id, status: { in: [...LIVE_GRANT] } }, select: { id: true, entitlementId: true, expiresAt: true }, orderBy: { createdAt: "asc" } }));
await time("requests", () => db.accessRequest.findMany({ where: { requesterId: id, status: "PENDING_APPROVAL" }, select: { id: true, entitlementId: true }, orderBy: { createdAt: "asc" } }));
await time("sod", () => findSodConflictsForAll(db, { held: grants.map((g) => g.entitlementId), asked: [] }));
await time("listing ''", () => db.$queryRaw(listingQuery({ q: "" }, 51, 0)));
await time("listing zzz", () => db.$queryRaw(listingQuery({ q: "zzz" }, 51, 0)));
await time("listing git", () => db.$queryRaw(listingQuery({ q: "git" }, 51, 0)));
await db.$disconnect();
